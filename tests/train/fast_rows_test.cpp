// The attention twin's vectorised row kernels (src/train/fast_rows.h) against float64: every
// length from 1 to 70 (whole vectors and every tail) and a full 2048-byte row; entries past n are
// never touched.
#include "train/fast_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "grad_check.h"

namespace lmzip::train::detail {
namespace {

constexpr float kSentinel = 1234.5f;
constexpr int kPad = 20;

std::vector<int> lengths() {
  std::vector<int> n;
  for (int i = 1; i <= 70; ++i) n.push_back(i);
  n.push_back(2048);
  return n;
}

std::vector<double> softmax64(const std::vector<double>& x) {
  const double mx = *std::max_element(x.begin(), x.end());
  std::vector<double> p(x.size());
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sum += (p[i] = std::exp(x[i] - mx));
  for (double& v : p) v /= sum;
  return p;
}

TEST(TrainFastRows, SoftmaxMatchesFloat64) {
  for (int n : lengths()) {
    // Scores spread over +-24 (as after the 1/sqrt(hd) scale) and one row far from zero.
    for (double offset : {0.0, 500.0}) {
      const std::vector<double> x = test::random_vec(static_cast<std::size_t>(n), 100 + n, 12.0);
      std::vector<float> row(static_cast<std::size_t>(n + kPad), kSentinel);
      std::vector<double> shifted(x);
      for (int i = 0; i < n; ++i) {
        row[static_cast<std::size_t>(i)] = static_cast<float>(x[static_cast<std::size_t>(i)] + offset);
        shifted[static_cast<std::size_t>(i)] = static_cast<double>(row[static_cast<std::size_t>(i)]);
      }
      softmax_in_place(row.data(), n);
      const std::vector<double> want = softmax64(shifted);
      double sum = 0;
      for (int i = 0; i < n; ++i) {
        const float got = row[static_cast<std::size_t>(i)];
        sum += got;
        ASSERT_NEAR(got, want[static_cast<std::size_t>(i)], 1e-6) << "n " << n << " entry " << i;
      }
      EXPECT_NEAR(sum, 1.0, 1e-5) << "n " << n;
      for (int i = n; i < n + kPad; ++i) ASSERT_EQ(row[static_cast<std::size_t>(i)], kSentinel) << "n " << n;
    }
  }
}

TEST(TrainFastRows, SoftmaxOfEqualScoresIsUniform) {
  for (int n : {1, 16, 17, 100}) {
    std::vector<float> row(static_cast<std::size_t>(n), -3.0f);
    softmax_in_place(row.data(), n);
    for (float p : row) EXPECT_NEAR(p, 1.0 / n, 1e-7) << "n " << n;
  }
}

TEST(TrainFastRows, SoftmaxBackwardMatchesFloat64) {
  const float scale = 0.25f;
  for (int n : lengths()) {
    const std::vector<double> x = test::random_vec(static_cast<std::size_t>(n), 300 + n, 3.0);
    const std::vector<double> g = test::random_vec(static_cast<std::size_t>(n), 400 + n, 1.0);
    std::vector<float> p(static_cast<std::size_t>(n));
    std::vector<float> d(static_cast<std::size_t>(n + kPad), kSentinel);
    const std::vector<double> p64 = softmax64(x);
    for (int i = 0; i < n; ++i) {
      p[static_cast<std::size_t>(i)] = static_cast<float>(p64[static_cast<std::size_t>(i)]);
      d[static_cast<std::size_t>(i)] = static_cast<float>(g[static_cast<std::size_t>(i)]);
    }
    double w = 0;
    for (int i = 0; i < n; ++i) w += static_cast<double>(p[static_cast<std::size_t>(i)]) * d[static_cast<std::size_t>(i)];
    std::vector<double> want(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      const std::size_t k = static_cast<std::size_t>(i);
      want[k] = static_cast<double>(p[k]) * (static_cast<double>(d[k]) - w) * scale;
    }
    softmax_backward_in_place(d.data(), p.data(), n, scale);
    for (int i = 0; i < n; ++i) {
      ASSERT_NEAR(d[static_cast<std::size_t>(i)], want[static_cast<std::size_t>(i)], 1e-6) << "n " << n << " entry " << i;
    }
    for (int i = n; i < n + kPad; ++i) ASSERT_EQ(d[static_cast<std::size_t>(i)], kSentinel) << "n " << n;
  }
}

}  // namespace
}  // namespace lmzip::train::detail
