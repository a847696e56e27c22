// xoshiro256** seeded by splitmix64 (specification in lmzip/data/random_source.h, docs/data.md).
// Written from the published definitions; all arithmetic is on uint64_t, modulo 2^64.
#include "lmzip/data/random_source.h"

namespace lmzip::data {
namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t splitmix64_next(std::uint64_t& x) {
  x += 0x9E3779B97F4A7C15ull;
  std::uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

RandomSource::RandomSource(std::uint64_t seed) {
  std::uint64_t x = seed;
  for (auto& word : s_) word = splitmix64_next(x);
}

std::uint64_t RandomSource::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

void RandomSource::fill(std::uint8_t* out, std::size_t n) {
  std::size_t i = 0;
  // Leftover bytes of the previous output first.
  while (i < n && pending_count_ > 0) {
    out[i++] = static_cast<std::uint8_t>(pending_);
    pending_ >>= 8;
    --pending_count_;
  }
  // Whole outputs, least significant byte first.
  while (n - i >= 8) {
    std::uint64_t v = next_u64();
    for (int b = 0; b < 8; ++b, v >>= 8) out[i++] = static_cast<std::uint8_t>(v);
  }
  if (i < n) {
    pending_ = next_u64();
    pending_count_ = 8;
    while (i < n) {
      out[i++] = static_cast<std::uint8_t>(pending_);
      pending_ >>= 8;
      --pending_count_;
    }
  }
}

Bytes RandomSource::bytes(std::size_t n) {
  Bytes b(n);
  fill(b.data(), n);
  return b;
}

}  // namespace lmzip::data
