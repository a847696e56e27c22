// Accuracy of the contract's own functions (they must be deterministic; how close they are to
// the true functions only matters for compression, so these are accuracy checks, not contracts):
// exp_v1 against std::exp, and the RoPE table's double log / exp / sin / cos against libm.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "lmzip/model/int8/numerics.h"
#include "lmzip/model/int8/rope_table.h"

namespace lmzip::model::int8 {
namespace {

long ulp_distance(float a, float b) {
  return std::labs(static_cast<long>(std::bit_cast<std::int32_t>(a)) -
                   static_cast<long>(std::bit_cast<std::int32_t>(b)));
}

// 1,000,001 evenly spaced points of [kExpMin, kExpMax] and 20,001 points near 0: exp_v1 is
// within 2 ulp of the correctly rounded exp (measured: 1 ulp).
TEST(Int8Exp, WithinTwoUlpOfStdExp) {
  long worst = 0;
  float worst_x = 0;
  auto check = [&](float x) {
    const long d = ulp_distance(exp_v1(x), static_cast<float>(std::exp(static_cast<double>(x))));
    if (d > worst) {
      worst = d;
      worst_x = x;
    }
  };
  for (int i = 0; i <= 1000000; ++i) check(static_cast<float>(kExpMin + (kExpMax - kExpMin) * (i / 1e6)));
  for (int i = -10000; i <= 10000; ++i) check(static_cast<float>(i * 1e-5));
  EXPECT_LE(worst, 2) << "at x = " << worst_x;
  std::printf("[ exp_v1 ] worst error against std::exp: %ld ulp (at %g)\n", worst, worst_x);
}

TEST(Int8Exp, ExactPointsAndClamps) {
  EXPECT_EQ(exp_v1(0.0f), 1.0f);
  EXPECT_EQ(exp_v1(-0.0f), 1.0f);
  EXPECT_EQ(exp_v1(-1000.0f), exp_v1(kExpMin));
  EXPECT_EQ(exp_v1(1000.0f), exp_v1(kExpMax));
  EXPECT_GT(exp_v1(kExpMin), 0.0f);
  EXPECT_TRUE(std::isnormal(exp_v1(kExpMin)));
  EXPECT_TRUE(std::isfinite(exp_v1(kExpMax)));
}

TEST(Int8Exp, GeluCloseToTanhFormula) {
  for (float x = -10.0f; x <= 10.0f; x += 0.01f) {
    const double xd = x;
    const double want = 0.5 * xd * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (xd + 0.044715 * xd * xd * xd)));
    EXPECT_NEAR(gelu_v1(x), want, 1e-6 + 1e-6 * std::fabs(want)) << x;
  }
}

TEST(Int8Rope, DoubleHelpersMatchLibm) {
  for (double x : {1.0001, 2.0, 10.0, 10000.0, 500000.0, 1e30}) {
    EXPECT_NEAR(rope_log(x), std::log(x), 4e-16 * std::fabs(std::log(x))) << x;
  }
  for (double x = -700.0; x < 700.0; x += 0.731) EXPECT_NEAR(rope_exp(x), std::exp(x), 4e-16 * std::exp(x)) << x;
  for (double x = 0.0; x < 70000.0; x += 0.0917) {
    double s = 0, c = 0;
    rope_sincos(x, &s, &c);
    ASSERT_NEAR(s, std::sin(x), 1e-15) << x;
    ASSERT_NEAR(c, std::cos(x), 1e-15) << x;
  }
}

TEST(Int8Rope, TableIsTheRoundedAngles) {
  const RopeTable t = build_rope_table(2048, 16, 10000.0f);
  ASSERT_EQ(t.cos.size(), 2048u * 8u);
  int differ = 0;
  for (int p = 0; p < 2048; ++p) {
    for (int j = 0; j < 8; ++j) {
      const double angle = p * std::pow(10000.0, -2.0 * j / 16.0);
      const float c = static_cast<float>(std::cos(angle)), s = static_cast<float>(std::sin(angle));
      ASSERT_LE(ulp_distance(t.cos[p * 8 + j], c), 1) << p << " " << j;
      ASSERT_LE(ulp_distance(t.sin[p * 8 + j], s), 1) << p << " " << j;
      differ += (t.cos[p * 8 + j] != c) + (t.sin[p * 8 + j] != s);
    }
  }
  EXPECT_EQ(t.cos[0], 1.0f);
  EXPECT_EQ(t.sin[0], 0.0f);
  std::printf("[ rope ] %d of %d table entries differ by 1 ulp from float(libm(angle))\n", differ, 2048 * 16);
}

}  // namespace
}  // namespace lmzip::model::int8
