// The trainer's vectorised exp and tanh (src/train/vec_math.h) against libm in float64, over the
// whole range they promise and past its ends (the clamps), lane by lane, and the same in every lane
// of every width.
#include "train/vec_math.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace lmzip::train::fast::vec {
namespace {

constexpr int kW = 16;

// Every input once, W at a time (a tail padded with the first value of its vector).
template <int W = kW, class Fn>
std::vector<float> map_lanes(const std::vector<float>& x, Fn fn) {
  std::vector<float> y(x.size());
  for (std::size_t i = 0; i < x.size(); i += W) {
    const int n = static_cast<int>(std::min<std::size_t>(W, x.size() - i));
    store_first<W>(y.data() + i, fn(load_first<W>(x.data() + i, n, x[i])), n);
  }
  return y;
}

// Units in the last place between a float and the float nearest the exact value.
std::int64_t ulps(float got, double exact) {
  const float want = static_cast<float>(exact);
  return std::abs(static_cast<std::int64_t>(std::bit_cast<std::int32_t>(got)) -
                  static_cast<std::int64_t>(std::bit_cast<std::int32_t>(want)));
}

std::vector<float> sweep(float lo, float hi, int n) {
  std::vector<float> x(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i <= n; ++i) x[static_cast<std::size_t>(i)] = lo + (hi - lo) * static_cast<float>(i) / n;
  return x;
}

TEST(TrainVecMath, ExpIsWithinTwoUlpsOverItsRange) {
  std::vector<float> x = sweep(-87.0f, 88.0f, 350001);
  for (float v : {0.0f, -0.0f, 1.0f, -1.0f, 0.5f * 0.6931472f, -0.5f * 0.6931472f, 1e-7f, -1e-30f}) x.push_back(v);
  const std::vector<float> y = map_lanes(x, [](F<kW> v) { return exp<kW>(v); });
  std::int64_t worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, ulps(y[i], std::exp(static_cast<double>(x[i]))));
  EXPECT_LE(worst, 2);
  EXPECT_EQ(map_lanes({0.0f}, [](F<kW> v) { return exp<kW>(v); })[0], 1.0f);
}

TEST(TrainVecMath, ExpClampsBeyondItsRange) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> y = map_lanes({-1000.0f, -inf, 1000.0f, inf}, [](F<kW> v) { return exp<kW>(v); });
  const float at_lo = map_lanes({-87.0f}, [](F<kW> v) { return exp<kW>(v); })[0];
  const float at_hi = map_lanes({88.0f}, [](F<kW> v) { return exp<kW>(v); })[0];
  EXPECT_EQ(y[0], at_lo);
  EXPECT_EQ(y[1], at_lo);
  EXPECT_GT(at_lo, 0.0f);
  EXPECT_LT(at_lo, 1.7e-38f);
  EXPECT_EQ(y[2], at_hi);
  EXPECT_EQ(y[3], at_hi);
  EXPECT_TRUE(std::isfinite(at_hi));
}

TEST(TrainVecMath, TanhIsWithin2e7OfTheExactValue) {
  std::vector<float> z = sweep(-12.0f, 12.0f, 240001);
  for (float v : {0.0f, 1e-6f, -1e-6f, 1e-3f, -50.0f, 50.0f}) z.push_back(v);
  const std::vector<float> y = map_lanes(z, [](F<kW> v) { return tanh<kW>(v); });
  double worst = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    worst = std::max(worst, std::abs(y[i] - std::tanh(static_cast<double>(z[i]))));
  }
  EXPECT_LT(worst, 2e-7);
  const std::vector<float> ends = map_lanes({-50.0f, 50.0f, 0.0f}, [](F<kW> v) { return tanh<kW>(v); });
  EXPECT_EQ(ends[0], -1.0f);
  EXPECT_EQ(ends[1], 1.0f);
  EXPECT_EQ(ends[2], 0.0f);
}

TEST(TrainVecMath, EveryLaneOfEveryWidthGivesTheSameResult) {
  // Each value's result is the one it gets alone in lane 0, at 4, 8 and 16 lanes.
  std::vector<float> x;
  for (int i = 0; i < 1000; ++i) x.push_back(-60.0f + 0.13f * static_cast<float>(i));
  const std::vector<float> w16 = map_lanes<16>(x, [](F<16> v) { return exp<16>(v) + tanh<16>(v); });
  const std::vector<float> w8 = map_lanes<8>(x, [](F<8> v) { return exp<8>(v) + tanh<8>(v); });
  const std::vector<float> w4 = map_lanes<4>(x, [](F<4> v) { return exp<4>(v) + tanh<4>(v); });
  EXPECT_EQ(w16, w8);
  EXPECT_EQ(w16, w4);
  for (std::size_t i = 0; i < x.size(); i += 97) {
    EXPECT_EQ(w16[i], map_lanes<16>({x[i]}, [](F<16> v) { return exp<16>(v) + tanh<16>(v); })[0]) << x[i];
  }
}

TEST(TrainVecMath, TailsAndReductionsCoverEveryLane) {
  float buf[kW];
  for (int i = 0; i < kW; ++i) buf[i] = static_cast<float>(i + 1);
  EXPECT_EQ(reduce_sum<kW>(load<kW>(buf)), 136.0f);
  EXPECT_EQ(reduce_max<kW>(load<kW>(buf)), 16.0f);
  EXPECT_EQ(reduce_sum<kW>(zero_from<kW>(load<kW>(buf), 3)), 6.0f);
  EXPECT_EQ(reduce_max<kW>(load_first<kW>(buf, 5, -1.0f)), 5.0f);
  buf[0] = 99.0f;
  EXPECT_EQ(reduce_max<kW>(load<kW>(buf)), 99.0f);
}

}  // namespace
}  // namespace lmzip::train::fast::vec
