// The GPU training backend's fused causal attention (FlashAttention's recurrence), one thread per
// query row (forward, dq) or key row (dk, dv), nothing of size T x T stored. Functors as in
// kernels.h: the same code is a CUDA kernel under CudaOps and a loop under HostOps, where the
// tests hold it to its plain twin, the GEMM + causal softmax path of gpu_model.h (softmax.h).
//
// Layout: q, k, v, y, dy per head (B*H, T, HD), row i = (b*H + h)*T + t; HD (8, 16, 32, 64) is a
// template argument so that a row lives in registers. The 32 threads of a warp hold 32
// consecutive rows of one head, so at each step they all read the same key (or query) row: one
// broadcast load.
//
// Each step takes kGroup = 4 keys (queries) at once: four independent dot products instead of
// one chain of HD dependent multiply-adds, whose latency a thread with this many registers (few
// warps per SM) cannot hide otherwise (one key a step: 361 KB/s of 3.2M training on an H200, four:
// 417 KB/s; docs/training.md). Rows of a group past the causal limit (or past T) are read clamped
// to a valid row and weighted 0.
#pragma once
#include <math.h>

#include "kernels.h"

namespace lmzip::train::gpu {

inline constexpr int kGroup = 4;  // group_axpy spells out its four rows

// Full unrolling of the loops over a row and over a group, so that the arrays stay in registers.
#if defined(__CUDACC__)
#define LMZIP_UNROLL _Pragma("unroll")
#else
#define LMZIP_UNROLL
#endif

// Four consecutive floats of a row: one 16-byte load (LDG.128) on the device. p is 16-byte
// aligned: cudaMalloc's base is 256-byte aligned and a row starts at a multiple of HD floats.
struct Vec4 {
  float x, y, z, w;
};
LMZIP_HD inline Vec4 load4(const float* p) {
#if defined(__CUDA_ARCH__)
  const float4 v = *reinterpret_cast<const float4*>(p);
  return {v.x, v.y, v.z, v.w};
#else
  return {p[0], p[1], p[2], p[3]};
#endif
}

// e^x: the hardware's ex2-based __expf on the device (a few ulp; training only, not the coding
// path), expf on the host. e^-inf = 0 on both.
LMZIP_HD inline float attention_exp(float x) {
#if defined(__CUDA_ARCH__)
  return __expf(x);
#else
  return expf(x);
#endif
}

// dot[u] += a_u . x over one row of HD, for kGroup rows a_u (x in registers).
template <int HD>
LMZIP_HD inline void group_dots(float (&dot)[kGroup], const float* const* rows, const float (&x)[HD]) {
  LMZIP_UNROLL
  for (int j = 0; j < HD; j += 4) {
    LMZIP_UNROLL
    for (int u = 0; u < kGroup; ++u) {
      const Vec4 a = load4(rows[u] + j);
      dot[u] += a.x * x[j];
      dot[u] += a.y * x[j + 1];
      dot[u] += a.z * x[j + 2];
      dot[u] += a.w * x[j + 3];
    }
  }
}

// acc = acc * keep + sum_u w[u] rows_u (registers += weighted rows).
template <int HD>
LMZIP_HD inline void group_axpy(float (&acc)[HD], float keep, const float (&w)[kGroup], const float* const* rows) {
  static_assert(kGroup == 4);
  LMZIP_UNROLL
  for (int j = 0; j < HD; j += 4) {
    const Vec4 a = load4(rows[0] + j), b = load4(rows[1] + j), c = load4(rows[2] + j), d = load4(rows[3] + j);
    acc[j] = acc[j] * keep + w[0] * a.x + w[1] * b.x + w[2] * c.x + w[3] * d.x;
    acc[j + 1] = acc[j + 1] * keep + w[0] * a.y + w[1] * b.y + w[2] * c.y + w[3] * d.y;
    acc[j + 2] = acc[j + 2] * keep + w[0] * a.z + w[1] * b.z + w[2] * c.z + w[3] * d.z;
    acc[j + 3] = acc[j + 3] * keep + w[0] * a.w + w[1] * b.w + w[2] * c.w + w[3] * d.w;
  }
}

// The rows of keys r0 .. r0+3 of one head (starting at float `head`) in k and v, clamped to the
// query's position t: a row past the causal limit is read (a valid address) and weighted 0.
template <int HD>
LMZIP_HD inline void key_group(const float* (&krows)[kGroup], const float* (&vrows)[kGroup], const float* k,
                               const float* v, Index head, Index r0, Index t) {
  LMZIP_UNROLL
  for (int u = 0; u < kGroup; ++u) {
    const Index r = r0 + u <= t ? r0 + u : t;
    krows[u] = k + head + r * HD;
    vrows[u] = v + head + r * HD;
  }
}

// Forward, per query row: online softmax over keys 0..t of s = scale q.k, y = sum p v / sum p,
// and lse = max + ln(sum p) saved for the backward.
template <int HD>
struct FlashForward {
  float* y; float* lse; const float* q; const float* k; const float* v; int T; float scale;
  LMZIP_HD void operator()(Index i) const {
    const Index t = i % T, head = (i - t) * HD;
    float qr[HD], acc[HD];
    LMZIP_UNROLL
    for (int j = 0; j < HD; ++j) {
      qr[j] = q[i * HD + j];
      acc[j] = 0.0f;
    }
    float m = -INFINITY, l = 0.0f;
    for (Index r0 = 0; r0 <= t; r0 += kGroup) {
      const float* krows[kGroup];
      const float* vrows[kGroup];
      key_group<HD>(krows, vrows, k, v, head, r0, t);
      float s[kGroup] = {};
      group_dots<HD>(s, krows, qr);
      float mx = m;  // finite after the first group, whose key 0 is always in range
      LMZIP_UNROLL
      for (int u = 0; u < kGroup; ++u) {
        s[u] *= scale;
        if (r0 + u <= t) mx = s[u] > mx ? s[u] : mx;
      }
      const float keep = attention_exp(m - mx);  // 0 at the first group (m = -inf)
      float p[kGroup];
      LMZIP_UNROLL
      for (int u = 0; u < kGroup; ++u) p[u] = r0 + u <= t ? attention_exp(s[u] - mx) : 0.0f;
      l = l * keep + p[0] + p[1] + p[2] + p[3];
      group_axpy<HD>(acc, keep, p, vrows);
      m = mx;
    }
    const float inv = 1.0f / l;
    LMZIP_UNROLL
    for (int j = 0; j < HD; ++j) y[i * HD + j] = acc[j] * inv;
    lse[i] = m + logf(l);
  }
};

// delta[i] = dy[i] . y[i] (per head row), the softmax backward's correction term.
template <int HD>
struct RowDot {
  float* delta; const float* dy; const float* y;
  LMZIP_HD void operator()(Index i) const {
    float s = 0.0f;
    for (int j = 0; j < HD; ++j) s += dy[i * HD + j] * y[i * HD + j];
    delta[i] = s;
  }
};

// dq of query row i: sum over keys r <= t of ds_r k_r scale, with p = exp(s - lse),
// ds = p (dy.v_r - delta).
template <int HD>
struct FlashBackwardQuery {
  float* dq; const float* q; const float* k; const float* v; const float* dy; const float* lse;
  const float* delta; int T; float scale;
  LMZIP_HD void operator()(Index i) const {
    const Index t = i % T, head = (i - t) * HD;
    float qr[HD], dyr[HD], acc[HD];
    LMZIP_UNROLL
    for (int j = 0; j < HD; ++j) {
      qr[j] = q[i * HD + j];
      dyr[j] = dy[i * HD + j];
      acc[j] = 0.0f;
    }
    const float li = lse[i], di = delta[i];
    for (Index r0 = 0; r0 <= t; r0 += kGroup) {
      const float* krows[kGroup];
      const float* vrows[kGroup];
      key_group<HD>(krows, vrows, k, v, head, r0, t);
      float s[kGroup] = {}, dp[kGroup] = {};
      group_dots<HD>(s, krows, qr);
      group_dots<HD>(dp, vrows, dyr);
      float ds[kGroup];
      LMZIP_UNROLL
      for (int u = 0; u < kGroup; ++u) ds[u] = r0 + u <= t ? attention_exp(s[u] * scale - li) * (dp[u] - di) : 0.0f;
      group_axpy<HD>(acc, 1.0f, ds, krows);
    }
    LMZIP_UNROLL
    for (int j = 0; j < HD; ++j) dq[i * HD + j] = acc[j] * scale;
  }
};

// dk and dv of key row i (position r): sums over queries t >= r of ds_t q_t scale and p_t dy_t.
template <int HD>
struct FlashBackwardKeyValue {
  float* dk; float* dv; const float* q; const float* k; const float* v; const float* dy; const float* lse;
  const float* delta; int T; float scale;
  LMZIP_HD void operator()(Index i) const {
    const Index r = i % T, first = i - r;  // first: the head's row 0
    float kr[HD], vr[HD], dk_acc[HD], dv_acc[HD];
    LMZIP_UNROLL
    for (int j = 0; j < HD; ++j) {
      kr[j] = k[i * HD + j];
      vr[j] = v[i * HD + j];
      dk_acc[j] = 0.0f;
      dv_acc[j] = 0.0f;
    }
    // From the warp's first position (rows come 32 to a warp), so that the threads of a warp read
    // the same query rows at the same time; groups wholly before r are skipped.
    for (Index t0 = r - r % 32; t0 < T; t0 += kGroup) {
      if (t0 + kGroup - 1 < r) continue;
      const float* qrows[kGroup];
      const float* dyrows[kGroup];
      Index rows[kGroup];
      LMZIP_UNROLL
      for (int u = 0; u < kGroup; ++u) {
        rows[u] = first + (t0 + u < T ? t0 + u : T - 1);
        qrows[u] = q + rows[u] * HD;
        dyrows[u] = dy + rows[u] * HD;
      }
      float s[kGroup] = {}, dp[kGroup] = {};
      group_dots<HD>(s, qrows, kr);
      group_dots<HD>(dp, dyrows, vr);
      float p[kGroup], ds[kGroup];
      LMZIP_UNROLL
      for (int u = 0; u < kGroup; ++u) {
        const bool live = t0 + u >= r && t0 + u < T;
        p[u] = live ? attention_exp(s[u] * scale - lse[rows[u]]) : 0.0f;
        ds[u] = p[u] * (dp[u] - delta[rows[u]]);
      }
      group_axpy<HD>(dv_acc, 1.0f, p, dyrows);
      group_axpy<HD>(dk_acc, 1.0f, ds, qrows);
    }
    LMZIP_UNROLL
    for (int j = 0; j < HD; ++j) {
      dk[i * HD + j] = dk_acc[j] * scale;
      dv[i * HD + j] = dv_acc[j];
    }
  }
};

#undef LMZIP_UNROLL

}  // namespace lmzip::train::gpu
