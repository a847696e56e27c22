// Helpers for the int8 model tests: a deterministic PRNG, random float weights that own their
// memory, and the model shapes used by the tests (the paper's presets, written out so these
// tests do not depend on the model-file area).
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "lmzip/model/config.h"
#include "lmzip/model/weights.h"

namespace lmzip::model::int8::test {

// SplitMix64: the same sequence on every machine and compiler.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [-1, 1), exactly representable (24 random bits).
  float uniform() { return static_cast<float>(static_cast<std::int32_t>(next() >> 40) - (1 << 23)) * 0x1p-23f; }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }

 private:
  std::uint64_t s_;
};

// How large the random weights are: matrices uniform in +-gain * sqrt(3 / fan_in) (variance
// gain^2 / fan_in), LayerNorm weights 1 +- 0.1 * ln_spread, biases +-0.1 * gain.
struct WeightScales {
  float gain = 1.0f;       // projections and MLP
  float head_gain = 1.0f;  // the output head (larger: more confident predictions)
  float embed = 1.0f;      // embedding entries +-embed / sqrt(D) (the model multiplies by sqrt(D))
};

// A Weights view over buffers it owns.
struct TestWeights {
  std::vector<std::vector<float>> tensors;
  Weights view;
};

inline Config shape(int d_model, int n_layers, int n_heads, int d_mlp, int context) {
  Config c;
  c.d_model = d_model;
  c.n_layers = n_layers;
  c.n_heads = n_heads;
  c.d_mlp = d_mlp;
  c.context = context;
  return c;
}
inline Config shape_200k() { return shape(64, 4, 4, 256, 2048); }
inline Config shape_3_2m() { return shape(256, 4, 8, 1024, 2048); }
inline Config shape_small() { return shape(32, 2, 2, 128, 256); }

inline std::unique_ptr<TestWeights> make_test_weights(const Config& c, std::uint64_t seed, WeightScales ws = {}) {
  auto o = std::make_unique<TestWeights>();
  SplitMix64 rng(seed);
  const int D = c.d_model, M = c.d_mlp;
  auto tensor = [&](std::size_t n, float center, float spread) -> const float* {
    std::vector<float> t(n);
    for (auto& v : t) v = center + spread * rng.uniform();
    o->tensors.push_back(std::move(t));
    return o->tensors.back().data();
  };
  auto matrix = [&](int rows, int cols, float gain) {
    return tensor(static_cast<std::size_t>(rows) * cols, 0.0f, gain * std::sqrt(3.0f / static_cast<float>(cols)));
  };
  o->tensors.reserve(64 + 16 * static_cast<std::size_t>(c.n_layers));  // pointers stay valid
  Weights& w = o->view;
  w.config = c;
  w.embed = tensor(static_cast<std::size_t>(kInputVocab) * D, 0.0f, ws.embed / std::sqrt(static_cast<float>(D)));
  for (int l = 0; l < c.n_layers; ++l) {
    LayerWeights lw;
    lw.ln1_w = tensor(D, 1.0f, 0.1f);
    lw.ln1_b = tensor(D, 0.0f, 0.1f);
    lw.wq = matrix(D, D, ws.gain);
    lw.wk = matrix(D, D, ws.gain);
    lw.wv = matrix(D, D, ws.gain);
    lw.wo = matrix(D, D, ws.gain);
    lw.ln2_w = tensor(D, 1.0f, 0.1f);
    lw.ln2_b = tensor(D, 0.0f, 0.1f);
    lw.up_w = matrix(M, D, ws.gain);
    lw.up_b = tensor(M, 0.0f, 0.1f * ws.gain);
    lw.down_w = matrix(D, M, ws.gain);
    lw.down_b = tensor(D, 0.0f, 0.1f * ws.gain);
    w.layers.push_back(lw);
  }
  w.lnf_w = tensor(D, 1.0f, 0.1f);
  w.lnf_b = tensor(D, 0.0f, 0.1f);
  w.head_w = matrix(kByteVocab, D, ws.head_gain);
  w.head_b = tensor(kByteVocab, 0.0f, 0.1f * ws.head_gain);
  return o;
}

// n bytes of pseudo-text (words from a small vocabulary), the same everywhere.
inline std::vector<std::uint8_t> pseudo_text(std::size_t n, std::uint64_t seed) {
  static const char* const kWords[] = {"the ",     "model ", "codes ",   "each ", "byte ",
                                       "with ",    "a ",     "table ",   "of ",   "integer ",
                                       "counts, ", "and ",   "decoder ", "must ", "agree.\n"};
  SplitMix64 rng(seed);
  std::vector<std::uint8_t> out;
  while (out.size() < n) {
    for (const char* p = kWords[rng.below(15)]; *p != 0 && out.size() < n; ++p)
      out.push_back(static_cast<std::uint8_t>(*p));
  }
  return out;
}

}  // namespace lmzip::model::int8::test
