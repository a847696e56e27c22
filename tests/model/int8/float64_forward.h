// A small float64 forward pass of the byte transformer (docs/model.md, "Architecture"), written
// for the int8 tests so they build without the model-file area: double everywhere, libm exp,
// tanh, sin, cos, pow. Used only to measure what int8 quantisation costs in compression.
#pragma once

#include <array>
#include <cmath>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/model/weights.h"

namespace lmzip::model::int8::test {

// -log2 P(bytes[i]) for every position i (position i has seen BOS, bytes[0..i-1]).
inline std::vector<double> float64_code_lengths(const Weights& w, ByteView bytes) {
  const Config& c = w.config;
  const int D = c.d_model, M = c.d_mlp, H = c.n_heads, hd = D / H, T = static_cast<int>(bytes.size());
  using Vec = std::vector<double>;
  auto matvec = [](const float* W, int rows, int cols, const Vec& x, const float* b) {
    Vec y(rows);
    for (int o = 0; o < rows; ++o) {
      double s = b != nullptr ? b[o] : 0.0;
      for (int i = 0; i < cols; ++i) s += static_cast<double>(W[static_cast<std::size_t>(o) * cols + i]) * x[i];
      y[o] = s;
    }
    return y;
  };
  auto layer_norm = [&](const Vec& x, const float* g, const float* b) {
    double mean = 0, var = 0;
    for (double v : x) mean += v;
    mean /= D;
    for (double v : x) var += (v - mean) * (v - mean);
    var /= D;
    Vec y(D);
    for (int i = 0; i < D; ++i) y[i] = (x[i] - mean) / std::sqrt(var + static_cast<double>(c.ln_eps)) * g[i] + b[i];
    return y;
  };
  auto rope = [&](double* v, int pos) {
    for (int j = 0; j < hd / 2; ++j) {
      const double phi = pos * std::pow(static_cast<double>(c.rope_theta), -2.0 * j / hd);
      const double a = v[j], b = v[j + hd / 2];
      v[j] = a * std::cos(phi) - b * std::sin(phi);
      v[j + hd / 2] = b * std::cos(phi) + a * std::sin(phi);
    }
  };
  std::vector<Vec> x(T, Vec(D));
  for (int p = 0; p < T; ++p) {
    const int tok = p == 0 ? kBos : bytes[p - 1];
    for (int i = 0; i < D; ++i)
      x[p][i] = w.embed[static_cast<std::size_t>(tok) * D + i] * std::sqrt(static_cast<double>(D));
  }
  for (const LayerWeights& lw : w.layers) {
    std::vector<Vec> q(T), k(T), v(T);
    for (int p = 0; p < T; ++p) {
      const Vec a = layer_norm(x[p], lw.ln1_w, lw.ln1_b);
      q[p] = matvec(lw.wq, D, D, a, nullptr);
      k[p] = matvec(lw.wk, D, D, a, nullptr);
      v[p] = matvec(lw.wv, D, D, a, nullptr);
      for (int h = 0; h < H; ++h) {
        rope(q[p].data() + h * hd, p);
        rope(k[p].data() + h * hd, p);
      }
    }
    for (int p = 0; p < T; ++p) {
      Vec o(D, 0.0);
      for (int h = 0; h < H; ++h) {
        Vec s(p + 1);
        double mx = -INFINITY;
        for (int r = 0; r <= p; ++r) {
          double dot = 0;
          for (int j = h * hd; j < (h + 1) * hd; ++j) dot += q[p][j] * k[r][j];
          s[r] = dot / std::sqrt(static_cast<double>(hd));
          mx = std::max(mx, s[r]);
        }
        double z = 0;
        for (double& e : s) z += (e = std::exp(e - mx));
        for (int r = 0; r <= p; ++r) {
          for (int j = h * hd; j < (h + 1) * hd; ++j) o[j] += s[r] / z * v[r][j];
        }
      }
      const Vec proj = matvec(lw.wo, D, D, o, nullptr);
      for (int i = 0; i < D; ++i) x[p][i] += proj[i];
      Vec u = matvec(lw.up_w, M, D, layer_norm(x[p], lw.ln2_w, lw.ln2_b), lw.up_b);
      for (double& e : u) e = 0.5 * e * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (e + 0.044715 * e * e * e)));
      const Vec d = matvec(lw.down_w, D, M, u, lw.down_b);
      for (int i = 0; i < D; ++i) x[p][i] += d[i];
    }
  }
  std::vector<double> bits(T);
  for (int p = 0; p < T; ++p) {
    const Vec z = matvec(w.head_w, kByteVocab, D, layer_norm(x[p], w.lnf_w, w.lnf_b), w.head_b);
    double mx = -INFINITY, sum = 0;
    for (double e : z) mx = std::max(mx, e);
    for (double e : z) sum += std::exp(e - mx);
    bits[p] = -((z[bytes[p]] - mx) - std::log(sum)) / std::log(2.0);
  }
  return bits;
}

}  // namespace lmzip::model::int8::test
