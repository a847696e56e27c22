// The float32 twins' vectorised kernels (src/train/vec_kernels.h), at every width this CPU runs:
// the softmax rows against float64 at every length from 1 to 70 (whole vectors and every tail) and
// a full 2048-byte row, GELU against the reference layer; entries past n are never touched.
#include "train/vec_kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "grad_check.h"
#include "lmzip/train/layers.h"

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

std::vector<float> to_float(const std::vector<double>& d) { return {d.begin(), d.end()}; }

TEST(TrainVecKernels, TheWidestComesFirstAndEveryCpuHasFourLanes) {
  const auto& tables = vec_kernels();
  ASSERT_FALSE(tables.empty());
  EXPECT_EQ(tables.back().width, 4);
  for (std::size_t i = 1; i < tables.size(); ++i) EXPECT_GT(tables[i - 1].width, tables[i].width);
}

TEST(TrainVecKernels, SoftmaxMatchesFloat64) {
  for (const VecKernels& k : vec_kernels()) {
    for (int n : lengths()) {
      // Scores spread over +-24 (as after the 1/sqrt(hd) scale), and the same far from zero.
      for (double offset : {0.0, 500.0}) {
        const std::vector<double> x = test::random_vec(static_cast<std::size_t>(n), 100 + n, 12.0);
        std::vector<float> row(static_cast<std::size_t>(n + kPad), kSentinel);
        std::vector<double> exact(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
          row[i] = static_cast<float>(x[i] + offset);
          exact[i] = row[i];
        }
        k.softmax_in_place(row.data(), n);
        const std::vector<double> want = softmax64(exact);
        double sum = 0;
        for (std::size_t i = 0; i < want.size(); ++i) {
          sum += row[i];
          ASSERT_NEAR(row[i], want[i], 1e-6) << "width " << k.width << " n " << n << " entry " << i;
        }
        EXPECT_NEAR(sum, 1.0, 1e-5) << "width " << k.width << " n " << n;
        for (int i = n; i < n + kPad; ++i) ASSERT_EQ(row[static_cast<std::size_t>(i)], kSentinel) << "n " << n;
      }
    }
  }
}

TEST(TrainVecKernels, SoftmaxOfEqualNegativeScoresIsUniform) {
  // All scores below zero: a tail's padding lanes would add e^3 each if they reached the sum.
  for (const VecKernels& k : vec_kernels()) {
    for (int n : {1, 4, 5, 16, 17, 100}) {
      std::vector<float> row(static_cast<std::size_t>(n), -3.0f);
      k.softmax_in_place(row.data(), n);
      for (float p : row) EXPECT_NEAR(p, 1.0 / n, 1e-7) << "width " << k.width << " n " << n;
    }
  }
}

TEST(TrainVecKernels, SoftmaxBackwardMatchesFloat64) {
  const float scale = 0.25f;
  for (const VecKernels& k : vec_kernels()) {
    for (int n : lengths()) {
      const std::size_t m = static_cast<std::size_t>(n);
      const std::vector<float> p = to_float(softmax64(test::random_vec(m, 300 + n, 3.0)));
      const std::vector<double> g = test::random_vec(m, 400 + n, 1.0);
      std::vector<float> d(m + kPad, kSentinel);
      std::copy(g.begin(), g.end(), d.begin());
      double w = 0;
      for (std::size_t i = 0; i < m; ++i) w += static_cast<double>(p[i]) * d[i];
      std::vector<double> want(m);
      for (std::size_t i = 0; i < m; ++i) want[i] = static_cast<double>(p[i]) * (static_cast<double>(d[i]) - w) * scale;
      k.softmax_backward_in_place(d.data(), p.data(), n, scale);
      for (std::size_t i = 0; i < m; ++i) {
        ASSERT_NEAR(d[i], want[i], 1e-6) << "width " << k.width << " n " << n << " entry " << i;
      }
      for (std::size_t i = m; i < m + kPad; ++i) ASSERT_EQ(d[i], kSentinel) << "n " << n;
    }
  }
}

TEST(TrainVecKernels, GeluMatchesTheReference) {
  // Whole vectors and tails; inputs out to +-12, where tanh saturates; a backward adds.
  for (const VecKernels& k : vec_kernels()) {
    for (int n : {1, 3, 15, 16, 33, 1000}) {
      const std::size_t m = static_cast<std::size_t>(n);
      const std::vector<float> x = to_float(test::random_vec(m, 31, 4.0)), dout = to_float(test::random_vec(m, 32));
      std::vector<float> out(m + kPad, kSentinel), want(m, -7.0f);
      k.gelu_forward(out.data(), x.data(), n);
      gelu_forward(want.data(), x.data(), n);
      EXPECT_LT(test::relative_error({out.begin(), out.begin() + n}, want), 2e-6) << "width " << k.width << " n " << n;
      EXPECT_TRUE(std::all_of(out.begin() + n, out.end(), [](float v) { return v == kSentinel; }));

      std::vector<float> dx = to_float(test::random_vec(m, 33)), dx_ref = dx;
      dx.resize(m + kPad, kSentinel);
      k.gelu_backward(dx.data(), x.data(), dout.data(), n);
      gelu_backward(dx_ref.data(), x.data(), dout.data(), n);
      EXPECT_LT(test::relative_error({dx.begin(), dx.begin() + n}, dx_ref), 2e-6) << "width " << k.width << " n " << n;
      EXPECT_TRUE(std::all_of(dx.begin() + n, dx.end(), [](float v) { return v == kSentinel; }));
    }
  }
}

}  // namespace
}  // namespace lmzip::train::detail
