// The float64 reference forward pass (docs/model.md, "Architecture"). Whole-sequence and
// deliberately naive: every position is recomputed from its inputs, attention is a double loop.
#include "lmzip/model/reference_model.h"

#include <cmath>
#include <numbers>
#include <string>

#include "lmzip/error.h"

namespace lmzip::model {

namespace {

using Vec = std::vector<double>;

// y = W x (+ b): W is (out, in) row-major float, x is (in), y is (out).
Vec matvec(const float* W, const float* b, const Vec& x, int out) {
  const std::size_t in = x.size();
  Vec y(static_cast<std::size_t>(out));
  for (std::size_t o = 0; o < y.size(); ++o) {
    double s = b ? static_cast<double>(b[o]) : 0.0;
    for (std::size_t i = 0; i < in; ++i) s += static_cast<double>(W[o * in + i]) * x[i];
    y[o] = s;
  }
  return y;
}

// Causal multi-head self-attention with RoPE over the whole sequence; h[t] is LN1(x[t]).
// @return the attention block's output (before the residual) for every position.
std::vector<Vec> attention(const LayerWeights& L, const Config& c, const std::vector<Vec>& h) {
  const std::size_t T = h.size();
  const int D = c.d_model, H = c.n_heads, hd = c.head_dim();
  std::vector<Vec> q(T), k(T), v(T);  // each (D), heads side by side: head a is [a*hd, (a+1)*hd)
  for (std::size_t t = 0; t < T; ++t) {
    q[t] = matvec(L.wq, nullptr, h[t], D);
    k[t] = matvec(L.wk, nullptr, h[t], D);
    v[t] = matvec(L.wv, nullptr, h[t], D);
    for (int a = 0; a < H; ++a) {
      reference_rope(std::span<double>(q[t]).subspan(static_cast<std::size_t>(a * hd), static_cast<std::size_t>(hd)),
                     static_cast<int>(t), c.rope_theta);
      reference_rope(std::span<double>(k[t]).subspan(static_cast<std::size_t>(a * hd), static_cast<std::size_t>(hd)),
                     static_cast<int>(t), c.rope_theta);
    }
  }
  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  std::vector<Vec> out(T);
  for (std::size_t t = 0; t < T; ++t) {
    Vec heads(static_cast<std::size_t>(D), 0.0);  // (D) concatenated head outputs
    for (int a = 0; a < H; ++a) {
      const std::size_t off = static_cast<std::size_t>(a * hd);
      Vec score(t + 1);  // (t+1) scores against positions 0..t
      double mx = -INFINITY;
      for (std::size_t s = 0; s <= t; ++s) {
        double dot = 0;
        for (int j = 0; j < hd; ++j) dot += q[t][off + j] * k[s][off + j];
        score[s] = dot * scale;
        mx = std::max(mx, score[s]);
      }
      double sum = 0;
      for (auto& e : score) sum += (e = std::exp(e - mx));
      for (std::size_t s = 0; s <= t; ++s) {
        const double p = score[s] / sum;
        for (int j = 0; j < hd; ++j) heads[off + j] += p * v[s][off + j];
      }
    }
    out[t] = matvec(L.wo, nullptr, heads, D);
  }
  return out;
}

// The MLP block for one position: down(gelu(up(h))).
Vec mlp(const LayerWeights& L, const Config& c, const Vec& h) {
  Vec u = matvec(L.up_w, L.up_b, h, c.d_mlp);  // (M)
  for (auto& e : u) e = reference_gelu(e);
  return matvec(L.down_w, L.down_b, u, c.d_model);  // (D)
}

}  // namespace

double reference_gelu(double x) {
  const double k = std::sqrt(2.0 / std::numbers::pi);
  return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
}

void reference_layer_norm(std::span<const double> x, const float* weight, const float* bias, double eps,
                          std::span<double> out) {
  const double n = static_cast<double>(x.size());
  double mean = 0;
  for (double e : x) mean += e;
  mean /= n;
  double var = 0;
  for (double e : x) var += (e - mean) * (e - mean);
  var /= n;
  const double inv = 1.0 / std::sqrt(var + eps);
  for (std::size_t i = 0; i < x.size(); ++i) {
    out[i] = (x[i] - mean) * inv * static_cast<double>(weight[i]) + static_cast<double>(bias[i]);
  }
}

void reference_rope(std::span<double> v, int pos, double theta) {
  const std::size_t half = v.size() / 2;
  const double h = static_cast<double>(v.size());
  for (std::size_t j = 0; j < half; ++j) {
    const double angle = pos * std::pow(theta, -2.0 * static_cast<double>(j) / h);
    const double c = std::cos(angle), s = std::sin(angle);
    const double a = v[j], b = v[j + half];
    v[j] = a * c - b * s;
    v[j + half] = b * c + a * s;
  }
}

double reference_code_length(const ReferenceLogits& logits, int symbol) {
  double mx = logits[0];
  for (double e : logits) mx = std::max(mx, e);
  double sum = 0;
  for (double e : logits) sum += std::exp(e - mx);
  // -log2 p = (log(sum) - (l_sym - mx)) / log(2)
  return (std::log(sum) - (logits[static_cast<std::size_t>(symbol)] - mx)) / std::numbers::ln2;
}

std::vector<ReferenceLogits> reference_logits(const Weights& w, ByteView bytes) {
  const Config& c = w.config;
  c.validate();
  if (bytes.size() > static_cast<std::size_t>(c.context)) {
    throw Error("reference model: " + std::to_string(bytes.size()) + " bytes exceed the context of " +
                std::to_string(c.context));
  }
  const std::size_t T = bytes.size();
  const std::size_t D = static_cast<std::size_t>(c.d_model);
  const double eps = c.ln_eps;

  // x[t] = embed[token_t] * sqrt(D); token_0 = BOS, token_t = bytes[t-1].
  std::vector<Vec> x(T, Vec(D));
  const double emb_scale = std::sqrt(static_cast<double>(D));
  for (std::size_t t = 0; t < T; ++t) {
    const std::size_t token = t == 0 ? kBos : bytes[t - 1];
    for (std::size_t i = 0; i < D; ++i) x[t][i] = static_cast<double>(w.embed[token * D + i]) * emb_scale;
  }

  std::vector<Vec> h(T, Vec(D));
  for (const LayerWeights& L : w.layers) {
    for (std::size_t t = 0; t < T; ++t) reference_layer_norm(x[t], L.ln1_w, L.ln1_b, eps, h[t]);
    const std::vector<Vec> a = attention(L, c, h);
    for (std::size_t t = 0; t < T; ++t) {
      for (std::size_t i = 0; i < D; ++i) x[t][i] += a[t][i];
    }
    for (std::size_t t = 0; t < T; ++t) {
      reference_layer_norm(x[t], L.ln2_w, L.ln2_b, eps, h[t]);
      const Vec m = mlp(L, c, h[t]);
      for (std::size_t i = 0; i < D; ++i) x[t][i] += m[i];
    }
  }

  std::vector<ReferenceLogits> out(T);
  for (std::size_t t = 0; t < T; ++t) {
    reference_layer_norm(x[t], w.lnf_w, w.lnf_b, eps, h[t]);
    const Vec l = matvec(w.head_w, w.head_b, h[t], kByteVocab);
    std::copy(l.begin(), l.end(), out[t].begin());
  }
  return out;
}

double reference_bits(const Weights& w, ByteView bytes) {
  const auto logits = reference_logits(w, bytes);
  double bits = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) bits += reference_code_length(logits[i], bytes[i]);
  return bits;
}

}  // namespace lmzip::model
