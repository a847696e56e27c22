// The forward's determinism contract: forward_block == forward bit for bit for any block size,
// every kernel path gives the same bits, two RunStates agree; and its math against an
// independent float64 forward on random grouped-query models (sizes that exercise every tail).
#include <gtest/gtest.h>

#include <cmath>

#include "llm_test_support.h"
#include "lmzip/model/int8/kernel_path.h"
#include "lmzip/model/sha256.h"

namespace lmzip::llm {
namespace {

using model::int8::KernelPath;

std::vector<KernelPath> supported_paths() {
  std::vector<KernelPath> out;
  for (KernelPath p : {KernelPath::reference, KernelPath::avx2, KernelPath::avx512}) {
    if (model::int8::kernel_path_supported(p)) out.push_back(p);
  }
  return out;
}

// A plain float64 forward of the architecture in llama.h (libm, naive sums), for positions 0..n-1.
std::vector<double> float64_forward(const LlamaModel& m, const std::vector<int>& ids) {
  const LlamaConfig& c = m.config;
  const int dim = c.dim, hd = c.head_dim, half = hd / 2, qd = c.q_dim(), kvd = c.kv_dim(), hid = c.hidden_dim;
  auto mv = [](const float* w, const std::vector<double>& x, int out, const float* b) {
    std::vector<double> y(out);
    for (int i = 0; i < out; ++i) {
      double s = 0;
      for (std::size_t j = 0; j < x.size(); ++j) s += double(w[i * x.size() + j]) * x[j];
      y[i] = s + (b ? double(b[i]) : 0.0);
    }
    return y;
  };
  auto norm = [&](const std::vector<double>& x, const float* w) {
    double ss = 0;
    for (double v : x) ss += v * v;
    const double r = 1.0 / std::sqrt(ss / x.size() + double(c.rms_eps));
    std::vector<double> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] * r * double(w[i]);
    return y;
  };
  auto rope = [&](std::vector<double>& v, int heads, int pos) {
    for (int h = 0; h < heads; ++h) {
      for (int j = 0; j < half; ++j) {
        double f = std::pow(double(c.rope_theta), -2.0 * j / hd);
        if (!c.rope_freq_factors.empty()) f /= c.rope_freq_factors[j];
        const double a = v[h * hd + j], b = v[h * hd + j + half], cs = std::cos(pos * f), sn = std::sin(pos * f);
        v[h * hd + j] = a * cs - b * sn;
        v[h * hd + j + half] = b * cs + a * sn;
      }
    }
  };
  std::vector<std::vector<std::vector<double>>> K(c.n_layers), V(c.n_layers);
  std::vector<double> out;
  for (std::size_t pos = 0; pos < ids.size(); ++pos) {
    std::vector<double> x(m.weights.token_embedding + ids[pos] * dim, m.weights.token_embedding + (ids[pos] + 1) * dim);
    for (int l = 0; l < c.n_layers; ++l) {
      const auto& L = m.weights.layers[l];
      const auto a = norm(x, L.rms_att);
      auto q = mv(L.wq, a, qd, L.bq), k = mv(L.wk, a, kvd, L.bk);
      rope(q, c.n_heads, int(pos));
      rope(k, c.n_kv_heads, int(pos));
      K[l].push_back(k);
      V[l].push_back(mv(L.wv, a, kvd, L.bv));
      std::vector<double> o(qd, 0.0);
      for (int h = 0; h < c.n_heads; ++h) {
        const int g = h / (c.n_heads / c.n_kv_heads);
        std::vector<double> s(pos + 1);
        double mx = -1e300, sum = 0;
        for (std::size_t t = 0; t <= pos; ++t) {
          double d = 0;
          for (int i = 0; i < hd; ++i) d += q[h * hd + i] * K[l][t][g * hd + i];
          s[t] = d / std::sqrt(double(hd));
          mx = std::max(mx, s[t]);
        }
        for (double& v : s) sum += (v = std::exp(v - mx));
        for (std::size_t t = 0; t <= pos; ++t) {
          for (int i = 0; i < hd; ++i) o[h * hd + i] += s[t] / sum * V[l][t][g * hd + i];
        }
      }
      const auto y = mv(L.wo, o, dim, nullptr);
      for (int i = 0; i < dim; ++i) x[i] += y[i];
      const auto mm = norm(x, L.rms_ffn);
      auto gate = mv(L.w_gate, mm, hid, nullptr);
      const auto up = mv(L.w_up, mm, hid, nullptr);
      for (int i = 0; i < hid; ++i) gate[i] = gate[i] / (1.0 + std::exp(-gate[i])) * up[i];
      const auto dn = mv(L.w_down, gate, dim, nullptr);
      for (int i = 0; i < dim; ++i) x[i] += dn[i];
    }
    const auto lg = mv(m.weights.wcls, norm(x, m.weights.rms_final), c.vocab_size, nullptr);
    out.insert(out.end(), lg.begin(), lg.end());
  }
  return out;
}

// A GQA model whose sizes are not multiples of 16 (tails everywhere), with biases.
LlamaConfig odd_config(const char* arch) {
  LlamaConfig c;
  c.arch = arch;
  c.dim = 40;
  c.hidden_dim = 100;
  c.n_layers = 3;
  c.n_heads = 6;
  c.n_kv_heads = 2;
  c.head_dim = 10;
  c.vocab_size = 77;
  c.max_seq_len = 64;
  c.rope_theta = 500000.0f;
  c.rms_eps = 1e-6f;
  c.qkv_bias = c.arch == "qwen2";
  c.tied_embeddings = c.arch == "qwen2";
  return c;
}

std::vector<int> some_ids(int n, int vocab) {
  std::vector<int> ids;
  for (int i = 0; i < n; ++i) ids.push_back((i * 37 + 11) % vocab);
  return ids;
}

TEST(LlmForward, BlockEqualsSingleOnTheFixtures) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  for (const char* name : {"tiny-llama", "tiny-qwen2"}) {
    const test::Fixture fx = test::read_fixture(data / "fixtures" / name);
    const LlamaModel m = load_llama(fx.dir);
    for (KernelPath path : supported_paths()) {
      const std::vector<float> one = test::run_forward(m, fx.ids, path);
      for (int block : {1, 3, 7, 40}) {
        EXPECT_TRUE(test::same_bits(one, test::run_block(m, fx.ids, block, path)))
            << name << " block " << block << " path " << model::int8::to_string(path);
      }
      // One forward_block call of 40 tokens on a RunState of capacity 3 (blocks inside).
      RunState s;
      build_run_state(s, m.config, 40, 3, path);
      std::vector<float> all;
      forward_block(m, s, fx.ids, 0, all);
      EXPECT_TRUE(test::same_bits(one, all)) << name;
    }
  }
}

TEST(LlmForward, EveryKernelPathGivesTheSameBits) {
  for (const char* arch : {"llama", "qwen2"}) {
    const LlamaModel m = random_llama(odd_config(arch), 5);
    const std::vector<int> ids = some_ids(50, m.config.vocab_size);
    const std::vector<float> ref = test::run_forward(m, ids, KernelPath::reference);
    for (KernelPath path : supported_paths()) {
      EXPECT_TRUE(test::same_bits(ref, test::run_forward(m, ids, path))) << model::int8::to_string(path);
      EXPECT_TRUE(test::same_bits(ref, test::run_block(m, ids, 13, path))) << model::int8::to_string(path);
    }
  }
}

TEST(LlmForward, TwoRunStatesInterleavedGiveTheSameBits) {
  const LlamaModel m = random_llama(odd_config("llama"), 6);
  const std::vector<int> ids = some_ids(30, m.config.vocab_size);
  // a: full context, capacity 32; b: 30 positions, capacity 4; used in turns.
  RunState a, b;
  build_run_state(a, m.config);
  build_run_state(b, m.config, 30, 4);
  for (int pos = 0; pos < 30; ++pos) {
    const float* pa = forward(m, a, ids[pos], pos);
    const std::vector<float> la(pa, pa + m.config.vocab_size);
    const float* pb = forward(m, b, ids[pos], pos);
    ASSERT_TRUE(test::same_bits(la, std::vector<float>(pb, pb + m.config.vocab_size))) << pos;
  }
}

TEST(LlmForward, RandomGqaModelsMatchFloat64) {
  for (const char* arch : {"llama", "qwen2"}) {
    LlamaConfig c = odd_config(arch);
    if (c.arch == "llama") c.rope_freq_factors = {1, 1.5f, 2, 4, 8};  // llama3-style scaling
    const LlamaModel m = random_llama(c, 7);
    const std::vector<int> ids = some_ids(48, c.vocab_size);
    const double err = test::relative_error(test::run_forward(m, ids), float64_forward(m, ids));
    std::printf("[ measured ] random %s GQA vs float64: %.3g\n", arch, err);
    EXPECT_LT(err, 1e-5) << arch;
  }
}

TEST(LlmForward, RandomLlamaIsDeterministic) {
  const LlamaConfig c = odd_config("qwen2");
  const LlamaModel a = random_llama(c, 42), b = random_llama(c, 42), d = random_llama(c, 43);
  EXPECT_TRUE(test::same_bits(a.data, b.data));
  EXPECT_FALSE(test::same_bits(a.data, d.data));
  EXPECT_EQ(a.parameter_count(), a.data.size());
  EXPECT_EQ(a.source, "random");
  EXPECT_TRUE(a.sha256.empty());
  // Norm weights near 1, matrices near 0 (standard deviation 0.02).
  EXPECT_NEAR(a.weights.layers[0].rms_att[3], 1.0f, 0.04f);
  EXPECT_NEAR(a.weights.layers[0].wq[3], 0.0f, 0.04f);
}

TEST(LlmForward, RejectsOutOfRangeTokensAndPositions) {
  const LlamaModel m = random_llama(odd_config("llama"), 1);
  RunState s;
  build_run_state(s, m.config, 8);
  EXPECT_THROW(forward(m, s, 77, 0), Error);
  EXPECT_THROW(forward(m, s, -1, 0), Error);
  EXPECT_THROW(forward(m, s, 1, 8), Error);
  std::vector<float> out;
  const std::vector<int> ids(9, 1);
  EXPECT_THROW(forward_block(m, s, ids, 0, out), Error);
  EXPECT_THROW(build_run_state(s, m.config, 65), Error);  // beyond max_seq_len
  const LlamaModel other = random_llama(odd_config("qwen2"), 1);
  RunState t;
  build_run_state(t, other.config, 8);
  LlamaConfig bigger = odd_config("llama");
  bigger.dim = 48;
  const LlamaModel big = random_llama(bigger, 1);
  EXPECT_THROW(forward(big, t, 1, 0), Error);  // a RunState of another shape
}

// The numerics contract across machines: these logits' bits were recorded on x86-64 (AVX-512,
// AVX2 and reference paths agree); any machine, compiler or kernel path that computes one bit
// differently fails here. A deliberate change of the forward's arithmetic must update the hashes
// (and be treated like a numerics version change: archives made before would not decode).
TEST(LlmForward, GoldenLogitHashes) {
  LlamaConfig llama = odd_config("llama");
  llama.rope_freq_factors = {1, 1.5f, 2, 4, 8};
  const std::pair<LlamaConfig, const char*> cases[] = {
      {llama, "58170cd8a5f0fa8b3d203bfa34a005477662c120f1387775f713d3978d66f40a"},
      {odd_config("qwen2"), "0f6a410ce5c6c9d3377e681e4e3447a4a06b39edf85d3d06dcbe6482bc87f0c3"},
  };
  for (const auto& [c, golden] : cases) {
    const LlamaModel m = random_llama(c, 11);
    for (KernelPath path : supported_paths()) {
      const std::vector<float> lg = test::run_block(m, some_ids(64, c.vocab_size), 5, path);
      const std::string h = model::sha256_hex(ByteView(reinterpret_cast<const std::uint8_t*>(lg.data()), lg.size() * 4));
      EXPECT_EQ(h, golden) << c.arch << " " << model::int8::to_string(path);
    }
  }
}

TEST(LlmForward, RopePermutationsAreInverse) {
  std::vector<float> rows(3 * 8 * 5);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<float>(i);
  std::vector<float> r = rows;
  permute_to_rotate_half(r.data(), 3, 8, 5);
  // Row 2j + a of head h becomes row a * 4 + j: head 1, j = 2, a = 1: 13 -> 14... as rows.
  EXPECT_EQ(r[(8 + 1 * 4 + 2) * 5], rows[(8 + 2 * 2 + 1) * 5]);
  permute_to_interleaved(r.data(), 3, 8, 5);
  EXPECT_EQ(r, rows);
}

}  // namespace
}  // namespace lmzip::llm
