// AVX2 attention for one query (AttentionArgs in kernels.h): scores with maddubs over the blocked
// key cache (each 16-position block as two halves of 8 keys), exp and the canonical sum with the
// 16 lanes in two registers, and the weighted sum of values across the model dimension with
// each lane summing over positions in order.
#include <cmath>

#include "lmzip/model/int8/kernels.h"
#include "scalar_weighted_values.h"
#include "simd_avx2.h"

namespace lmzip::model::int8 {
namespace avx2 {
namespace {

// Fills head h's weights c_t for t < n (zeros to the end of the last 16-block); @return S.
LMZIP_AVX2 float head_weights(const AttentionArgs& a, int h) {
  const int n = a.n_keys, H = a.n_heads;
  const int groups = a.head_dim_pad / 4;
  const std::int8_t* q = a.q + static_cast<std::size_t>(h) * a.head_dim_pad;
  const std::int8_t* keys = a.keys + key_index(a.ctx_pad, a.head_dim_pad, h, 0, 0);
  const float* ks = a.key_scale + static_cast<std::size_t>(h) * a.ctx_pad;
  const __m256 coef = _mm256_set1_ps(a.q_coef[h]);
  __m256 mx = _mm256_set1_ps(-INFINITY);
  for (int t0 = 0; t0 < n; t0 += 16) {
    const std::int8_t* block = keys + static_cast<std::size_t>(t0) * a.head_dim_pad;
    __m256i acc[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
    for (int g = 0; g < groups; ++g) {
      const __m256i qb = _mm256_set1_epi32(load4(q + 4 * g));
      for (int half = 0; half < 2; ++half) {
        const __m256i k = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 64 * g + 32 * half));
        acc[half] = _mm256_add_epi32(acc[half], dot4x8(k, qb));
      }
    }
    float* e = a.weights + weight_index(H, h, t0);
    for (int half = 0; half < 2; ++half) {
      const int t = t0 + 8 * half;
      const __m256 s = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[half]), _mm256_mul_ps(coef, _mm256_loadu_ps(ks + t)));
      _mm256_storeu_ps(e + 8 * half, s);
      mx = _mm256_max_ps(mx, _mm256_blendv_ps(mx, s, _mm256_castsi256_ps(head_mask(n - t))));
    }
  }
  const __m256 m = _mm256_set1_ps(hmax8(mx));
  const float* vs = a.value_scale + static_cast<std::size_t>(h) * a.ctx_pad;
  __m256 sum[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
  for (int t0 = 0; t0 < n; t0 += 16) {
    float* e = a.weights + weight_index(H, h, t0);
    for (int half = 0; half < 2; ++half) {
      const __m256 keep = _mm256_castsi256_ps(head_mask(n - t0 - 8 * half));
      const __m256 v = _mm256_and_ps(keep, exp8(_mm256_sub_ps(_mm256_loadu_ps(e + 8 * half), m)));
      _mm256_storeu_ps(e + 8 * half, _mm256_mul_ps(v, _mm256_loadu_ps(vs + t0 + 8 * half)));
      sum[half] = _mm256_add_ps(sum[half], v);
    }
  }
  return combine16(sum[0], sum[1]);
}

// out for heads h0 .. h0+HPC-1, head_dim = 8 VPH: 8-lane accumulators, each lane summing over t
// in order (see attention_avx512.cpp).
template <int VPH, int HPC>
LMZIP_AVX2 void weighted_values(const AttentionArgs& a, int h0, const float* total) {
  constexpr int NV = VPH * HPC;
  const int H = a.n_heads, D = H * a.head_dim, n = a.n_keys;
  __m256 acc[NV];
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) acc[v] = _mm256_setzero_ps();
  const std::int8_t* row = a.values + static_cast<std::size_t>(h0) * a.head_dim;
  for (int t0 = 0; t0 < n; t0 += 16) {
    const float* e = a.weights + weight_index(H, h0, t0);
    const int m = n - t0 < 16 ? n - t0 : 16;
    for (int i = 0; i < m; ++i, row += D) {
#pragma GCC unroll 16
      for (int hh = 0; hh < HPC; ++hh) {
        const __m256 w = _mm256_set1_ps(e[hh * 16 + i]);
#pragma GCC unroll 16
        for (int u = 0; u < VPH; ++u) {
          const int v = hh * VPH + u;
          const __m128i q = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(row + 8 * v));
          const __m256 x = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q));  // exact
          acc[v] = _mm256_add_ps(acc[v], _mm256_mul_ps(w, x));
        }
      }
    }
  }
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) {
    float* out = a.out + static_cast<std::size_t>(h0) * a.head_dim + 8 * v;
    _mm256_storeu_ps(out, _mm256_div_ps(acc[v], _mm256_set1_ps(total[h0 + v / VPH])));
  }
}

// All heads, in chunks of up to 8 accumulators (8 / VPH heads), the remainder in halves.
template <int VPH>
LMZIP_AVX2 void all_weighted_values(const AttentionArgs& a, const float* total) {
  constexpr int kMax = 8 / VPH;
  int h = 0;
  for (; a.n_heads - h >= kMax; h += kMax) weighted_values<VPH, kMax>(a, h, total);
  if constexpr (kMax > 4) {
    if (a.n_heads - h >= 4) {
      weighted_values<VPH, 4>(a, h, total);
      h += 4;
    }
  }
  if constexpr (kMax > 2) {
    if (a.n_heads - h >= 2) {
      weighted_values<VPH, 2>(a, h, total);
      h += 2;
    }
  }
  if constexpr (kMax > 1) {
    if (a.n_heads - h >= 1) weighted_values<VPH, 1>(a, h, total);
  }
}

// One query (a.rows == 1).
LMZIP_AVX2 void attention_one(const AttentionArgs& a) {
  float total[1024];
  for (int h = 0; h < a.n_heads; ++h) total[h] = head_weights(a, h);
  switch (a.head_dim) {
    case 8: all_weighted_values<1>(a, total); break;
    case 16: all_weighted_values<2>(a, total); break;
    case 32: all_weighted_values<4>(a, total); break;
    case 64: all_weighted_values<8>(a, total); break;
    default: scalar_weighted_values(a, total); break;
  }
}

}  // namespace
}  // namespace avx2

// The queries one at a time (the AVX-512 path groups them).
void attention_avx2(const AttentionArgs& a) {
  const std::size_t H = a.n_heads;
  for (int r = 0; r < a.rows; ++r) {
    AttentionArgs one = a;
    one.rows = 1;
    one.n_keys = a.n_keys + r;
    one.q = a.q + r * H * a.head_dim_pad;
    one.q_coef = a.q_coef + r * H;
    one.out = a.out + r * H * a.head_dim;
    avx2::attention_one(one);
  }
}

}  // namespace lmzip::model::int8
