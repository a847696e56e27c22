// Helpers for the coding tests: a fast seeded generator, random probability vectors of many
// shapes, sampling from a table, and the ideal code length.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "lmzip/coding/frequency_table.h"

namespace lmzip::coding::test {

// SplitMix64: tiny, fast and identical everywhere (std:: distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n >= 1 (the modulo bias is irrelevant for tests).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  float uniform_float() { return static_cast<float>(next() >> 40) * 0x1.0p-24f; }

 private:
  std::uint64_t state_;
};

// Fills `probs` with n weights of a random shape: flat, power-skewed, rotated Zipf, one dominant
// symbol over tiny or zero ones, sparse, or unnormalised with values above 1 and denormals.
// Weights are not normalised (quantize() does not need it).
inline void random_distribution(Rng& rng, std::uint32_t n, std::vector<float>& probs) {
  probs.resize(n);
  switch (rng.below(6)) {
    case 0:
      for (auto& p : probs) p = rng.uniform_float();
      break;
    case 1: {
      const int squarings = 1 + static_cast<int>(rng.below(5));  // u^2 .. u^32
      for (auto& p : probs) {
        float u = rng.uniform_float();
        for (int k = 0; k < squarings; ++k) u *= u;
        p = u;
      }
      break;
    }
    case 2: {
      const std::uint32_t offset = rng.below(n);
      for (std::uint32_t i = 0; i < n; ++i) probs[i] = 1.0f / static_cast<float>(1 + (i + offset) % n);
      break;
    }
    case 3: {
      const float floor_value = rng.below(2) ? 0.0f : (rng.below(2) ? 1e-9f : 1e-7f);
      for (auto& p : probs) p = floor_value;
      probs[rng.below(n)] = 1.0f - 1e-7f;
      break;
    }
    case 4: {
      for (auto& p : probs) p = 0.0f;
      for (int k = 0; k < 8; ++k) probs[rng.below(n)] = rng.uniform_float();
      break;
    }
    default:
      for (auto& p : probs) p = rng.below(8) ? 4.0f * rng.uniform_float() : 1e-40f;
      break;
  }
}

// A symbol drawn with probability freq / total.
inline std::uint32_t sample(Rng& rng, const FrequencyTable& t) { return t.symbol_for(rng.below(t.total())); }

// -sum log2(freq / total): the code length of an ideal coder given the quantised tables.
inline double ideal_bits(const std::vector<FrequencyTable>& tables, const std::vector<std::uint32_t>& table_of,
                         const std::vector<std::uint32_t>& symbols) {
  double bits = 0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const FrequencyTable& t = tables[table_of[i]];
    bits -= std::log2(static_cast<double>(t.freq(symbols[i])) / t.total());
  }
  return bits;
}

}  // namespace lmzip::coding::test
