// Helpers of the llm tests: the reference fixtures, running a model over ids, comparing logits.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/llm/forward.h"
#include "lmzip/llm/llama.h"
#include "test_support.h"

namespace lmzip::llm::test {

// A fixture folder of ../shared/data/fixtures: config.json, model.safetensors, ref_logits.json
// (input ids), ref_logits_f64.bin (n_ids x vocab float64, little-endian, row-major).
struct Fixture {
  std::filesystem::path dir;
  std::vector<int> ids;
  std::vector<double> ref;  // (ids, vocab)
};

inline Fixture read_fixture(const std::filesystem::path& dir) {
  Fixture f;
  f.dir = dir;
  std::ifstream js(dir / "ref_logits.json");
  const nlohmann::json j = nlohmann::json::parse(js);
  f.ids = j.at("input_ids").get<std::vector<int>>();
  const Bytes b = lmzip::test::read_file(dir / "ref_logits_f64.bin");
  f.ref.resize(b.size() / 8);
  std::memcpy(f.ref.data(), b.data(), f.ref.size() * 8);  // little-endian host
  return f;
}

// Logits of ids at positions 0.., one forward() call each.
inline std::vector<float> run_forward(const LlamaModel& m, const std::vector<int>& ids,
                                      model::int8::KernelPath path = model::int8::KernelPath::automatic) {
  RunState s;
  build_run_state(s, m.config, static_cast<int>(ids.size()), 32, path);
  std::vector<float> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const float* lg = forward(m, s, ids[i], static_cast<int>(i));
    out.insert(out.end(), lg, lg + m.config.vocab_size);
  }
  free_run_state(s);
  return out;
}

// Logits of ids through forward_block, `block` tokens per call (and per RunState block).
inline std::vector<float> run_block(const LlamaModel& m, const std::vector<int>& ids, int block,
                                    model::int8::KernelPath path = model::int8::KernelPath::automatic) {
  RunState s;
  build_run_state(s, m.config, static_cast<int>(ids.size()), block, path);
  std::vector<float> out, part;
  for (std::size_t i = 0; i < ids.size(); i += block) {
    const std::size_t n = std::min<std::size_t>(block, ids.size() - i);
    forward_block(m, s, std::span<const int>(ids.data() + i, n), static_cast<int>(i), part);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// max |got - ref| / max |ref|.
template <class A, class B>
double relative_error(const std::vector<A>& got, const std::vector<B>& ref) {
  EXPECT_EQ(got.size(), ref.size());
  double d = 0, r = 0;
  for (std::size_t i = 0; i < std::min(got.size(), ref.size()); ++i) {
    d = std::max(d, std::abs(static_cast<double>(got[i]) - static_cast<double>(ref[i])));
    r = std::max(r, std::abs(static_cast<double>(ref[i])));
  }
  return d / r;
}

// Whether two float vectors hold the same bits.
inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace lmzip::llm::test
