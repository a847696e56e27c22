// The reference kernels: plain scalar loops that follow numerics.h literally. They define what
// every SIMD path must compute, and are the path of last resort on any CPU.
#include <cmath>

#include "lmzip/model/int8/kernels.h"
#include "lmzip/model/int8/numerics.h"

namespace lmzip::model::int8 {
namespace {

void matmul_ref(const QMatrix& w, int n, const std::int8_t* x, int x_stride, const float* sx, float* y, int y_stride) {
  for (int r = 0; r < n; ++r) {
    const std::int8_t* xr = x + static_cast<std::size_t>(r) * x_stride;
    for (int o = 0; o < w.rows; ++o) {
      const std::int8_t* wo = w.q.data() + static_cast<std::size_t>(o) * w.cols_pad;
      std::int32_t acc = 0;
      for (int i = 0; i < w.cols; ++i) acc += static_cast<std::int32_t>(wo[i]) * xr[i];
      float v = dequant_v1(acc, sx[r], w.scale[o]);
      if (!w.bias.empty()) v = v + w.bias[o];
      y[static_cast<std::size_t>(r) * y_stride + o] = v;
    }
  }
}

float quantize_ref(const float* x, int n, int n_pad, std::int8_t* q) {
  float amax = 0.0f;
  for (int i = 0; i < n; ++i) amax = max_v1(amax, std::fabs(x[i]));
  const float scale = quant_scale_v1(amax);
  for (int i = 0; i < n; ++i) q[i] = scale == 0.0f ? std::int8_t{0} : quant_one_v1(x[i], scale);
  for (int i = n; i < n_pad; ++i) q[i] = 0;
  return scale;
}

float sum_ref(const float* x, int n) { return canonical_sum(x, n); }

void exp_ref(const float* x, int n, float* y) {
  for (int i = 0; i < n; ++i) y[i] = exp_v1(x[i]);
}

void softmax_ref(const float* x, int n, float* p) {
  float m = x[0];
  for (int i = 1; i < n; ++i) m = max_v1(m, x[i]);
  for (int i = 0; i < n; ++i) p[i] = exp_v1(x[i] - m);
  const float s = canonical_sum(p, n);
  for (int i = 0; i < n; ++i) p[i] = p[i] / s;
}

void layernorm_ref(const float* x, const float* w, const float* b, int n, float eps, float* y) {
  const float mean = canonical_sum(x, n) / static_cast<float>(n);
  CanonicalSum squares;
  for (int i = 0; i < n; ++i) {
    const float d = x[i] - mean;
    squares.add(d * d);
  }
  const float var = squares.result() / static_cast<float>(n);
  const float r = 1.0f / std::sqrt(var + eps);
  for (int i = 0; i < n; ++i) y[i] = ((x[i] - mean) * r) * w[i] + b[i];
}

void gelu_ref(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = gelu_v1(x[i]);
}

// One query: row r of a.
void attention_row_ref(const AttentionArgs& a, int r) {
  const int H = a.n_heads, hd = a.head_dim, D = H * hd, n = a.n_keys + r;
  const float* q_coef = a.q_coef + static_cast<std::size_t>(r) * H;
  float* out = a.out + static_cast<std::size_t>(r) * D;
  for (int h = 0; h < H; ++h) {
    const std::int8_t* q = a.q + (static_cast<std::size_t>(r) * H + h) * a.head_dim_pad;
    auto e = [&](int t) -> float& { return a.weights[weight_index(H, h, t)]; };
    for (int t = 0; t < n; ++t) {
      std::int32_t dot = 0;
      for (int j = 0; j < hd; ++j) {
        dot += static_cast<std::int32_t>(q[j]) * a.keys[key_index(a.ctx_pad, a.head_dim_pad, h, t, j)];
      }
      e(t) = static_cast<float>(dot) * (q_coef[h] * a.key_scale[static_cast<std::size_t>(h) * a.ctx_pad + t]);
    }
    float m = e(0);
    for (int t = 1; t < n; ++t) m = max_v1(m, e(t));
    for (int t = 0; t < n; ++t) e(t) = exp_v1(e(t) - m);
    CanonicalSum sum;
    for (int t = 0; t < n; ++t) sum.add(e(t));
    const float s = sum.result();
    for (int t = 0; t < n; ++t) e(t) = e(t) * a.value_scale[static_cast<std::size_t>(h) * a.ctx_pad + t];
    for (int d = 0; d < hd; ++d) {
      float acc = 0.0f;
      for (int t = 0; t < n; ++t) {
        acc = acc + e(t) * static_cast<float>(a.values[static_cast<std::size_t>(t) * D + h * hd + d]);
      }
      out[h * hd + d] = acc / s;
    }
  }
}

void attention_ref(const AttentionArgs& a) {
  for (int r = 0; r < a.rows; ++r) attention_row_ref(a, r);
}

}  // namespace

const Kernels& reference_kernels() {
  static const Kernels k{KernelPath::reference, matmul_ref,    quantize_ref, sum_ref,      exp_ref,
                         softmax_ref,           layernorm_ref, gelu_ref,     attention_ref};
  return k;
}

}  // namespace lmzip::model::int8
