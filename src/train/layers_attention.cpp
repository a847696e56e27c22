// RoPE and causal multi-head attention: forward/backward pairs (lmzip/train/layers.h; the
// backward equations are in docs/training.md).
#include <cmath>
#include <vector>

#include "axpy.h"
#include "lmzip/train/layers.h"

namespace lmzip::train {

using detail::axpy;

template <class T>
void rope_tables(T* cos_t, T* sin_t, int Tlen, int hd, double theta) {
  const int half = hd / 2;
  const double h = static_cast<double>(hd);
  for (int p = 0; p < Tlen; ++p) {
    for (int j = 0; j < half; ++j) {
      const double angle = p * std::pow(theta, -2.0 * static_cast<double>(j) / h);
      cos_t[p * half + j] = static_cast<T>(std::cos(angle));
      sin_t[p * half + j] = static_cast<T>(std::sin(angle));
    }
  }
}

namespace {

// Applies R(p) (sign = +1) or R(p)^T (sign = -1) to every head of every position.
template <class T>
void rotate(T* x, const T* cos_t, const T* sin_t, int B, int Tlen, int H, int hd, T sign) {
  const int half = hd / 2, D = H * hd;
  for (int b = 0; b < B; ++b) {
    for (int p = 0; p < Tlen; ++p) {
      const T* c = cos_t + p * half;
      const T* s = sin_t + p * half;
      T* row = x + (static_cast<std::size_t>(b) * Tlen + p) * D;
      for (int a = 0; a < H; ++a) {
        T* u = row + a * hd;
        for (int j = 0; j < half; ++j) {
          const T u0 = u[j], u1 = u[j + half], sn = sign * s[j];
          u[j] = u0 * c[j] - u1 * sn;
          u[j + half] = u1 * c[j] + u0 * sn;
        }
      }
    }
  }
}

}  // namespace

template <class T>
void rope_forward(T* x, const T* cos_t, const T* sin_t, int B, int Tlen, int H, int hd) {
  rotate(x, cos_t, sin_t, B, Tlen, H, hd, T(1));
}

template <class T>
void rope_backward(T* dx, const T* cos_t, const T* sin_t, int B, int Tlen, int H, int hd) {
  rotate(dx, cos_t, sin_t, B, Tlen, H, hd, T(-1));
}

template <class T>
void attention_forward(T* out, T* att, const T* q, const T* k, const T* v, int B, int Tlen, int H, int hd) {
  const int D = H * hd;
  const T scale = static_cast<T>(1.0 / std::sqrt(static_cast<double>(hd)));
  for (int b = 0; b < B; ++b) {
    for (int a = 0; a < H; ++a) {  // omp: parallel over (b, a) (collapse(2))
      for (int t = 0; t < Tlen; ++t) {
        const T* qt = q + (static_cast<std::size_t>(b) * Tlen + t) * D + a * hd;
        T* row = att + ((static_cast<std::size_t>(b) * H + a) * Tlen + t) * Tlen;
        T mx = -INFINITY;
        for (int r = 0; r <= t; ++r) {
          const T* kr = k + (static_cast<std::size_t>(b) * Tlen + r) * D + a * hd;
          T dot = 0;
          for (int j = 0; j < hd; ++j) dot += qt[j] * kr[j];
          row[r] = dot * scale;
          mx = row[r] > mx ? row[r] : mx;
        }
        T sum = 0;
        for (int r = 0; r <= t; ++r) sum += (row[r] = std::exp(row[r] - mx));
        for (int r = 0; r <= t; ++r) row[r] /= sum;
        for (int r = t + 1; r < Tlen; ++r) row[r] = 0;
        T* ot = out + (static_cast<std::size_t>(b) * Tlen + t) * D + a * hd;
        for (int j = 0; j < hd; ++j) ot[j] = 0;
        for (int r = 0; r <= t; ++r) axpy(ot, row[r], v + (static_cast<std::size_t>(b) * Tlen + r) * D + a * hd, hd);
      }
    }
  }
}

// For one (b, head, t), with alpha = att row, s = scores:
//   dalpha_r = dout_t . v_r;  dv_r += alpha_r dout_t;
//   ds_r = alpha_r (dalpha_r - sum_r' alpha_r' dalpha_r');
//   dq_t += scale sum_r ds_r k_r;  dk_r += scale ds_r q_t.
template <class T>
void attention_backward(T* dq, T* dk, T* dv, const T* dout, const T* att, const T* q, const T* k, const T* v,
                        int B, int Tlen, int H, int hd) {
  const int D = H * hd;
  const T scale = static_cast<T>(1.0 / std::sqrt(static_cast<double>(hd)));
  std::vector<T> ds(static_cast<std::size_t>(Tlen));
  for (int b = 0; b < B; ++b) {
    for (int a = 0; a < H; ++a) {  // omp: parallel over (b, a), ds per thread
      const std::size_t base = static_cast<std::size_t>(b) * Tlen;
      for (int t = 0; t < Tlen; ++t) {
        const T* row = att + ((static_cast<std::size_t>(b) * H + a) * Tlen + t) * Tlen;
        const T* dot_ = dout + (base + t) * D + a * hd;
        T weighted = 0;
        for (int r = 0; r <= t; ++r) {
          const T* vr = v + (base + r) * D + a * hd;
          T d = 0;
          for (int j = 0; j < hd; ++j) d += dot_[j] * vr[j];
          ds[r] = d;
          weighted += row[r] * d;
          axpy(dv + (base + r) * D + a * hd, row[r], dot_, hd);
        }
        const T* qt = q + (base + t) * D + a * hd;
        T* dqt = dq + (base + t) * D + a * hd;
        for (int r = 0; r <= t; ++r) {
          const T g = row[r] * (ds[r] - weighted) * scale;
          axpy(dqt, g, k + (base + r) * D + a * hd, hd);
          axpy(dk + (base + r) * D + a * hd, g, qt, hd);
        }
      }
    }
  }
}

#define LMZIP_INSTANTIATE(T)                                                                                    \
  template void rope_tables<T>(T*, T*, int, int, double);                                                       \
  template void rope_forward<T>(T*, const T*, const T*, int, int, int, int);                                    \
  template void rope_backward<T>(T*, const T*, const T*, int, int, int, int);                                   \
  template void attention_forward<T>(T*, T*, const T*, const T*, const T*, int, int, int, int);                 \
  template void attention_backward<T>(T*, T*, T*, const T*, const T*, const T*, const T*, const T*, int, int, \
                                      int, int);
LMZIP_INSTANTIATE(float)
LMZIP_INSTANTIATE(double)
#undef LMZIP_INSTANTIATE

}  // namespace lmzip::train
