// AVX2 kernels: the int8 matmul on maddubs/madd with the sign trick (simd_avx2.h) and the float
// vector kernels on 8 lanes. Each computes exactly what reference_kernels.cpp computes.
#include <cmath>

#include "lmzip/model/int8/kernels.h"
#include "simd_avx2.h"

namespace lmzip::model::int8 {

void attention_avx2(const AttentionArgs& a);  // attention_avx2.cpp

namespace avx2 {
namespace {

// NT activation rows x NR blocks of 16 weight rows (two 8-row halves each).
template <int NT, int NR>
LMZIP_AVX2 void matmul_tile(const QMatrix& w, int rb0, const std::int8_t* x, int x_stride, const float* sx, float* y,
                            int y_stride) {
  const int groups = w.cols_pad / 4;
  const std::size_t block_stride = static_cast<std::size_t>(groups) * 64;
  const std::int8_t* wp = w.packed.data() + static_cast<std::size_t>(rb0) * block_stride;
  __m256i acc[NT][NR][2];
#pragma GCC unroll 16
  for (int t = 0; t < NT; ++t)
#pragma GCC unroll 16
    for (int r = 0; r < NR; ++r) acc[t][r][0] = acc[t][r][1] = _mm256_setzero_si256();
  for (int g = 0; g < groups; ++g) {
    __m256i wv[NR][2];
#pragma GCC unroll 16
    for (int r = 0; r < NR; ++r) {
      const std::int8_t* b = wp + r * block_stride + static_cast<std::size_t>(g) * 64;
      wv[r][0] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
      wv[r][1] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 32));
    }
#pragma GCC unroll 16
    for (int t = 0; t < NT; ++t) {
      const __m256i xb = _mm256_set1_epi32(load4(x + static_cast<std::size_t>(t) * x_stride + 4 * g));
#pragma GCC unroll 16
      for (int r = 0; r < NR; ++r) {
        acc[t][r][0] = _mm256_add_epi32(acc[t][r][0], dot4x8(wv[r][0], xb));
        acc[t][r][1] = _mm256_add_epi32(acc[t][r][1], dot4x8(wv[r][1], xb));
      }
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < NR; ++r) {
    for (int half = 0; half < 2; ++half) {
      const int row = (rb0 + r) * 16 + half * 8;
      const __m256 sw = _mm256_loadu_ps(w.scale.data() + row);
#pragma GCC unroll 16
      for (int t = 0; t < NT; ++t) {
        const __m256 f = _mm256_cvtepi32_ps(acc[t][r][half]);
        __m256 v = _mm256_mul_ps(f, _mm256_mul_ps(_mm256_set1_ps(sx[t]), sw));
        if (!w.bias.empty()) v = _mm256_add_ps(v, _mm256_loadu_ps(w.bias.data() + row));
        if (row < w.rows) store_head(y + static_cast<std::size_t>(t) * y_stride + row, w.rows - row, v);
      }
    }
  }
}

using TileFn = void (*)(const QMatrix&, int, const std::int8_t*, int, const float*, float*, int);

LMZIP_AVX2 void matmul(const QMatrix& w, int n, const std::int8_t* x, int x_stride, const float* sx, float* y,
                       int y_stride) {
  const int blocks = w.rows_pad / 16;
  for (int t0 = 0; t0 < n; t0 += 2) {
    const std::int8_t* xt = x + static_cast<std::size_t>(t0) * x_stride;
    float* yt = y + static_cast<std::size_t>(t0) * y_stride;
    if (n - t0 >= 2) {
      for (int rb = 0; rb < blocks; rb += 2) {
        const TileFn f = blocks - rb >= 2 ? matmul_tile<2, 2> : matmul_tile<2, 1>;
        f(w, rb, xt, x_stride, sx + t0, yt, y_stride);
      }
    } else {
      for (int rb = 0; rb < blocks; rb += 4) {
        const int nr = blocks - rb < 4 ? blocks - rb : 4;
        const TileFn f = nr == 4   ? matmul_tile<1, 4>
                         : nr == 3 ? matmul_tile<1, 3>
                         : nr == 2 ? matmul_tile<1, 2>
                                   : matmul_tile<1, 1>;
        f(w, rb, xt, x_stride, sx + t0, yt, y_stride);
      }
    }
  }
}

LMZIP_AVX2 float quantize(const float* x, int n, int n_pad, std::int8_t* q) {
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
  __m256 amax = _mm256_setzero_ps();
  for (int i = 0; i < n; i += 8) amax = _mm256_max_ps(amax, _mm256_and_ps(load_head(x + i, n - i), abs_mask));
  const float scale = quant_scale_v1(hmax8(amax));
  int i = 0;
  if (scale != 0.0f) {
    const __m256 vs = _mm256_set1_ps(scale);
    const __m256 hi = _mm256_set1_ps(127.0f), lo = _mm256_set1_ps(-127.0f);
    for (; i < n; i += 16) {
      __m256i v[2];
      for (int h = 0; h < 2; ++h) {
        __m256 f = _mm256_div_ps(load_head(x + i + 8 * h, n - i - 8 * h), vs);
        f = _mm256_round_ps(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        f = _mm256_max_ps(_mm256_min_ps(f, hi), lo);
        v[h] = _mm256_cvttps_epi32(f);
      }
      // int32 -> int8 in order: packs interleaves 128-bit lanes, the permute undoes it.
      const __m256i w16 = _mm256_permute4x64_epi64(_mm256_packs_epi32(v[0], v[1]), 0xD8);
      const __m128i b = _mm_packs_epi16(_mm256_castsi256_si128(w16), _mm256_extracti128_si256(w16, 1));
      if (n - i >= 16) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(q + i), b);
      } else {
        alignas(16) std::int8_t tmp[16];
        _mm_store_si128(reinterpret_cast<__m128i*>(tmp), b);
        std::memcpy(q + i, tmp, static_cast<std::size_t>(n - i));
      }
    }
    i = n;
  }
  for (; i < n_pad; ++i) q[i] = 0;
  return scale;
}

LMZIP_AVX2 float sum(const float* x, int n) {
  __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
  for (int i = 0; i < n; i += 16) {
    lo = _mm256_add_ps(lo, load_head(x + i, n - i));
    hi = _mm256_add_ps(hi, load_head(x + i + 8, n - i - 8));
  }
  return combine16(lo, hi);
}

LMZIP_AVX2 void exp(const float* x, int n, float* y) {
  for (int i = 0; i < n; i += 8) store_head(y + i, n - i, exp8(load_head(x + i, n - i)));
}

LMZIP_AVX2 void softmax(const float* x, int n, float* p) {
  __m256 mx = _mm256_set1_ps(-INFINITY);
  for (int i = 0; i < n; i += 8) {
    const __m256 v = _mm256_blendv_ps(mx, load_head(x + i, n - i), _mm256_castsi256_ps(head_mask(n - i)));
    mx = _mm256_max_ps(mx, v);
  }
  const __m256 m = _mm256_set1_ps(hmax8(mx));
  __m256 acc[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
  for (int i = 0; i < n; i += 8) {
    const __m256 keep = _mm256_castsi256_ps(head_mask(n - i));
    const __m256 e = _mm256_and_ps(keep, exp8(_mm256_sub_ps(load_head(x + i, n - i), m)));
    acc[(i / 8) % 2] = _mm256_add_ps(acc[(i / 8) % 2], e);
    store_head(p + i, n - i, e);
  }
  const __m256 s = _mm256_set1_ps(combine16(acc[0], acc[1]));
  for (int i = 0; i < n; i += 8) store_head(p + i, n - i, _mm256_div_ps(load_head(p + i, n - i), s));
}

LMZIP_AVX2 void layernorm(const float* x, const float* w, const float* b, int n, float eps, float* y) {
  const float mean = sum(x, n) / static_cast<float>(n);
  const __m256 vm = _mm256_set1_ps(mean);
  __m256 acc[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
  for (int i = 0; i < n; i += 8) {
    const __m256 keep = _mm256_castsi256_ps(head_mask(n - i));
    const __m256 d = _mm256_and_ps(keep, _mm256_sub_ps(load_head(x + i, n - i), vm));
    acc[(i / 8) % 2] = _mm256_add_ps(acc[(i / 8) % 2], _mm256_mul_ps(d, d));
  }
  const float var = combine16(acc[0], acc[1]) / static_cast<float>(n);
  const __m256 r = _mm256_set1_ps(1.0f / std::sqrt(var + eps));
  for (int i = 0; i < n; i += 8) {
    const __m256 d = _mm256_sub_ps(load_head(x + i, n - i), vm);
    const __m256 v =
        _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(d, r), load_head(w + i, n - i)), load_head(b + i, n - i));
    store_head(y + i, n - i, v);
  }
}

LMZIP_AVX2 void gelu(float* x, int n) {
  const __m256 a = _mm256_set1_ps(kGeluA), m2 = _mm256_set1_ps(kGeluM2), one = _mm256_set1_ps(1.0f);
  for (int i = 0; i < n; i += 8) {
    const __m256 v = load_head(x + i, n - i);
    const __m256 t = _mm256_mul_ps(_mm256_mul_ps(v, v), v);
    const __m256 z = _mm256_mul_ps(_mm256_add_ps(v, _mm256_mul_ps(a, t)), m2);
    store_head(x + i, n - i, _mm256_div_ps(v, _mm256_add_ps(one, exp8(z))));
  }
}

}  // namespace
}  // namespace avx2

const Kernels& avx2_kernels() {
  static const Kernels k{KernelPath::avx2, avx2::matmul,    avx2::quantize, avx2::sum,     avx2::exp,
                         avx2::softmax,    avx2::layernorm, avx2::gelu,     attention_avx2};
  return k;
}

}  // namespace lmzip::model::int8
