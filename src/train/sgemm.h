// src/train/sgemm.h (private) - the single-precision GEMM under the float32 training layers
// (lmzip/train/layers_fast.h): OpenBLAS's cblas_sgemm when CMake found it (LMZIP_HAVE_OPENBLAS),
// else sgemm_reference. Training only: nothing on the coding path calls it, so its summation
// order (which depends on the CPU's kernel) may differ between machines; on one machine and one
// thread count it is fixed, which keeps a training run reproducible (the resume test).
#pragma once

#include <string>

namespace lmzip::train::detail {

// Row-major C (M x N) = alpha * op(A) op(B) + beta * C, op(X) = X or X^T. op(A) is M x K, op(B)
// K x N; lda/ldb/ldc are the row strides of A, B and C as stored. beta == 0 ignores C's contents.
void sgemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda, const float* B,
           int ldb, float beta, float* C, int ldc);

// The plain triple loop (k ascending for every output): the twin sgemm is tested against.
void sgemm_reference(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
                     const float* B, int ldb, float beta, float* C, int ldc);

// "OpenBLAS 0.3.21 (SkylakeX kernels)" or "built-in loops": for logs and the model card.
std::string sgemm_backend();

}  // namespace lmzip::train::detail
