// The GEMM twins of the affine layer and attention (lmzip/train/layers_fast.h) against the
// reference layers (lmzip/train/layers.h) in float32: same outputs and the same accumulated
// gradients to float32 rounding. The reference layers are themselves checked against finite
// differences (layer_grad_test.cpp). Shapes cover a sequence longer than one row block of the
// attention (128) and not a multiple of it, and gradients that already hold values (a backward adds).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "grad_check.h"
#include "lmzip/train/layers.h"
#include "lmzip/train/layers_fast.h"

namespace lmzip::train {
namespace {

using Vec = std::vector<float>;

Vec random_floats(std::size_t n, std::uint64_t seed, double scale = 1.0) {
  const std::vector<double> d = test::random_vec(n, seed, scale);
  return {d.begin(), d.end()};
}

// float32 rounding of sums of a few hundred terms is ~1e-6 of the largest value.
constexpr double kTol = 2e-6;

TEST(TrainLayersFast, MatmulMatchesTheReference) {
  const int N = 45, IN = 24, OUT = 40;
  for (bool bias : {true, false}) {
    const Vec x = random_floats(N * IN, 1), W = random_floats(OUT * IN, 2), b = random_floats(OUT, 3);
    const Vec g = random_floats(N * OUT, 4);
    Vec out(N * OUT, 9.0f), want(N * OUT, -9.0f);
    fast::matmul_forward(out.data(), x.data(), W.data(), bias ? b.data() : nullptr, N, IN, OUT);
    matmul_forward(want.data(), x.data(), W.data(), bias ? b.data() : nullptr, N, IN, OUT);
    EXPECT_LT(test::relative_error(out, want), kTol) << "bias " << bias;

    Vec dx = random_floats(N * IN, 5), dW = random_floats(OUT * IN, 6), db = random_floats(OUT, 7);
    Vec dx_ref = dx, dW_ref = dW, db_ref = db;
    fast::matmul_backward(dx.data(), dW.data(), bias ? db.data() : nullptr, g.data(), x.data(), W.data(), N, IN, OUT);
    matmul_backward(dx_ref.data(), dW_ref.data(), bias ? db_ref.data() : nullptr, g.data(), x.data(), W.data(), N,
                    IN, OUT);
    EXPECT_LT(test::relative_error(dx, dx_ref), kTol);
    EXPECT_LT(test::relative_error(dW, dW_ref), kTol);
    EXPECT_LT(test::relative_error(db, db_ref), kTol);
    if (!bias) {
      EXPECT_EQ(db, random_floats(OUT, 7)) << "no bias: db untouched";
    }
  }
}

TEST(TrainLayersFast, AttentionMatchesTheReference) {
  struct Shape { int B, T, H, hd; };
  for (const Shape s : {Shape{2, 300, 2, 8}, Shape{1, 128, 3, 4}, Shape{1, 5, 1, 32}}) {
    const std::size_t n = static_cast<std::size_t>(s.B) * s.T * s.H * s.hd;
    const std::size_t tt = static_cast<std::size_t>(s.B) * s.H * s.T * s.T;
    const Vec q = random_floats(n, 11, 2.0), k = random_floats(n, 12, 2.0), v = random_floats(n, 13);
    Vec out(n, 5.0f), att(tt, 5.0f), out_ref(n), att_ref(tt);
    fast::attention_forward(out.data(), att.data(), q.data(), k.data(), v.data(), s.B, s.T, s.H, s.hd);
    attention_forward(out_ref.data(), att_ref.data(), q.data(), k.data(), v.data(), s.B, s.T, s.H, s.hd);
    EXPECT_LT(test::relative_error(out, out_ref), kTol) << "T " << s.T;
    EXPECT_LT(test::relative_error(att, att_ref), kTol) << "T " << s.T;

    const Vec dout = random_floats(n, 14);
    Vec dq = random_floats(n, 15), dk = random_floats(n, 16), dv = random_floats(n, 17);
    Vec dq_ref = dq, dk_ref = dk, dv_ref = dv;
    fast::attention_backward(dq.data(), dk.data(), dv.data(), dout.data(), att_ref.data(), q.data(), k.data(),
                             v.data(), s.B, s.T, s.H, s.hd);
    attention_backward(dq_ref.data(), dk_ref.data(), dv_ref.data(), dout.data(), att_ref.data(), q.data(), k.data(),
                       v.data(), s.B, s.T, s.H, s.hd);
    EXPECT_LT(test::relative_error(dq, dq_ref), 10 * kTol) << "T " << s.T;
    EXPECT_LT(test::relative_error(dk, dk_ref), 10 * kTol) << "T " << s.T;
    EXPECT_LT(test::relative_error(dv, dv_ref), kTol) << "T " << s.T;
  }
}

TEST(TrainLayersFast, AttentionIsCausal) {
  // Changing the last position's key and value leaves every earlier output alone.
  const int B = 1, T = 200, H = 2, hd = 8, D = H * hd;
  const std::size_t n = static_cast<std::size_t>(T) * D;
  const Vec q = random_floats(n, 21), v = random_floats(n, 23);
  Vec k = random_floats(n, 22), v2 = v;
  Vec out(n), att(static_cast<std::size_t>(H) * T * T), out2(n);
  fast::attention_forward(out.data(), att.data(), q.data(), k.data(), v.data(), B, T, H, hd);
  for (int j = 0; j < D; ++j) k[n - D + j] += 1.0f, v2[n - D + j] -= 1.0f;
  fast::attention_forward(out2.data(), att.data(), q.data(), k.data(), v2.data(), B, T, H, hd);
  EXPECT_TRUE(std::equal(out.begin(), out.end() - D, out2.begin()));
  EXPECT_FALSE(std::equal(out.end() - D, out.end(), out2.end() - D));
}

}  // namespace
}  // namespace lmzip::train
