#include "lmzip/model/reference_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model/model_file.h"

namespace lmzip::model {
namespace {

using LVec = std::vector<long double>;

Config tiny(int layers = 1) {
  return Config{.d_model = 8, .n_layers = layers, .n_heads = 2, .d_mlp = 16, .context = 64};
}

ByteView text(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// ---- a second route, written independently of reference_forward.cpp: long double, LayerNorm via
// E[x^2] - E[x]^2, no attention machinery (softmax over one key is 1; zero weights give zero). ----

LVec ln2(const LVec& x, const float* w, const float* b, long double eps) {
  long double s = 0, s2 = 0;
  for (auto e : x) {
    s += e;
    s2 += e * e;
  }
  const long double n = static_cast<long double>(x.size());
  const long double mean = s / n, var = s2 / n - mean * mean;
  LVec y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = (x[i] - mean) / std::sqrt(var + eps) * w[i] + b[i];
  return y;
}

LVec lin(const float* W, const float* b, const LVec& x, std::size_t out) {
  LVec y(out);
  for (std::size_t o = 0; o < out; ++o) {
    y[o] = b ? b[o] : 0.0L;
    for (std::size_t i = 0; i < x.size(); ++i) y[o] += static_cast<long double>(W[o * x.size() + i]) * x[i];
  }
  return y;
}

LVec add(LVec a, const LVec& b) {
  for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  return a;
}

LVec mlp_route(const LayerWeights& L, const Config& c, const LVec& x) {
  LVec u = lin(L.up_w, L.up_b, ln2(x, L.ln2_w, L.ln2_b, c.ln_eps), static_cast<std::size_t>(c.d_mlp));
  for (auto& e : u) e = 0.5L * e * (1 + std::tanh(std::sqrt(2 / std::numbers::pi_v<long double>) * (e + 0.044715L * e * e * e)));
  return lin(L.down_w, L.down_b, u, static_cast<std::size_t>(c.d_model));
}

LVec embed_route(const Weights& w, int token) {
  const std::size_t D = static_cast<std::size_t>(w.config.d_model);
  LVec x(D);
  for (std::size_t i = 0; i < D; ++i) x[i] = w.embed[static_cast<std::size_t>(token) * D + i] * std::sqrt(static_cast<long double>(D));
  return x;
}

LVec head_route(const Weights& w, const LVec& x) {
  return lin(w.head_w, w.head_b, ln2(x, w.lnf_w, w.lnf_b, w.config.ln_eps), kByteVocab);
}

void expect_near(const ReferenceLogits& got, const LVec& want, double tol) {
  for (std::size_t v = 0; v < kByteVocab; ++v) ASSERT_NEAR(got[v], static_cast<double>(want[v]), tol) << "logit " << v;
}

// ---- building blocks ----

TEST(ReferenceModel, Gelu) {
  EXPECT_EQ(reference_gelu(0.0), 0.0);
  EXPECT_NEAR(reference_gelu(1.0), 0.8411919906082768, 1e-15);
  EXPECT_NEAR(reference_gelu(-1.0), -0.15880800939172324, 1e-15);
  EXPECT_NEAR(reference_gelu(2.5), 2.484915733910001, 1e-14);
  EXPECT_NEAR(reference_gelu(-3.0), -0.0036373920817729943, 1e-16);
  for (double x : {0.3, 1.7, 4.0}) EXPECT_NEAR(reference_gelu(x) - reference_gelu(-x), x, 1e-14);  // tanh is odd
}

TEST(ReferenceModel, LayerNorm) {
  const std::vector<double> x{1, 2, 3, 4};
  const float w[4] = {1, 1, 2, -1}, b[4] = {0, 0, 0.5f, 0};
  std::vector<double> y(4);
  reference_layer_norm(x, w, b, 0.0, y);  // mean 2.5, var 1.25
  const double s = std::sqrt(1.25);
  EXPECT_NEAR(y[0], -1.5 / s, 1e-15);
  EXPECT_NEAR(y[1], -0.5 / s, 1e-15);
  EXPECT_NEAR(y[2], 2 * 0.5 / s + 0.5, 1e-15);
  EXPECT_NEAR(y[3], -1.5 / s, 1e-15);
  reference_layer_norm(x, w, b, 0.75, y);
  EXPECT_NEAR(y[0], -1.5 / std::sqrt(2.0), 1e-15);
}

TEST(ReferenceModel, RopeByHand) {
  // h = 4, theta 10000: pair (0,2) turns by pos * 1, pair (1,3) by pos * 10000^(-1/2) = pos / 100.
  std::vector<double> v{1, 2, 3, 4};
  reference_rope(v, 0, 10000.0);
  EXPECT_EQ(v, (std::vector<double>{1, 2, 3, 4}));
  reference_rope(v, 1, 10000.0);
  EXPECT_NEAR(v[0], 1 * std::cos(1.0) - 3 * std::sin(1.0), 1e-15);
  EXPECT_NEAR(v[2], 3 * std::cos(1.0) + 1 * std::sin(1.0), 1e-15);
  EXPECT_NEAR(v[1], 2 * std::cos(0.01) - 4 * std::sin(0.01), 1e-15);
  EXPECT_NEAR(v[3], 4 * std::cos(0.01) + 2 * std::sin(0.01), 1e-15);
}

TEST(ReferenceModel, RopeScoresDependOnlyOnRelativePosition) {
  // For identical tokens (the same q and k before rotation), q_m . k_n depends on m - n only.
  const OwnedWeights w = random_weights(tiny(), 3);
  const auto& L = w.view().layers[0];
  const int hd = tiny().head_dim();
  std::vector<double> x(8), h(8);
  for (int i = 0; i < 8; ++i) x[static_cast<std::size_t>(i)] = w.view().embed[65 * 8 + i] * std::sqrt(8.0);
  reference_layer_norm(x, L.ln1_w, L.ln1_b, 1e-5, h);
  auto project = [&](const float* W) {
    std::vector<double> y(static_cast<std::size_t>(hd), 0.0);  // head 1
    for (int o = 0; o < hd; ++o)
      for (int i = 0; i < 8; ++i) y[static_cast<std::size_t>(o)] += W[(hd + o) * 8 + i] * h[static_cast<std::size_t>(i)];
    return y;
  };
  const auto q0 = project(L.wq), k0 = project(L.wk);
  auto score = [&](int m, int n) {
    auto q = q0, k = k0;
    reference_rope(q, m, 10000.0);
    reference_rope(k, n, 10000.0);
    double s = 0;
    for (int j = 0; j < hd; ++j) s += q[static_cast<std::size_t>(j)] * k[static_cast<std::size_t>(j)];
    return s;
  };
  for (int shift : {1, 7, 100, 2000}) {
    EXPECT_NEAR(score(5, 2), score(5 + shift, 2 + shift), 1e-12) << shift;
    EXPECT_NEAR(score(9, 9), score(9 + shift, 9 + shift), 1e-12) << shift;
  }
  EXPECT_GT(std::fabs(score(5, 2) - score(5, 3)), 1e-6) << "positions do matter";
}

TEST(ReferenceModel, CodeLengthIsAProbability) {
  ReferenceLogits l{};
  for (std::size_t v = 0; v < kByteVocab; ++v) l[v] = std::sin(static_cast<double>(v)) * 3;
  double total = 0;
  for (int v = 0; v < kByteVocab; ++v) total += std::exp2(-reference_code_length(l, v));
  EXPECT_NEAR(total, 1.0, 1e-12);
  ReferenceLogits flat{};
  EXPECT_NEAR(reference_code_length(flat, 17), 8.0, 1e-12);
}

// ---- the whole forward pass ----

TEST(ReferenceModel, ZeroAttentionIsEmbedMlpHead) {
  // With wq = wk = wv = wo = 0 the attention block adds nothing, so every position is
  // head(LN_f(x + MLP(LN2(x)))) with x = embed[token] * sqrt(D), computed here by a second route.
  OwnedWeights w = random_weights(tiny(), 21, {.perturb_layernorm = true});
  for (const char* n : {"layers.0.attn.wq", "layers.0.attn.wk", "layers.0.attn.wv", "layers.0.attn.wo"}) {
    for (float& x : w.tensor(n)) x = 0;
  }
  const std::string s = "hello, world";
  const auto logits = reference_logits(w, text(s));
  ASSERT_EQ(logits.size(), s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int token = i == 0 ? kBos : static_cast<std::uint8_t>(s[i - 1]);
    const LVec x = embed_route(w, token);
    expect_near(logits[i], head_route(w, add(x, mlp_route(w.view().layers[0], tiny(), x))), 1e-9);
  }
}

TEST(ReferenceModel, PositionZeroAttendsOnlyToItself) {
  // At position 0 every attention has one key: weight 1 on v, so each block's attention output
  // is wo wv LN1(x) whatever wq, wk and RoPE are. Two layers, everything random.
  const Config c = tiny(2);
  const OwnedWeights w = random_weights(c, 22, {.perturb_layernorm = true});
  LVec x = embed_route(w, kBos);
  for (const auto& L : w.view().layers) {
    x = add(x, lin(L.wo, nullptr, lin(L.wv, nullptr, ln2(x, L.ln1_w, L.ln1_b, c.ln_eps), 8), 8));
    x = add(x, mlp_route(L, c, x));
  }
  const auto logits = reference_logits(w, text("xyz"));
  expect_near(logits[0], head_route(w, x), 1e-9);
  expect_near(reference_logits(w, text("Q"))[0], head_route(w, x), 1e-9);
}

TEST(ReferenceModel, Causal) {
  const Config c = tiny(2);
  const OwnedWeights w = random_weights(c, 23, {.perturb_layernorm = true});
  std::string a = "The quick brown fox jumps over the lazy dog";
  const auto la = reference_logits(w, text(a));
  for (std::size_t k : {std::size_t{0}, std::size_t{10}, a.size() - 2}) {
    std::string b = a;
    b[k] = static_cast<char>(b[k] ^ 0x5a);
    const auto lb = reference_logits(w, text(b));
    for (std::size_t i = 0; i <= k; ++i) EXPECT_EQ(la[i], lb[i]) << "position " << i << " changed by byte " << k;
    EXPECT_NE(la[k + 1], lb[k + 1]) << "position " << k + 1 << " sees byte " << k;
  }
  // A prefix gives the same rows.
  const auto lp = reference_logits(w, text(a.substr(0, 9)));
  for (std::size_t i = 0; i < lp.size(); ++i) EXPECT_EQ(lp[i], la[i]);
}

TEST(ReferenceModel, BitsSumTheCodeLengths) {
  const OwnedWeights w = random_weights(tiny(2), 24);
  const std::string s = "abracadabra";
  const auto l = reference_logits(w, text(s));
  double sum = 0;
  for (std::size_t i = 0; i < s.size(); ++i) sum += reference_code_length(l[i], static_cast<std::uint8_t>(s[i]));
  EXPECT_DOUBLE_EQ(reference_bits(w, text(s)), sum);
  EXPECT_EQ(reference_bits(w, {}), 0.0);
  EXPECT_TRUE(reference_logits(w, {}).empty());
}

TEST(ReferenceModel, RandomWeightsGiveAboutEightBitsPerByte) {
  const OwnedWeights w = random_weights(preset("200K"), 1);
  std::string s;
  while (s.size() < 700) s += "It was the best of times, it was the worst of times, it was the age of wisdom. ";
  s.resize(700);
  const double bpb = reference_bits(w, text(s)) / static_cast<double>(s.size());
  EXPECT_GT(bpb, 7.5);
  EXPECT_LT(bpb, 9.0);
}

TEST(ReferenceModel, RefusesMoreThanTheContext) {
  const OwnedWeights w = random_weights(tiny(), 1);
  const std::string s(65, 'a');
  EXPECT_THROW(reference_logits(w, text(s)), Error);
  EXPECT_NO_THROW(reference_logits(w, text(s.substr(0, 64))));
}

}  // namespace
}  // namespace lmzip::model
