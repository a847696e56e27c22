// Embedding, LayerNorm, GELU, residual and softmax cross-entropy: forward/backward pairs
// (lmzip/train/layers.h; equations in docs/training.md).
#include <cmath>
#include <numbers>

#include "lmzip/train/layers.h"

namespace lmzip::train {

template <class T>
void embedding_forward(T* out, const int* tokens, const T* E, int N, int D) {
  const T scale = static_cast<T>(std::sqrt(static_cast<double>(D)));
  for (int n = 0; n < N; ++n) {
    const T* row = E + static_cast<std::ptrdiff_t>(tokens[n]) * D;
    for (int i = 0; i < D; ++i) out[n * D + i] = row[i] * scale;
  }
}

template <class T>
void embedding_backward(T* dE, const T* dout, const int* tokens, int N, int D) {
  const T scale = static_cast<T>(std::sqrt(static_cast<double>(D)));
  for (int n = 0; n < N; ++n) {
    T* row = dE + static_cast<std::ptrdiff_t>(tokens[n]) * D;
    for (int i = 0; i < D; ++i) row[i] += dout[n * D + i] * scale;
  }
}

template <class T>
void layernorm_forward(T* out, T* mean, T* rstd, const T* x, const T* w, const T* b, int N, int D, double eps) {
  const T e = static_cast<T>(eps);
  for (int n = 0; n < N; ++n) {  // omp: parallel over n
    const T* xn = x + n * D;
    T m = 0;
    for (int i = 0; i < D; ++i) m += xn[i];
    m /= static_cast<T>(D);
    T v = 0;
    for (int i = 0; i < D; ++i) v += (xn[i] - m) * (xn[i] - m);
    v /= static_cast<T>(D);
    const T r = T(1) / std::sqrt(v + e);
    for (int i = 0; i < D; ++i) out[n * D + i] = (xn[i] - m) * r * w[i] + b[i];
    mean[n] = m;
    rstd[n] = r;
  }
}

// With xhat = (x - mean) rstd and g = dout * w:
//   dx = rstd (g - mean(g) - xhat mean(g xhat)),  dw += dout xhat,  db += dout.
template <class T>
void layernorm_backward(T* dx, T* dw, T* db, const T* dout, const T* x, const T* w, const T* mean,
                        const T* rstd, int N, int D) {
  for (int n = 0; n < N; ++n) {  // omp: parallel over n for dx; dw/db need per-thread sums
    const T* xn = x + n * D;
    const T* dn = dout + n * D;
    const T m = mean[n], r = rstd[n];
    T g_mean = 0, gx_mean = 0;
    for (int i = 0; i < D; ++i) {
      const T xhat = (xn[i] - m) * r;
      const T g = dn[i] * w[i];
      g_mean += g;
      gx_mean += g * xhat;
    }
    g_mean /= static_cast<T>(D);
    gx_mean /= static_cast<T>(D);
    for (int i = 0; i < D; ++i) {
      const T xhat = (xn[i] - m) * r;
      const T g = dn[i] * w[i];
      dx[n * D + i] += r * (g - g_mean - xhat * gx_mean);
      dw[i] += dn[i] * xhat;
      db[i] += dn[i];
    }
  }
}

namespace {
constexpr double kGeluK = 0.7978845608028654;  // sqrt(2/pi)
}

template <class T>
void gelu_forward(T* out, const T* x, int n) {
  const T k = static_cast<T>(std::sqrt(2.0 / std::numbers::pi));
  for (int i = 0; i < n; ++i) {
    const T u = x[i];
    out[i] = T(0.5) * u * (T(1) + std::tanh(k * (u + T(0.044715) * u * u * u)));
  }
}

// d/dx GELU = 0.5 (1 + tanh z) + 0.5 x (1 - tanh^2 z) k (1 + 3 * 0.044715 x^2),  z = k (x + 0.044715 x^3).
template <class T>
void gelu_backward(T* dx, const T* x, const T* dout, int n) {
  const T k = static_cast<T>(kGeluK);
  for (int i = 0; i < n; ++i) {
    const T u = x[i];
    const T th = std::tanh(k * (u + T(0.044715) * u * u * u));
    const T d = T(0.5) * (T(1) + th) + T(0.5) * u * (T(1) - th * th) * k * (T(1) + T(3 * 0.044715) * u * u);
    dx[i] += d * dout[i];
  }
}

template <class T>
void residual_forward(T* out, const T* a, const T* b, int n) {
  for (int i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

template <class T>
void residual_backward(T* da, T* db, const T* dout, int n) {
  for (int i = 0; i < n; ++i) {
    da[i] += dout[i];
    db[i] += dout[i];
  }
}

template <class T>
double crossentropy_forward(T* probs, T* losses, const T* logits, const int* targets, int N, int V) {
  double total = 0;
  for (int n = 0; n < N; ++n) {  // omp: parallel over n (reduce total in a fixed order after)
    const T* z = logits + n * V;
    T* p = probs + n * V;
    T mx = z[0];
    for (int s = 1; s < V; ++s) mx = z[s] > mx ? z[s] : mx;
    T sum = 0;
    for (int s = 0; s < V; ++s) sum += (p[s] = std::exp(z[s] - mx));
    for (int s = 0; s < V; ++s) p[s] /= sum;
    // -ln p[target] from the logits (not the rounded probability): log(sum) - (z_t - max).
    losses[n] = std::log(sum) - (z[targets[n]] - mx);
    total += static_cast<double>(losses[n]);
  }
  return total / N;
}

template <class T>
void crossentropy_backward(T* dlogits, const T* probs, const int* targets, int N, int V) {
  const T inv = T(1) / static_cast<T>(N);
  for (int n = 0; n < N; ++n) {
    for (int s = 0; s < V; ++s) {
      const T indicator = s == targets[n] ? T(1) : T(0);
      dlogits[n * V + s] += (probs[n * V + s] - indicator) * inv;
    }
  }
}

#define LMZIP_INSTANTIATE(T)                                                                             \
  template void embedding_forward<T>(T*, const int*, const T*, int, int);                                \
  template void embedding_backward<T>(T*, const T*, const int*, int, int);                               \
  template void layernorm_forward<T>(T*, T*, T*, const T*, const T*, const T*, int, int, double);        \
  template void layernorm_backward<T>(T*, T*, T*, const T*, const T*, const T*, const T*, const T*, int, \
                                      int);                                                              \
  template void gelu_forward<T>(T*, const T*, int);                                                      \
  template void gelu_backward<T>(T*, const T*, const T*, int);                                           \
  template void residual_forward<T>(T*, const T*, const T*, int);                                        \
  template void residual_backward<T>(T*, T*, const T*, int);                                             \
  template double crossentropy_forward<T>(T*, T*, const T*, const int*, int, int);                       \
  template void crossentropy_backward<T>(T*, const T*, const int*, int, int);
LMZIP_INSTANTIATE(float)
LMZIP_INSTANTIATE(double)
#undef LMZIP_INSTANTIATE

}  // namespace lmzip::train
