// The training GEMM (sgemm.h): OpenBLAS when built with it, else the reference loops.
#include "sgemm.h"

#include <cstddef>
#include <mutex>

#include <fmt/format.h>

#ifdef LMZIP_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace lmzip::train::detail {

namespace {

inline float at(const float* X, int ld, bool trans, int r, int c) {
  return trans ? X[static_cast<std::size_t>(c) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(r)]
               : X[static_cast<std::size_t>(r) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(c)];
}

}  // namespace

void sgemm_reference(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
                     const float* B, int ldb, float beta, float* C, int ldc) {
  for (int i = 0; i < M; ++i) {
    float* c = C + static_cast<std::size_t>(i) * static_cast<std::size_t>(ldc);
    for (int j = 0; j < N; ++j) {
      float s = 0;
      for (int k = 0; k < K; ++k) s += at(A, lda, trans_a, i, k) * at(B, ldb, trans_b, k, j);
      c[j] = beta == 0.0f ? alpha * s : alpha * s + beta * c[j];
    }
  }
}

#ifdef LMZIP_HAVE_OPENBLAS

void sgemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda, const float* B,
           int ldb, float beta, float* C, int ldc) {
  // The CPU backend runs one model per thread; OpenBLAS's own threads would compete with them
  // (and make the result depend on its thread count).
  static std::once_flag single;
  std::call_once(single, [] { openblas_set_num_threads(1); });
  if (M == 0 || N == 0) return;
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, M, N, K,
              alpha, A, lda, B, ldb, beta, C, ldc);
}

std::string sgemm_backend() {
  return fmt::format("OpenBLAS ({} kernels)", openblas_get_corename());
}

#else

void sgemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda, const float* B,
           int ldb, float beta, float* C, int ldc) {
  sgemm_reference(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

std::string sgemm_backend() { return "built-in loops (no OpenBLAS at build time)"; }

#endif

}  // namespace lmzip::train::detail
