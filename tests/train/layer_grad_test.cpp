// Every layer's backward (lmzip/train/layers.h) against central finite differences in float64.
#include <gtest/gtest.h>

#include <numeric>

#include "grad_check.h"
#include "lmzip/train/layers.h"

namespace lmzip::train {
namespace {

using test::dot;
using test::grad_check;
using test::random_vec;
using Vec = std::vector<double>;

constexpr double kTol = 1e-6;

TEST(TrainLayerGrad, Embedding) {
  const int N = 5, D = 4;
  const std::vector<int> tokens = {256, 3, 255, 3, 0};
  Vec E = random_vec(257 * D, 1), g = random_vec(N * D, 2), out(N * D);
  auto f = [&] { embedding_forward(out.data(), tokens.data(), E.data(), N, D); return dot(out, g); };
  Vec dE(E.size(), 0.0);
  embedding_backward(dE.data(), g.data(), tokens.data(), N, D);
  EXPECT_LT(grad_check(f, E, dE).max_rel, kTol);
}

TEST(TrainLayerGrad, LayerNorm) {
  const int N = 3, D = 8;
  Vec x = random_vec(N * D, 3, 2.0), w = random_vec(D, 4), b = random_vec(D, 5), g = random_vec(N * D, 6);
  Vec out(N * D), mean(N), rstd(N);
  auto f = [&] {
    layernorm_forward(out.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), N, D, 1e-5);
    return dot(out, g);
  };
  f();
  Vec dx(x.size(), 0.0), dw(D, 0.0), db(D, 0.0);
  layernorm_backward(dx.data(), dw.data(), db.data(), g.data(), x.data(), w.data(), mean.data(), rstd.data(), N, D);
  EXPECT_LT(grad_check(f, x, dx).max_rel, kTol);
  EXPECT_LT(grad_check(f, w, dw).max_rel, kTol);
  EXPECT_LT(grad_check(f, b, db).max_rel, kTol);
}

TEST(TrainLayerGrad, MatmulWithAndWithoutBias) {
  const int N = 3, IN = 5, OUT = 4;
  for (bool bias : {true, false}) {
    Vec x = random_vec(N * IN, 7), W = random_vec(OUT * IN, 8), b = random_vec(OUT, 9), g = random_vec(N * OUT, 10);
    Vec out(N * OUT);
    auto f = [&] {
      matmul_forward(out.data(), x.data(), W.data(), bias ? b.data() : nullptr, N, IN, OUT);
      return dot(out, g);
    };
    Vec dx(x.size(), 0.0), dW(W.size(), 0.0), db(OUT, 0.0);
    matmul_backward(dx.data(), dW.data(), bias ? db.data() : nullptr, g.data(), x.data(), W.data(), N, IN, OUT);
    EXPECT_LT(grad_check(f, x, dx).max_rel, kTol);
    EXPECT_LT(grad_check(f, W, dW).max_rel, kTol);
    if (bias) {
      EXPECT_LT(grad_check(f, b, db).max_rel, kTol);
    }
  }
}

TEST(TrainLayerGrad, Rope) {
  const int B = 2, T = 5, H = 2, hd = 6, half = hd / 2;
  Vec cs(T * half), sn(T * half);
  rope_tables(cs.data(), sn.data(), T, hd, 10000.0);
  Vec x = random_vec(B * T * H * hd, 11), g = random_vec(x.size(), 12);
  auto f = [&] {
    Vec y = x;
    rope_forward(y.data(), cs.data(), sn.data(), B, T, H, hd);
    return dot(y, g);
  };
  Vec dx = g;
  rope_backward(dx.data(), cs.data(), sn.data(), B, T, H, hd);
  EXPECT_LT(grad_check(f, x, dx).max_rel, kTol);
}

TEST(TrainLayerGrad, CausalAttention) {
  const int B = 2, T = 5, H = 2, hd = 4, D = H * hd;
  Vec q = random_vec(B * T * D, 13, 1.5), k = random_vec(B * T * D, 14, 1.5), v = random_vec(B * T * D, 15);
  Vec g = random_vec(B * T * D, 16), out(B * T * D), att(B * H * T * T);
  auto f = [&] {
    attention_forward(out.data(), att.data(), q.data(), k.data(), v.data(), B, T, H, hd);
    return dot(out, g);
  };
  f();
  Vec dq(q.size(), 0.0), dk(k.size(), 0.0), dv(v.size(), 0.0);
  attention_backward(dq.data(), dk.data(), dv.data(), g.data(), att.data(), q.data(), k.data(), v.data(), B, T, H,
                     hd);
  EXPECT_LT(grad_check(f, q, dq).max_rel, kTol);
  EXPECT_LT(grad_check(f, k, dk).max_rel, kTol);
  EXPECT_LT(grad_check(f, v, dv).max_rel, kTol);
  // Causality: the first position attends to itself only.
  EXPECT_DOUBLE_EQ(att[0], 1.0);
  EXPECT_DOUBLE_EQ(att[1], 0.0);
}

TEST(TrainLayerGrad, Gelu) {
  const int n = 40;
  Vec x = random_vec(n, 17, 4.0), g = random_vec(n, 18), out(n);
  auto f = [&] { gelu_forward(out.data(), x.data(), n); return dot(out, g); };
  Vec dx(n, 0.0);
  gelu_backward(dx.data(), x.data(), g.data(), n);
  EXPECT_LT(grad_check(f, x, dx).max_rel, kTol);
}

TEST(TrainLayerGrad, Residual) {
  const int n = 10;
  Vec a = random_vec(n, 19), b = random_vec(n, 20), g = random_vec(n, 21), out(n);
  auto f = [&] { residual_forward(out.data(), a.data(), b.data(), n); return dot(out, g); };
  Vec da(n, 0.0), db(n, 0.0);
  residual_backward(da.data(), db.data(), g.data(), n);
  EXPECT_LT(grad_check(f, a, da).max_rel, kTol);
  EXPECT_LT(grad_check(f, b, db).max_rel, kTol);
}

TEST(TrainLayerGrad, SoftmaxCrossEntropy) {
  const int N = 4, V = 7;
  const std::vector<int> targets = {0, 6, 3, 3};
  Vec z = random_vec(N * V, 22, 3.0), probs(N * V), losses(N);
  auto f = [&] { return crossentropy_forward(probs.data(), losses.data(), z.data(), targets.data(), N, V); };
  f();
  Vec dz(z.size(), 0.0);
  crossentropy_backward(dz.data(), probs.data(), targets.data(), N, V);
  EXPECT_LT(grad_check(f, z, dz).max_rel, kTol);
  for (int n = 0; n < N; ++n) {
    EXPECT_NEAR(std::accumulate(probs.begin() + n * V, probs.begin() + (n + 1) * V, 0.0), 1.0, 1e-15);
  }
}

}  // namespace
}  // namespace lmzip::train
