// simd_avx512.h (private) - AVX-512 building blocks of the int8 kernels: numerics.h's exp and
// canonical sum on 16 lanes. Every function carries the target attribute itself, so the library
// stays baseline x86-64 and these run only after kernel_path_supported(KernelPath::avx512).
#pragma once

#include <immintrin.h>

// GCC 12's intrinsic headers initialise "undefined" vectors from themselves (__Y = __Y), which
// -Wuninitialized reports at every use in this file's includers; the values are never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <cstdint>
#include <cstring>

#include "lmzip/model/int8/numerics.h"

#define LMZIP_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

namespace lmzip::model::int8::avx512 {

// Lanes [0, n) set, n in 0..16.
LMZIP_AVX512 inline __mmask16 head_mask(int n) {
  return n >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << n) - 1u);
}

// exp_v1() on each lane, the same values: k = round_even(x log2 e) by roundscale (the same
// integer as the 1.5 * 2^23 trick, since |x log2 e| < 2^22), and p * 2^k by scalef (exact, like
// the multiplication by 2^k, because the result is a normal float).
LMZIP_AVX512 inline __m512 exp16(__m512 x) {
  x = _mm512_min_ps(x, _mm512_set1_ps(kExpMax));
  x = _mm512_max_ps(x, _mm512_set1_ps(kExpMin));
  const __m512 k =
      _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_sub_ps(x, _mm512_mul_ps(k, _mm512_set1_ps(kLn2Hi)));
  r = _mm512_sub_ps(r, _mm512_mul_ps(k, _mm512_set1_ps(kLn2Lo)));
  __m512 p = _mm512_set1_ps(kExpC[7]);
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpC[6]));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpC[5]));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpC[4]));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpC[3]));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpC[2]));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpC[1]));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(kExpC[0]));
  return _mm512_scalef_ps(p, k);
}

// The canonical_sum() tree on 16 lane sums: j += j + 8, j += j + 4, j += j + 2, j += j + 1.
LMZIP_AVX512 inline float combine16(__m512 lanes) {
  const __m256 lo = _mm512_castps512_ps256(lanes);
  const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(lanes), 1));
  const __m256 s8 = _mm256_add_ps(lo, hi);
  const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  const __m128 s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
  return _mm_cvtss_f32(s1);
}

// The int32 made of bytes p[0..3], for a 4-byte broadcast.
inline std::int32_t load4(const std::int8_t* p) {
  std::int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace lmzip::model::int8::avx512
