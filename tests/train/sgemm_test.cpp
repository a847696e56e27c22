// The training GEMM (src/train/sgemm.h) against its plain-loop twin: every transpose combination,
// row strides wider than the matrices, beta 0 (C's old contents ignored, even NaN) and beta 1.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "grad_check.h"
#include "train/sgemm.h"

namespace lmzip::train::detail {
namespace {

std::vector<float> random_floats(std::size_t n, std::uint64_t seed) {
  const std::vector<double> d = test::random_vec(n, seed);
  return {d.begin(), d.end()};
}

TEST(TrainSgemm, AgreesWithTheReferenceLoops) {
  const int M = 37, N = 29, K = 70, pad = 3;
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      for (float beta : {0.0f, 1.0f}) {
        const int lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad;
        const std::vector<float> A = random_floats(static_cast<std::size_t>(ta ? K : M) * lda, 1);
        const std::vector<float> B = random_floats(static_cast<std::size_t>(tb ? N : K) * ldb, 2);
        std::vector<float> C = random_floats(static_cast<std::size_t>(M) * ldc, 3);
        if (beta == 0.0f) C.assign(C.size(), std::numeric_limits<float>::quiet_NaN());
        std::vector<float> want = C;
        sgemm(ta, tb, M, N, K, 0.5f, A.data(), lda, B.data(), ldb, beta, C.data(), ldc);
        sgemm_reference(ta, tb, M, N, K, 0.5f, A.data(), lda, B.data(), ldb, beta, want.data(), ldc);
        for (int i = 0; i < M; ++i) {
          for (int j = 0; j < N; ++j) {
            const std::size_t e = static_cast<std::size_t>(i) * ldc + j;
            ASSERT_NEAR(C[e], want[e], 1e-5f) << "ta " << ta << " tb " << tb << " beta " << beta << " at " << i << "," << j;
          }
          for (int j = N; j < ldc; ++j) {  // the padding between rows is never written
            const std::size_t e = static_cast<std::size_t>(i) * ldc + j;
            EXPECT_TRUE(beta == 0.0f ? std::isnan(C[e]) : C[e] == want[e]);
          }
        }
      }
    }
  }
}

TEST(TrainSgemm, NamesItsBackend) { EXPECT_FALSE(sgemm_backend().empty()); }

}  // namespace
}  // namespace lmzip::train::detail
