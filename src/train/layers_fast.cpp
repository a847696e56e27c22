// The GEMM forms of the affine layer and causal attention (lmzip/train/layers_fast.h).
//
// Attention, per sequence b and head a, over blocks of query rows [t0, t1) (kRowBlock rows):
//   forward:  S = scale Q[t0:t1] K[0:t1]^T (into att's rows), softmax of each row over r <= t,
//             zeros above the diagonal, out[t0:t1] = P V[0:t1];
//   backward: dP = dout[t0:t1] V[0:t1]^T, dS = P (dP - rowsum(P dP)) scale (zero above the
//             diagonal), dq[t0:t1] += dS K[0:t1], dk[0:t1] += dS^T Q[t0:t1], dv[0:t1] += P^T dout[t0:t1].
// The rows' softmax and its backward are vec_kernels.h's, at the CPU's widest vectors.
// The equations are the reference's (layers_attention.cpp, docs/training.md).
#include "lmzip/train/layers_fast.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "sgemm.h"
#include "vec_kernels.h"

namespace lmzip::train::fast {

using detail::sgemm;

namespace {

constexpr int kRowBlock = 128;

}  // namespace

bool accelerated() {
#ifdef LMZIP_HAVE_OPENBLAS
  return true;
#else
  return false;
#endif
}

std::string backend() { return detail::sgemm_backend(); }

void matmul_forward(float* out, const float* x, const float* W, const float* b, int N, int IN, int OUT) {
  for (int n = 0; n < N; ++n) {
    float* y = out + static_cast<std::size_t>(n) * static_cast<std::size_t>(OUT);
    if (b) {
      std::copy(b, b + OUT, y);
    } else {
      std::fill(y, y + OUT, 0.0f);
    }
  }
  sgemm(false, true, N, OUT, IN, 1.0f, x, IN, W, IN, 1.0f, out, OUT);  // out += x W^T
}

void matmul_backward(float* dx, float* dW, float* db, const float* dout, const float* x, const float* W, int N,
                     int IN, int OUT) {
  sgemm(false, false, N, IN, OUT, 1.0f, dout, OUT, W, IN, 1.0f, dx, IN);  // dx += dout W
  sgemm(true, false, OUT, IN, N, 1.0f, dout, OUT, x, IN, 1.0f, dW, IN);   // dW += dout^T x
  if (!db) return;
  for (int n = 0; n < N; ++n) {
    const float* d = dout + static_cast<std::size_t>(n) * static_cast<std::size_t>(OUT);
    for (int o = 0; o < OUT; ++o) db[o] += d[o];
  }
}

void attention_forward(float* out, float* att, const float* q, const float* k, const float* v, int B, int Tlen,
                       int H, int hd) {
  const int D = H * hd;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
  const std::size_t T = static_cast<std::size_t>(Tlen);
  const auto softmax = detail::vec_kernels().front().softmax_in_place;
  for (int b = 0; b < B; ++b) {
    const std::size_t base = static_cast<std::size_t>(b) * T;
    for (int a = 0; a < H; ++a) {
      const std::size_t col = static_cast<std::size_t>(a) * static_cast<std::size_t>(hd);
      float* P = att + (static_cast<std::size_t>(b) * static_cast<std::size_t>(H) + static_cast<std::size_t>(a)) * T * T;
      for (int t0 = 0; t0 < Tlen; t0 += kRowBlock) {
        const int t1 = std::min(Tlen, t0 + kRowBlock), rows = t1 - t0;
        float* S = P + static_cast<std::size_t>(t0) * T;
        sgemm(false, true, rows, t1, hd, scale, q + (base + static_cast<std::size_t>(t0)) * D + col, D,
              k + base * D + col, D, 0.0f, S, Tlen);
        for (int t = t0; t < t1; ++t) {
          float* row = P + static_cast<std::size_t>(t) * T;
          softmax(row, t + 1);
          std::fill(row + t + 1, row + Tlen, 0.0f);
        }
        sgemm(false, false, rows, hd, t1, 1.0f, S, Tlen, v + base * D + col, D, 0.0f,
              out + (base + static_cast<std::size_t>(t0)) * D + col, D);
      }
    }
  }
}

void attention_backward(float* dq, float* dk, float* dv, const float* dout, const float* att, const float* q,
                        const float* k, const float* v, int B, int Tlen, int H, int hd) {
  const int D = H * hd;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
  const std::size_t T = static_cast<std::size_t>(Tlen);
  std::vector<float> dS(static_cast<std::size_t>(std::min(Tlen, kRowBlock)) * T);
  const auto softmax_backward = detail::vec_kernels().front().softmax_backward_in_place;
  for (int b = 0; b < B; ++b) {
    const std::size_t base = static_cast<std::size_t>(b) * T;
    for (int a = 0; a < H; ++a) {
      const std::size_t col = static_cast<std::size_t>(a) * static_cast<std::size_t>(hd);
      const float* P = att + (static_cast<std::size_t>(b) * static_cast<std::size_t>(H) + static_cast<std::size_t>(a)) * T * T;
      for (int t0 = 0; t0 < Tlen; t0 += kRowBlock) {
        const int t1 = std::min(Tlen, t0 + kRowBlock), rows = t1 - t0;
        const std::size_t r0 = base + static_cast<std::size_t>(t0);
        const float* Pb = P + static_cast<std::size_t>(t0) * T;
        sgemm(false, true, rows, t1, hd, 1.0f, dout + r0 * D + col, D, v + base * D + col, D, 0.0f, dS.data(), Tlen);
        for (int t = t0; t < t1; ++t) {
          float* d = dS.data() + static_cast<std::size_t>(t - t0) * T;
          softmax_backward(d, P + static_cast<std::size_t>(t) * T, t + 1, scale);
          std::fill(d + t + 1, d + t1, 0.0f);
        }
        sgemm(false, false, rows, hd, t1, 1.0f, dS.data(), Tlen, k + base * D + col, D, 1.0f, dq + r0 * D + col, D);
        sgemm(true, false, t1, hd, rows, 1.0f, dS.data(), Tlen, q + r0 * D + col, D, 1.0f, dk + base * D + col, D);
        sgemm(true, false, t1, hd, rows, 1.0f, Pb, Tlen, dout + r0 * D + col, D, 1.0f, dv + base * D + col, D);
      }
    }
  }
}

void gelu_forward(float* out, const float* x, int n) { detail::vec_kernels().front().gelu_forward(out, x, n); }

void gelu_backward(float* dx, const float* x, const float* dout, int n) {
  detail::vec_kernels().front().gelu_backward(dx, x, dout, n);
}

}  // namespace lmzip::train::fast
