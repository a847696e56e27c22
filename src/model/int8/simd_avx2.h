// simd_avx2.h (private) - AVX2 building blocks of the int8 kernels: numerics.h's exp on 8 lanes
// and the canonical 16-lane sum held in two registers (lanes 0-7 and 8-15). Every function
// carries the target attribute itself (baseline x86-64 library, run-time dispatch).
#pragma once

#include <immintrin.h>

// GCC 12's intrinsic headers initialise "undefined" vectors from themselves (__Y = __Y), which
// -Wuninitialized reports at every use in this file's includers; the values are never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <cstdint>
#include <cstring>

#include "lmzip/model/int8/numerics.h"

#define LMZIP_AVX2 __attribute__((target("avx2")))

namespace lmzip::model::int8::avx2 {

// All-ones in lanes [0, n), n may be <= 0 or >= 8.
LMZIP_AVX2 inline __m256i head_mask(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
// x[0 .. n) and zeros (masked lanes are not read).
LMZIP_AVX2 inline __m256 load_head(const float* x, int n) {
  return n >= 8 ? _mm256_loadu_ps(x) : _mm256_maskload_ps(x, head_mask(n));
}
LMZIP_AVX2 inline void store_head(float* y, int n, __m256 v) {
  if (n >= 8) {
    _mm256_storeu_ps(y, v);
  } else {
    _mm256_maskstore_ps(y, head_mask(n), v);
  }
}

// exp_v1() on each lane, the same operations in the same order.
LMZIP_AVX2 inline __m256 exp8(__m256 x) {
  x = _mm256_min_ps(x, _mm256_set1_ps(kExpMax));
  x = _mm256_max_ps(x, _mm256_set1_ps(kExpMin));
  const __m256 magic = _mm256_set1_ps(kRoundMagic);
  const __m256 k = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(x, _mm256_set1_ps(kLog2e)), magic), magic);
  __m256 r = _mm256_sub_ps(x, _mm256_mul_ps(k, _mm256_set1_ps(kLn2Hi)));
  r = _mm256_sub_ps(r, _mm256_mul_ps(k, _mm256_set1_ps(kLn2Lo)));
  __m256 p = _mm256_set1_ps(kExpC[7]);
  p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(kExpC[6]));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(kExpC[5]));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(kExpC[4]));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(kExpC[3]));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(kExpC[2]));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(kExpC[1]));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(kExpC[0]));
  const __m256i e = _mm256_add_epi32(_mm256_cvttps_epi32(k), _mm256_set1_epi32(127));
  return _mm256_mul_ps(p, _mm256_castsi256_ps(_mm256_slli_epi32(e, 23)));
}

// The canonical_sum() tree on 16 lane sums held as lo = lanes 0-7, hi = lanes 8-15.
LMZIP_AVX2 inline float combine16(__m256 lo, __m256 hi) {
  const __m256 s8 = _mm256_add_ps(lo, hi);
  const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  const __m128 s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
  return _mm_cvtss_f32(s1);
}

LMZIP_AVX2 inline float hmax8(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
  return _mm_cvtss_f32(m);
}

// Exact int8 dot products of 8 rows x 4 columns: sum over each row's 4 bytes of w * x, where
// x4 holds the same 4 activation bytes in every 32-bit lane. maddubs multiplies unsigned by
// signed bytes, so the sign of w moves onto x: |w| * (x * sign(w)) == w * x; with w, x in
// [-127, 127] each 16-bit pair sum is at most 2 * 127 * 127 < 2^15 (no saturation).
LMZIP_AVX2 inline __m256i dot4x8(__m256i w, __m256i x4) {
  const __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(w), _mm256_sign_epi8(x4, w));
  return _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
}

inline std::int32_t load4(const std::int8_t* p) {
  std::int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace lmzip::model::int8::avx2
