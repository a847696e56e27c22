// The trainer's vectorised exp and tanh (src/train/vec_math.h) against libm in float64, over the
// whole range they promise and past its ends (the clamps), lane by lane.
#include "train/vec_math.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace lmzip::train::fast::vec {
namespace {

// Every input once, 16 at a time (a tail padded with the last value).
template <class Fn>
std::vector<float> map_lanes(const std::vector<float>& x, Fn fn) {
  std::vector<float> y(x.size());
  for (std::size_t i = 0; i < x.size(); i += kLanes) {
    const int n = static_cast<int>(std::min<std::size_t>(kLanes, x.size() - i));
    store_first(y.data() + i, fn(load_first(x.data() + i, n, x[i])), n);
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
  const std::vector<float> y = map_lanes(x, [](F v) { return exp(v); });
  std::int64_t worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, ulps(y[i], std::exp(static_cast<double>(x[i]))));
  EXPECT_LE(worst, 2);
  EXPECT_EQ(map_lanes({0.0f}, [](F v) { return exp(v); })[0], 1.0f);
}

TEST(TrainVecMath, ExpClampsBeyondItsRange) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> y = map_lanes({-1000.0f, -inf, 1000.0f, inf}, [](F v) { return exp(v); });
  const float at_lo = map_lanes({-87.0f}, [](F v) { return exp(v); })[0];
  const float at_hi = map_lanes({88.0f}, [](F v) { return exp(v); })[0];
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
  const std::vector<float> y = map_lanes(z, [](F v) { return tanh(v); });
  double worst = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    worst = std::max(worst, std::abs(y[i] - std::tanh(static_cast<double>(z[i]))));
  }
  EXPECT_LT(worst, 2e-7);
  const std::vector<float> ends = map_lanes({-50.0f, 50.0f, 0.0f}, [](F v) { return tanh(v); });
  EXPECT_EQ(ends[0], -1.0f);
  EXPECT_EQ(ends[1], 1.0f);
  EXPECT_EQ(ends[2], 0.0f);
}

TEST(TrainVecMath, LanesAreIndependent) {
  // Each lane's result is the one it gets alone in lane 0 beside zeros.
  std::vector<float> x(kLanes);
  for (int i = 0; i < kLanes; ++i) x[static_cast<std::size_t>(i)] = -40.0f + 7.3f * static_cast<float>(i);
  const std::vector<float> together = map_lanes(x, [](F v) { return exp(v) + tanh(v); });
  for (int i = 0; i < kLanes; ++i) {
    const float alone = map_lanes({x[static_cast<std::size_t>(i)]}, [](F v) { return exp(v) + tanh(v); })[0];
    EXPECT_EQ(together[static_cast<std::size_t>(i)], alone) << "lane " << i;
  }
}

TEST(TrainVecMath, ReductionsCoverEveryLane) {
  float buf[kLanes];
  for (int i = 0; i < kLanes; ++i) buf[i] = static_cast<float>(i + 1);
  EXPECT_EQ(reduce_sum(load(buf)), 136.0f);
  EXPECT_EQ(reduce_max(load(buf)), 16.0f);
  buf[0] = 99.0f;
  EXPECT_EQ(reduce_max(load(buf)), 99.0f);
}

}  // namespace
}  // namespace lmzip::train::fast::vec
