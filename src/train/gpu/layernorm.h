// LayerNorm on the GPU backend: the plain kernels (one thread per row) and the coalesced ones
// the model runs (docs/training.md, "The CUDA backend").
//
// One thread per row reads its row's D floats while the next thread reads the next row, D floats
// further on: a warp touches 32 rows' worth of cache lines for every float it loads (Nsight
// Compute put LayerNorm's backward at 15% of a 3.2M step). The coalesced version splits each row
// sum in two: kRowLanes threads per row, thread (n, lane) adding elements lane, lane + kRowLanes,
// ... of row n (neighbouring threads read neighbouring floats), then one thread per row adding its
// kRowLanes partial sums in lane order. The order of every sum is fixed by D alone, never by the
// launch configuration. The element-wise parts run one thread per element. The plain kernels are
// the twins that tests/train/gpu/layernorm_test.cpp holds the coalesced ones to.
#pragma once
#include "kernels.h"

namespace lmzip::train::gpu {

// LayerNorm of row n (one thread per row), as lmzip::train::layernorm_forward.
struct LayerNormForward {
  float* out; float* mean; float* rstd; const float* x; const float* w; const float* b; int D; float eps;
  LMZIP_HD void operator()(Index n) const {
    const float* xn = x + n * D;
    float m = 0.0f;
    for (int i = 0; i < D; ++i) m += xn[i];
    m /= static_cast<float>(D);
    float v = 0.0f;
    for (int i = 0; i < D; ++i) v += (xn[i] - m) * (xn[i] - m);
    v /= static_cast<float>(D);
    const float r = 1.0f / sqrtf(v + eps);
    for (int i = 0; i < D; ++i) out[n * D + i] = (xn[i] - m) * r * w[i] + b[i];
    mean[n] = m;
    rstd[n] = r;
  }
};

// dx[n] += rstd (g - mean(g) - xhat mean(g xhat)) with g = dout w (one thread per row), and
// dout_xhat[n, i] = dout xhat, whose column sums (a GEMM with ones) are dw.
struct LayerNormBackward {
  float* dx; float* dout_xhat; const float* dout; const float* x; const float* w; const float* mean;
  const float* rstd; int D;
  LMZIP_HD void operator()(Index n) const {
    const float* xn = x + n * D;
    const float* dn = dout + n * D;
    const float m = mean[n], r = rstd[n];
    float g_mean = 0.0f, gx_mean = 0.0f;
    for (int i = 0; i < D; ++i) {
      const float xhat = (xn[i] - m) * r;
      const float g = dn[i] * w[i];
      g_mean += g;
      gx_mean += g * xhat;
    }
    g_mean /= static_cast<float>(D);
    gx_mean /= static_cast<float>(D);
    for (int i = 0; i < D; ++i) {
      const float xhat = (xn[i] - m) * r;
      const float g = dn[i] * w[i];
      dx[n * D + i] += r * (g - g_mean - xhat * gx_mean);
      dout_xhat[n * D + i] = dn[i] * xhat;
    }
  }
};

// partial[n * kRowLanes + lane] = sum over i = lane, lane + kRowLanes, ... < D of x[n, i], or of
// (x[n, i] - mean[n])^2 when mean is given. One thread per (row, lane).
struct RowPartialSums {
  float* partial; const float* x; const float* mean; int D;
  LMZIP_HD void operator()(Index i) const {
    const Index n = i / kRowLanes;
    const float* xn = x + n * D;
    float s = 0.0f;
    if (mean) {
      const float m = mean[n];
      for (int j = static_cast<int>(i % kRowLanes); j < D; j += kRowLanes) s += (xn[j] - m) * (xn[j] - m);
    } else {
      for (int j = static_cast<int>(i % kRowLanes); j < D; j += kRowLanes) s += xn[j];
    }
    partial[i] = s;
  }
};

// out[n] = (the row's partial sums) / D. One thread per row.
struct RowMean {
  float* out; const float* partial; int D;
  LMZIP_HD void operator()(Index n) const { out[n] = sum_lanes(partial, n) / static_cast<float>(D); }
};

// rstd[n] = 1 / sqrt((the row's partial sums of squares) / D + eps). One thread per row.
struct RowRstd {
  float* rstd; const float* partial; int D; float eps;
  LMZIP_HD void operator()(Index n) const { rstd[n] = 1.0f / sqrtf(sum_lanes(partial, n) / static_cast<float>(D) + eps); }
};

// out = (x - mean) rstd w + b, one thread per element.
struct LayerNormApply {
  float* out; const float* x; const float* w; const float* b; const float* mean; const float* rstd; int D;
  LMZIP_HD void operator()(Index i) const {
    const Index n = i / D;
    const int j = static_cast<int>(i % D);
    out[i] = (x[i] - mean[n]) * rstd[n] * w[j] + b[j];
  }
};

// The backward's row sums, split by lane: partial_g of g = dout w, partial_gx of g xhat; and
// dout_xhat = dout xhat (for dw), element by element. One thread per (row, lane).
struct LayerNormBackwardPartials {
  float* partial_g; float* partial_gx; float* dout_xhat; const float* dout; const float* x; const float* w;
  const float* mean; const float* rstd; int D;
  LMZIP_HD void operator()(Index i) const {
    const Index n = i / kRowLanes;
    const float m = mean[n], r = rstd[n];
    float sg = 0.0f, sgx = 0.0f;
    for (int j = static_cast<int>(i % kRowLanes); j < D; j += kRowLanes) {
      const Index e = n * D + j;
      const float xhat = (x[e] - m) * r;
      const float g = dout[e] * w[j];
      sg += g;
      sgx += g * xhat;
      dout_xhat[e] = dout[e] * xhat;
    }
    partial_g[i] = sg;
    partial_gx[i] = sgx;
  }
};

// dx += rstd (g - g_mean - xhat gx_mean), one thread per element.
struct LayerNormBackwardApply {
  float* dx; const float* dout; const float* x; const float* w; const float* mean; const float* rstd;
  const float* g_mean; const float* gx_mean; int D;
  LMZIP_HD void operator()(Index i) const {
    const Index n = i / D;
    const int j = static_cast<int>(i % D);
    const float r = rstd[n];
    const float xhat = (x[i] - mean[n]) * r;
    dx[i] += r * (dout[i] * w[j] - g_mean[n] - xhat * gx_mean[n]);
  }
};

// out, mean, rstd = LayerNorm of x (N, D), as LayerNormForward.
template <class Ops>
void layernorm_forward(Ops& ops, const RowScratch& s, float* out, float* mean, float* rstd, const float* x,
                       const float* w, const float* b, Index N, int D, float eps) {
  ops.launch(N * kRowLanes, RowPartialSums{s.partial_a, x, nullptr, D});
  ops.launch(N, RowMean{mean, s.partial_a, D});
  ops.launch(N * kRowLanes, RowPartialSums{s.partial_a, x, mean, D});
  ops.launch(N, RowRstd{rstd, s.partial_a, D, eps});
  ops.launch(N * D, LayerNormApply{out, x, w, b, mean, rstd, D});
}

// dx += LayerNorm's backward, dout_xhat = dout xhat, as LayerNormBackward.
template <class Ops>
void layernorm_backward(Ops& ops, const RowScratch& s, float* dx, float* dout_xhat, const float* dout,
                        const float* x, const float* w, const float* mean, const float* rstd, Index N, int D) {
  ops.launch(N * kRowLanes, LayerNormBackwardPartials{s.partial_a, s.partial_b, dout_xhat, dout, x, w, mean, rstd, D});
  ops.launch(N, RowMean{s.row_a, s.partial_a, D});
  ops.launch(N, RowMean{s.row_b, s.partial_b, D});
  ops.launch(N * D, LayerNormBackwardApply{dx, dout, x, w, mean, rstd, s.row_a, s.row_b, D});
}

}  // namespace lmzip::train::gpu
