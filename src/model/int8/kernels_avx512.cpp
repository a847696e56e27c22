// AVX-512 (F, BW, VL, VNNI) kernels: the int8 matmul on vpdpbusd and the float vector kernels on
// 16 lanes. Each computes exactly what reference_kernels.cpp computes (numerics.h).
#include <cmath>

#include "lmzip/model/int8/kernels.h"
#include "simd_avx512.h"

namespace lmzip::model::int8 {

void attention_avx512(const AttentionArgs& a);  // attention_avx512.cpp

namespace avx512 {
namespace {

// ---- int8 matmul ------------------------------------------------------------------------------
// vpdpbusd multiplies unsigned by signed bytes. The activations are made unsigned by flipping
// their sign bit (x ^ 0x80 == x + 128 as a byte), so each 16-row accumulator holds
// sum_i w[o][i] * (x[i] + 128) = sum_i w[o][i] x[i] + 128 * rowsum[o]; the epilogue subtracts
// w.rowsum128. Integer sums are exact, so the order of the dpbusd steps does not matter.

// NT activation rows x NR blocks of 16 weight rows, starting at token t0 and row block rb0.
template <int NT, int NR>
LMZIP_AVX512 void matmul_tile(const QMatrix& w, int rb0, const std::int8_t* x, int x_stride, const float* sx, float* y,
                              int y_stride) {
  const int groups = w.cols_pad / 4;
  const std::size_t block_stride = static_cast<std::size_t>(groups) * 64;
  const std::int8_t* wp = w.packed.data() + static_cast<std::size_t>(rb0) * block_stride;
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  __m512i acc[NT][NR];
#pragma GCC unroll 16
  for (int t = 0; t < NT; ++t)
#pragma GCC unroll 16
    for (int r = 0; r < NR; ++r) acc[t][r] = _mm512_setzero_si512();
  for (int g = 0; g < groups; ++g) {
    __m512i wv[NR];
#pragma GCC unroll 16
    for (int r = 0; r < NR; ++r) wv[r] = _mm512_loadu_si512(wp + r * block_stride + static_cast<std::size_t>(g) * 64);
#pragma GCC unroll 16
    for (int t = 0; t < NT; ++t) {
      const __m512i xb =
          _mm512_xor_si512(_mm512_set1_epi32(load4(x + static_cast<std::size_t>(t) * x_stride + 4 * g)), flip);
#pragma GCC unroll 16
      for (int r = 0; r < NR; ++r) acc[t][r] = _mm512_dpbusd_epi32(acc[t][r], xb, wv[r]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < NR; ++r) {
    const int row = (rb0 + r) * 16;
    const __mmask16 m = head_mask(w.rows - row);
    const __m512i fix = _mm512_loadu_si512(w.rowsum128.data() + row);
    const __m512 sw = _mm512_loadu_ps(w.scale.data() + row);
#pragma GCC unroll 16
    for (int t = 0; t < NT; ++t) {
      const __m512i dot = _mm512_sub_epi32(acc[t][r], fix);
      const __m512 f = _mm512_cvt_roundepi32_ps(dot, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      __m512 v = _mm512_mul_ps(f, _mm512_mul_ps(_mm512_set1_ps(sx[t]), sw));
      if (!w.bias.empty()) v = _mm512_add_ps(v, _mm512_loadu_ps(w.bias.data() + row));
      _mm512_mask_storeu_ps(y + static_cast<std::size_t>(t) * y_stride + row, m, v);
    }
  }
}

using TileFn = void (*)(const QMatrix&, int, const std::int8_t*, int, const float*, float*, int);

template <int NT>
constexpr TileFn tile_for(int nr) {
  return nr == 1   ? matmul_tile<NT, 1>
         : nr == 2 ? matmul_tile<NT, 2>
         : nr == 3 ? matmul_tile<NT, 3>
                   : matmul_tile<NT, 4>;
}

// Tiles of up to 4 activation rows x 4 blocks of 16 weight rows: each weight load serves 4 rows.
LMZIP_AVX512 void matmul(const QMatrix& w, int n, const std::int8_t* x, int x_stride, const float* sx, float* y,
                         int y_stride) {
  const int blocks = w.rows_pad / 16;
  for (int t0 = 0; t0 < n; t0 += 4) {
    const int nt = n - t0 < 4 ? n - t0 : 4;
    const std::int8_t* xt = x + static_cast<std::size_t>(t0) * x_stride;
    float* yt = y + static_cast<std::size_t>(t0) * y_stride;
    for (int rb = 0; rb < blocks; rb += 4) {
      const int nr = blocks - rb < 4 ? blocks - rb : 4;
      const TileFn f = nt == 1   ? tile_for<1>(nr)
                       : nt == 2 ? tile_for<2>(nr)
                       : nt == 3 ? tile_for<3>(nr)
                                 : tile_for<4>(nr);
      f(w, rb, xt, x_stride, sx + t0, yt, y_stride);
    }
  }
}

// ---- vector kernels ---------------------------------------------------------------------------

LMZIP_AVX512 float quantize(const float* x, int n, int n_pad, std::int8_t* q) {
  __m512 amax = _mm512_setzero_ps();
  for (int i = 0; i < n; i += 16) {
    amax = _mm512_max_ps(amax, _mm512_abs_ps(_mm512_maskz_loadu_ps(head_mask(n - i), x + i)));
  }
  const float scale = quant_scale_v1(_mm512_reduce_max_ps(amax));
  int i = 0;
  if (scale != 0.0f) {
    const __m512 vs = _mm512_set1_ps(scale);
    const __m512 hi = _mm512_set1_ps(127.0f), lo = _mm512_set1_ps(-127.0f);
    for (; i < n; i += 16) {
      const __mmask16 m = head_mask(n - i);
      __m512 v = _mm512_div_ps(_mm512_maskz_loadu_ps(m, x + i), vs);
      v = _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      v = _mm512_max_ps(_mm512_min_ps(v, hi), lo);
      _mm_mask_storeu_epi8(q + i, m, _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v)));
    }
    i = n;
  }
  for (; i < n_pad; ++i) q[i] = 0;
  return scale;
}

LMZIP_AVX512 float sum(const float* x, int n) {
  __m512 acc = _mm512_setzero_ps();
  for (int i = 0; i < n; i += 16) acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(head_mask(n - i), x + i));
  return combine16(acc);
}

LMZIP_AVX512 void exp(const float* x, int n, float* y) {
  for (int i = 0; i < n; i += 16) {
    const __mmask16 m = head_mask(n - i);
    _mm512_mask_storeu_ps(y + i, m, exp16(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

LMZIP_AVX512 void softmax(const float* x, int n, float* p) {
  __m512 mx = _mm512_set1_ps(-INFINITY);
  for (int i = 0; i < n; i += 16)
    mx = _mm512_mask_max_ps(mx, head_mask(n - i), mx, _mm512_maskz_loadu_ps(head_mask(n - i), x + i));
  const __m512 m = _mm512_set1_ps(_mm512_reduce_max_ps(mx));
  __m512 acc = _mm512_setzero_ps();
  for (int i = 0; i < n; i += 16) {
    const __mmask16 k = head_mask(n - i);
    const __m512 e = _mm512_maskz_mov_ps(k, exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + i), m)));
    acc = _mm512_add_ps(acc, e);
    _mm512_mask_storeu_ps(p + i, k, e);
  }
  const __m512 s = _mm512_set1_ps(combine16(acc));
  for (int i = 0; i < n; i += 16) {
    const __mmask16 k = head_mask(n - i);
    _mm512_mask_storeu_ps(p + i, k, _mm512_div_ps(_mm512_maskz_loadu_ps(k, p + i), s));
  }
}

LMZIP_AVX512 void layernorm(const float* x, const float* w, const float* b, int n, float eps, float* y) {
  const float mean = sum(x, n) / static_cast<float>(n);
  const __m512 vm = _mm512_set1_ps(mean);
  __m512 acc = _mm512_setzero_ps();
  for (int i = 0; i < n; i += 16) {
    const __mmask16 k = head_mask(n - i);
    const __m512 d = _mm512_maskz_sub_ps(k, _mm512_maskz_loadu_ps(k, x + i), vm);
    acc = _mm512_add_ps(acc, _mm512_mul_ps(d, d));
  }
  const float var = combine16(acc) / static_cast<float>(n);
  const __m512 r = _mm512_set1_ps(1.0f / std::sqrt(var + eps));
  for (int i = 0; i < n; i += 16) {
    const __mmask16 k = head_mask(n - i);
    const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + i), vm);
    const __m512 v = _mm512_add_ps(_mm512_mul_ps(_mm512_mul_ps(d, r), _mm512_maskz_loadu_ps(k, w + i)),
                                   _mm512_maskz_loadu_ps(k, b + i));
    _mm512_mask_storeu_ps(y + i, k, v);
  }
}

LMZIP_AVX512 void gelu(float* x, int n) {
  const __m512 a = _mm512_set1_ps(kGeluA), m2 = _mm512_set1_ps(kGeluM2), one = _mm512_set1_ps(1.0f);
  for (int i = 0; i < n; i += 16) {
    const __mmask16 k = head_mask(n - i);
    const __m512 v = _mm512_maskz_loadu_ps(k, x + i);
    const __m512 t = _mm512_mul_ps(_mm512_mul_ps(v, v), v);
    const __m512 z = _mm512_mul_ps(_mm512_add_ps(v, _mm512_mul_ps(a, t)), m2);
    _mm512_mask_storeu_ps(x + i, k, _mm512_div_ps(v, _mm512_add_ps(one, exp16(z))));
  }
}

}  // namespace
}  // namespace avx512

const Kernels& avx512_kernels() {
  static const Kernels k{KernelPath::avx512, avx512::matmul,    avx512::quantize, avx512::sum,     avx512::exp,
                         avx512::softmax,    avx512::layernorm, avx512::gelu,     attention_avx512};
  return k;
}

}  // namespace lmzip::model::int8
