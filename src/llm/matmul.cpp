// The Llama matmul on three kernel paths with one summation order (matmul.h).
#include "matmul.h"

#include <cstddef>

#include "lmzip/error.h"

#if defined(__x86_64__)
#include <immintrin.h>
// GCC 12's intrinsic headers initialise "undefined" vectors from themselves, which
// -Wuninitialized reports at every use; the values are never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define LMZIP_LLM_AVX2 __attribute__((target("avx2")))
#define LMZIP_LLM_AVX512 __attribute__((target("avx512f")))
#endif

namespace lmzip::llm::detail {

using model::int8::KernelPath;

namespace {

constexpr int kLanes = 16;

// Calls tile<NT, NR>(i0, r0) over the whole (rows x d) output: NR weight rows at a time (each
// read once per block of tokens), NT tokens at a time, single rows/tokens at the edges.
template <int NT, int NR, class Tile1, class TileT, class TileR, class TileTR>
inline void over_tiles(int rows, int d, Tile1 t11, TileT tn1, TileR t1n, TileTR tnn) {
  int i0 = 0;
  for (; i0 + NR <= d; i0 += NR) {
    int r0 = 0;
    for (; r0 + NT <= rows; r0 += NT) tnn(i0, r0);
    for (; r0 < rows; ++r0) t1n(i0, r0);
  }
  for (; i0 < d; ++i0) {
    int r0 = 0;
    for (; r0 + NT <= rows; r0 += NT) tn1(i0, r0);
    for (; r0 < rows; ++r0) t11(i0, r0);
  }
}

// ---------------------------------------------------------------------------------------------
// Reference: the definition, as plain loops.
struct Args {
  float* y;
  int ldy;
  const float* x;
  int ldx;
  const float* w;
  long ldw;
  const float* b;
  int n;
};

inline float finish(float* l) {
  for (int w = kLanes / 2; w >= 1; w /= 2) {
    for (int u = 0; u < w; ++u) l[u] = l[u] + l[u + w];
  }
  return l[0];
}

void matmul_reference(const Args& a, int rows, int d) {
  for (int i = 0; i < d; ++i) {
    const float* wr = a.w + static_cast<std::ptrdiff_t>(i) * a.ldw;
    for (int r = 0; r < rows; ++r) {
      float v = dot_reference(wr, a.x + static_cast<std::ptrdiff_t>(r) * a.ldx, a.n);
      if (a.b) v = v + a.b[i];
      a.y[static_cast<std::ptrdiff_t>(r) * a.ldy + i] = v;
    }
  }
}

#if defined(__x86_64__)
// ---------------------------------------------------------------------------------------------
// AVX2: lanes 0-7 in lo, 8-15 in hi.
LMZIP_LLM_AVX2 inline __m256i mask8(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
LMZIP_LLM_AVX2 inline __m256 load8(const float* p, int n) {
  return n >= 8 ? _mm256_loadu_ps(p) : n <= 0 ? _mm256_setzero_ps() : _mm256_maskload_ps(p, mask8(n));
}
// The tree from "lane[u] += lane[u+4]" on, on 8 lanes.
LMZIP_LLM_AVX2 inline float tree8(__m256 s8) {
  const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
}

template <int NT, int NR>
LMZIP_LLM_AVX2 void tile_avx2(const Args& a, int i0, int r0) {
  __m256 lo[NT][NR], hi[NT][NR];
#pragma GCC unroll 8
  for (int t = 0; t < NT; ++t)
#pragma GCC unroll 8
    for (int r = 0; r < NR; ++r) lo[t][r] = hi[t][r] = _mm256_setzero_ps();
  const float* wr[NR];
  const float* xr[NT];
  for (int r = 0; r < NR; ++r) wr[r] = a.w + static_cast<std::ptrdiff_t>(i0 + r) * a.ldw;
  for (int t = 0; t < NT; ++t) xr[t] = a.x + static_cast<std::ptrdiff_t>(r0 + t) * a.ldx;
  int j = 0;
  for (; j + kLanes <= a.n; j += kLanes) {
    __m256 wl[NR], wh[NR];
#pragma GCC unroll 8
    for (int r = 0; r < NR; ++r) {
      wl[r] = _mm256_loadu_ps(wr[r] + j);
      wh[r] = _mm256_loadu_ps(wr[r] + j + 8);
    }
#pragma GCC unroll 8
    for (int t = 0; t < NT; ++t) {
      const __m256 xl = _mm256_loadu_ps(xr[t] + j), xh = _mm256_loadu_ps(xr[t] + j + 8);
#pragma GCC unroll 8
      for (int r = 0; r < NR; ++r) {
        lo[t][r] = _mm256_add_ps(lo[t][r], _mm256_mul_ps(wl[r], xl));
        hi[t][r] = _mm256_add_ps(hi[t][r], _mm256_mul_ps(wh[r], xh));
      }
    }
  }
  if (j < a.n) {  // zero-padded tail: the missing products are +0
    const int m = a.n - j;
    for (int r = 0; r < NR; ++r) {
      const __m256 wl = load8(wr[r] + j, m), wh = load8(wr[r] + j + 8, m - 8);
      for (int t = 0; t < NT; ++t) {
        const __m256 xl = load8(xr[t] + j, m), xh = load8(xr[t] + j + 8, m - 8);
        lo[t][r] = _mm256_add_ps(lo[t][r], _mm256_mul_ps(wl, xl));
        hi[t][r] = _mm256_add_ps(hi[t][r], _mm256_mul_ps(wh, xh));
      }
    }
  }
  for (int t = 0; t < NT; ++t) {
    for (int r = 0; r < NR; ++r) {
      float v = tree8(_mm256_add_ps(lo[t][r], hi[t][r]));
      if (a.b) v = v + a.b[i0 + r];
      a.y[static_cast<std::ptrdiff_t>(r0 + t) * a.ldy + i0 + r] = v;
    }
  }
}

void matmul_avx2(const Args& a, int rows, int d) {
  constexpr int NT = 2, NR = 3;
  if (rows == 1) {
    over_tiles<1, 4>(rows, d, [&](int i, int r) { tile_avx2<1, 1>(a, i, r); },
                     [&](int i, int r) { tile_avx2<1, 1>(a, i, r); },
                     [&](int i, int r) { tile_avx2<1, 4>(a, i, r); },
                     [&](int i, int r) { tile_avx2<1, 4>(a, i, r); });
    return;
  }
  over_tiles<NT, NR>(rows, d, [&](int i, int r) { tile_avx2<1, 1>(a, i, r); },
                     [&](int i, int r) { tile_avx2<NT, 1>(a, i, r); },
                     [&](int i, int r) { tile_avx2<1, NR>(a, i, r); },
                     [&](int i, int r) { tile_avx2<NT, NR>(a, i, r); });
}

// ---------------------------------------------------------------------------------------------
// AVX-512: the 16 lanes in one register.
LMZIP_LLM_AVX512 inline float tree16(__m512 acc) {
  const __m256 lo = _mm512_castps512_ps256(acc);
  const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc), 1));
  const __m256 s8 = _mm256_add_ps(lo, hi);
  const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
}

template <int NT, int NR>
LMZIP_LLM_AVX512 void tile_avx512(const Args& a, int i0, int r0) {
  __m512 acc[NT][NR];
#pragma GCC unroll 8
  for (int t = 0; t < NT; ++t)
#pragma GCC unroll 8
    for (int r = 0; r < NR; ++r) acc[t][r] = _mm512_setzero_ps();
  const float* wr[NR];
  const float* xr[NT];
  for (int r = 0; r < NR; ++r) wr[r] = a.w + static_cast<std::ptrdiff_t>(i0 + r) * a.ldw;
  for (int t = 0; t < NT; ++t) xr[t] = a.x + static_cast<std::ptrdiff_t>(r0 + t) * a.ldx;
  int j = 0;
  for (; j + kLanes <= a.n; j += kLanes) {
    __m512 wv[NR];
#pragma GCC unroll 8
    for (int r = 0; r < NR; ++r) wv[r] = _mm512_loadu_ps(wr[r] + j);
#pragma GCC unroll 8
    for (int t = 0; t < NT; ++t) {
      const __m512 xv = _mm512_loadu_ps(xr[t] + j);
#pragma GCC unroll 8
      for (int r = 0; r < NR; ++r) acc[t][r] = _mm512_add_ps(acc[t][r], _mm512_mul_ps(wv[r], xv));
    }
  }
  if (j < a.n) {  // zero-padded tail: the missing products are +0
    const __mmask16 k = static_cast<__mmask16>((1u << (a.n - j)) - 1u);
    for (int r = 0; r < NR; ++r) {
      const __m512 wv = _mm512_maskz_loadu_ps(k, wr[r] + j);
      for (int t = 0; t < NT; ++t) {
        acc[t][r] = _mm512_add_ps(acc[t][r], _mm512_mul_ps(wv, _mm512_maskz_loadu_ps(k, xr[t] + j)));
      }
    }
  }
  for (int t = 0; t < NT; ++t) {
    for (int r = 0; r < NR; ++r) {
      float v = tree16(acc[t][r]);
      if (a.b) v = v + a.b[i0 + r];
      a.y[static_cast<std::ptrdiff_t>(r0 + t) * a.ldy + i0 + r] = v;
    }
  }
}

void matmul_avx512(const Args& a, int rows, int d) {
  constexpr int NT = 4, NR = 4;
  if (rows == 1) {
    over_tiles<1, 8>(rows, d, [&](int i, int r) { tile_avx512<1, 1>(a, i, r); },
                     [&](int i, int r) { tile_avx512<1, 1>(a, i, r); },
                     [&](int i, int r) { tile_avx512<1, 8>(a, i, r); },
                     [&](int i, int r) { tile_avx512<1, 8>(a, i, r); });
    return;
  }
  over_tiles<NT, NR>(rows, d, [&](int i, int r) { tile_avx512<1, 1>(a, i, r); },
                     [&](int i, int r) { tile_avx512<NT, 1>(a, i, r); },
                     [&](int i, int r) { tile_avx512<1, NR>(a, i, r); },
                     [&](int i, int r) { tile_avx512<NT, NR>(a, i, r); });
}
#endif  // __x86_64__

}  // namespace

float dot_reference(const float* w, const float* x, int n) {
  float l[kLanes] = {};
  int j = 0;
  for (; j + kLanes <= n; j += kLanes) {
    for (int u = 0; u < kLanes; ++u) l[u] = l[u] + w[j + u] * x[j + u];
  }
  for (int u = 0; j + u < n; ++u) l[u] = l[u] + w[j + u] * x[j + u];
  return finish(l);
}

void matmul(KernelPath path, float* y, int ldy, const float* x, int ldx, int rows, const float* w,
            long ldw, const float* b, int n, int d) {
  const Args a{y, ldy, x, ldx, w, ldw, b, n};
  if (rows <= 0 || d <= 0) return;
  switch (path) {
#if defined(__x86_64__)
    case KernelPath::avx512:
      matmul_avx512(a, rows, d);
      return;
    case KernelPath::avx2:
      matmul_avx2(a, rows, d);
      return;
#endif
    case KernelPath::reference:
      matmul_reference(a, rows, d);
      return;
    default:
      throw Error("llm matmul: kernel path " + std::string(model::int8::to_string(path)) +
                  " is not available here");
  }
}

}  // namespace lmzip::llm::detail
