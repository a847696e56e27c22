// AVX-512 attention for one query (AttentionArgs in kernels.h): scores on vpdpbusd over the
// blocked key cache (16 positions per 64-byte group), exp and the canonical sum on 16 lanes, and
// the weighted sum of values across the model dimension, each lane summing over positions in
// order (so it is the reference's sequential sum, 16 lanes at a time).
#include <cmath>

#include "lmzip/model/int8/kernels.h"
#include "scalar_weighted_values.h"
#include "simd_avx512.h"

namespace lmzip::model::int8 {
namespace avx512 {
namespace {

// Fills head h's weights c_t for t < n (zeros to the end of the last 16-block);
// @return S = canonical_sum(e). G = head_dim_pad / 4 when known at compile time (else 0).
template <int G>
LMZIP_AVX512 float head_weights(const AttentionArgs& a, int h) {
  const int n = a.n_keys, H = a.n_heads;
  const int groups = G > 0 ? G : a.head_dim_pad / 4;
  // The query made unsigned (q ^ 0x80 == q + 128); the key's 128 * sum fixes the offset.
  const std::int8_t* q = a.q + static_cast<std::size_t>(h) * a.head_dim_pad;
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  __m512i qb[G > 0 ? G : 1];
  if constexpr (G > 0) {
#pragma GCC unroll 16
    for (int g = 0; g < G; ++g) qb[g] = _mm512_xor_si512(_mm512_set1_epi32(load4(q + 4 * g)), flip);
  }
  const std::int8_t* keys = a.keys + key_index(a.ctx_pad, a.head_dim_pad, h, 0, 0);
  const float* ks = a.key_scale + static_cast<std::size_t>(h) * a.ctx_pad;
  const std::int32_t* kf = a.key_sum128 + static_cast<std::size_t>(h) * a.ctx_pad;
  const __m512 coef = _mm512_set1_ps(a.q_coef[h]);
  __m512 mx = _mm512_set1_ps(-INFINITY);
  for (int t0 = 0; t0 < n; t0 += 16) {
    const std::int8_t* block = keys + static_cast<std::size_t>(t0) * a.head_dim_pad;
    __m512i acc = _mm512_setzero_si512();
    if constexpr (G > 0) {
#pragma GCC unroll 16
      for (int g = 0; g < G; ++g) acc = _mm512_dpbusd_epi32(acc, qb[g], _mm512_loadu_si512(block + 64 * g));
    } else {
      for (int g = 0; g < groups; ++g) {
        const __m512i b = _mm512_xor_si512(_mm512_set1_epi32(load4(q + 4 * g)), flip);
        acc = _mm512_dpbusd_epi32(acc, b, _mm512_loadu_si512(block + 64 * g));
      }
    }
    const __m512i dot = _mm512_sub_epi32(acc, _mm512_loadu_si512(kf + t0));
    const __m512 f = _mm512_cvt_roundepi32_ps(dot, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 s = _mm512_mul_ps(f, _mm512_mul_ps(coef, _mm512_loadu_ps(ks + t0)));
    _mm512_storeu_ps(a.weights + weight_index(H, h, t0), s);
    mx = _mm512_mask_max_ps(mx, head_mask(n - t0), mx, s);
  }
  const __m512 m = _mm512_set1_ps(_mm512_reduce_max_ps(mx));
  const float* vs = a.value_scale + static_cast<std::size_t>(h) * a.ctx_pad;
  __m512 sum = _mm512_setzero_ps();
  for (int t0 = 0; t0 < n; t0 += 16) {
    float* e = a.weights + weight_index(H, h, t0);
    const __m512 v = _mm512_maskz_mov_ps(head_mask(n - t0), exp16(_mm512_sub_ps(_mm512_loadu_ps(e), m)));
    _mm512_storeu_ps(e, _mm512_mul_ps(v, _mm512_loadu_ps(vs + t0)));
    sum = _mm512_add_ps(sum, v);
  }
  return combine16(sum);
}

// Queries j < NQ of a group (their weights in slots j of a.weights, their totals in
// total[j * H + h], query j attending to n_keys + j positions), heads h0 .. h0+HPC-1,
// head_dim = 16 VPH: NQ x VPH x HPC accumulators of 16 lanes, each lane summing over t in order.
// The value row of position t is loaded and converted once for all NQ queries. Per block of 16
// positions a query's head weights lie at fixed distances from one pointer (weight_index).
template <int VPH, int HPC, int NQ>
LMZIP_AVX512 void weighted_values(const AttentionArgs& a, int h0, const float* total) {
  constexpr int NV = VPH * HPC;
  const int H = a.n_heads, D = H * a.head_dim, n = a.n_keys;
  const std::size_t slot = static_cast<std::size_t>(a.ctx_pad) * H;
  __m512 acc[NQ][NV];
#pragma GCC unroll 16
  for (int j = 0; j < NQ; ++j)
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) acc[j][v] = _mm512_setzero_ps();
  auto step = [&](int j, const float* e, const __m512* x) LMZIP_AVX512 {
#pragma GCC unroll 16
    for (int hh = 0; hh < HPC; ++hh) {
      const __m512 w = _mm512_set1_ps(e[hh * 16]);
#pragma GCC unroll 16
      for (int u = 0; u < VPH; ++u)
        acc[j][hh * VPH + u] = _mm512_add_ps(acc[j][hh * VPH + u], _mm512_mul_ps(w, x[hh * VPH + u]));
    }
  };
  auto load_row = [&](int t, __m512* x) LMZIP_AVX512 {
    const std::int8_t* row = a.values + static_cast<std::size_t>(t) * D + static_cast<std::size_t>(h0) * a.head_dim;
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {  // int8 -> float is exact
      x[v] = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 16 * v))));
    }
  };
  for (int t0 = 0; t0 < n; t0 += 16) {  // positions every query of the group attends to
    const std::size_t base = weight_index(H, h0, t0);
    const int m = n - t0 < 16 ? n - t0 : 16;
    for (int i = 0; i < m; ++i) {
      __m512 x[NV];
      load_row(t0 + i, x);
#pragma GCC unroll 16
      for (int j = 0; j < NQ; ++j) step(j, a.weights + j * slot + base + i, x);
    }
  }
  for (int j = 1; j < NQ; ++j) {  // query j's last j positions, still in order
    for (int t = n; t < n + j; ++t) {
      __m512 x[NV];
      load_row(t, x);
      // step() is unrolled over j; call it through a switch so j stays a constant.
      const float* e = a.weights + j * slot + weight_index(H, h0, t);
      switch (j) {
        case 1: step(1 % NQ, e, x); break;
        case 2: step(2 % NQ, e, x); break;
        default: step(3 % NQ, e, x); break;
      }
    }
  }
#pragma GCC unroll 16
  for (int j = 0; j < NQ; ++j) {
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
      float* out = a.out + static_cast<std::size_t>(j) * D + static_cast<std::size_t>(h0) * a.head_dim + 16 * v;
      _mm512_storeu_ps(out, _mm512_div_ps(acc[j][v], _mm512_set1_ps(total[j * H + h0 + v / VPH])));
    }
  }
}

// All heads for NQ queries, in chunks of up to min(16 / NQ, 8) value vectors (NQ x that many
// accumulators plus the converted vectors fit the 32 registers).
template <int VPH, int NQ>
LMZIP_AVX512 void all_weighted_values(const AttentionArgs& a, const float* total) {
  constexpr int kMax = (16 / NQ < 8 ? 16 / NQ : 8) / VPH;  // heads per chunk
  static_assert(kMax >= 1, "too many accumulators for one query group");
  int h = 0;
  for (; a.n_heads - h >= kMax; h += kMax) weighted_values<VPH, kMax, NQ>(a, h, total);
  if constexpr (kMax > 4) {
    if (a.n_heads - h >= 4) {
      weighted_values<VPH, 4, NQ>(a, h, total);
      h += 4;
    }
  }
  if constexpr (kMax > 2) {
    if (a.n_heads - h >= 2) {
      weighted_values<VPH, 2, NQ>(a, h, total);
      h += 2;
    }
  }
  if constexpr (kMax > 1) {
    if (a.n_heads - h >= 1) weighted_values<VPH, 1, NQ>(a, h, total);
  }
}

// The weighted sums of a group of nq queries (a: the group's first query, rows == nq).
template <int NQ>
LMZIP_AVX512 bool group_weighted_values(const AttentionArgs& a, const float* total) {
  switch (a.head_dim) {
    case 16: all_weighted_values<1, NQ>(a, total); return true;
    case 32: all_weighted_values<2, NQ>(a, total); return true;
    case 64:
      if constexpr (NQ <= 4) {
        all_weighted_values<4, NQ>(a, total);
        return true;
      }
      return false;
    case 128:
      if constexpr (NQ <= 2) {
        all_weighted_values<8, NQ>(a, total);
        return true;
      }
      return false;
    default: return false;
  }
}

}  // namespace
}  // namespace avx512

// Groups of up to kAttentionGroup queries: scores and weights per query, then the weighted
// sums of the group together.
LMZIP_AVX512 void attention_avx512(const AttentionArgs& a) {
  const int H = a.n_heads, D = H * a.head_dim;
  const std::size_t slot = static_cast<std::size_t>(a.ctx_pad) * H;
  float total[kAttentionGroup * 1024];
  for (int r0 = 0; r0 < a.rows; r0 += kAttentionGroup) {
    const int nq = a.rows - r0 < kAttentionGroup ? a.rows - r0 : kAttentionGroup;
    AttentionArgs g = a;  // the group: its first query's pointers
    g.rows = nq;
    g.n_keys = a.n_keys + r0;
    g.q = a.q + static_cast<std::size_t>(r0) * H * a.head_dim_pad;
    g.q_coef = a.q_coef + static_cast<std::size_t>(r0) * H;
    g.out = a.out + static_cast<std::size_t>(r0) * D;
    for (int j = 0; j < nq; ++j) {
      AttentionArgs one = g;
      one.rows = 1;
      one.n_keys = g.n_keys + j;
      one.q = g.q + static_cast<std::size_t>(j) * H * a.head_dim_pad;
      one.q_coef = g.q_coef + static_cast<std::size_t>(j) * H;
      one.weights = a.weights + j * slot;
      for (int h = 0; h < H; ++h) {
        switch (a.head_dim_pad) {
          case 16: total[j * H + h] = avx512::head_weights<4>(one, h); break;
          case 32: total[j * H + h] = avx512::head_weights<8>(one, h); break;
          default: total[j * H + h] = avx512::head_weights<0>(one, h); break;
        }
      }
    }
    bool done = false;
    switch (nq) {
      case 1: done = avx512::group_weighted_values<1>(g, total); break;
      case 2: done = avx512::group_weighted_values<2>(g, total); break;
      case 3: done = avx512::group_weighted_values<3>(g, total); break;
      default: done = avx512::group_weighted_values<4>(g, total); break;
    }
    for (int j = 0; !done && j < nq; ++j) {  // one query at a time
      AttentionArgs one = g;
      one.rows = 1;
      one.n_keys = g.n_keys + j;
      one.weights = a.weights + j * slot;
      one.out = g.out + static_cast<std::size_t>(j) * D;
      if (!avx512::group_weighted_values<1>(one, total + j * H)) scalar_weighted_values(one, total + j * H);
    }
  }
}

}  // namespace lmzip::model::int8
