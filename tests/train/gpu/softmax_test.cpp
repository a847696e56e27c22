// The coalesced causal softmax kernels (src/train/gpu/softmax.h) against their plain twins, one
// thread per row, and against the softmax computed in float64, run through HostOps. Row lengths
// (T) below, at and above the kRowLanes lanes a row is split into and not multiples of it (lanes
// with no entry in the early rows). Entries above the diagonal hold huge scores, which any
// kernel that looked at them would let dominate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../grad_check.h"
#include "train/gpu/host_ops.h"
#include "train/gpu/softmax.h"

namespace lmzip::train::gpu {
namespace {

// heads * T rows of T scores: entries 0..t random around `offset`, entries above t 1e4.
std::vector<float> scores(int heads, int T, std::uint64_t seed, double scale, double offset) {
  const auto rows = static_cast<std::size_t>(heads) * T;
  const auto d = test::random_vec(rows * T, seed, scale);
  std::vector<float> att(d.size());
  for (std::size_t r = 0; r < rows; ++r) {
    for (int j = 0; j < T; ++j) {
      const std::size_t e = r * T + j;
      att[e] = j <= static_cast<int>(r % T) ? static_cast<float>(d[e] + offset) : 1e4f;
    }
  }
  return att;
}

double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

struct Case {
  int heads, T;
  std::vector<float> att, datt;
  Case(int h, int t, double offset) : heads(h), T(t), att(scores(h, t, 11, 4.0, offset)) {
    const auto d = test::random_vec(att.size(), 12, 1.0);
    datt.assign(d.begin(), d.end());
  }
  Index rows() const { return static_cast<Index>(heads) * T; }
};

struct Result {
  std::vector<float> probs, dscores;
};

constexpr float kScale = 0.25f;

Result run(const Case& c, bool coalesced) {
  Result o{c.att, c.datt};
  HostOps ops;
  const auto rows = static_cast<std::size_t>(c.rows());
  std::vector<float> pa(rows * kRowLanes, NAN), pb(rows * kRowLanes, NAN), ra(rows, NAN), rb(rows, NAN);
  const RowScratch s{pa.data(), pb.data(), ra.data(), rb.data()};
  if (coalesced) {
    causal_softmax_forward(ops, s, o.probs.data(), c.rows(), c.T);
    causal_softmax_backward(ops, s, o.dscores.data(), o.probs.data(), c.rows(), c.T, kScale);
  } else {
    ops.launch(c.rows(), CausalSoftmax{o.probs.data(), c.T});
    ops.launch(c.rows(), CausalSoftmaxBackward{o.dscores.data(), o.probs.data(), c.T, kScale});
  }
  return o;
}

// The causal softmax of c.att and its backward, in float64.
Result reference(const Case& c) {
  Result o{std::vector<float>(c.att.size()), std::vector<float>(c.att.size())};
  for (Index r = 0; r < c.rows(); ++r) {
    const Index t = r % c.T, base = r * c.T;
    double mx = -INFINITY, sum = 0, weighted = 0;
    for (Index j = 0; j <= t; ++j) mx = std::max(mx, static_cast<double>(c.att[base + j]));
    for (Index j = 0; j <= t; ++j) sum += std::exp(c.att[base + j] - mx);
    std::vector<double> p(static_cast<std::size_t>(t) + 1);
    for (Index j = 0; j <= t; ++j) {
      p[j] = std::exp(c.att[base + j] - mx) / sum;
      weighted += p[j] * c.datt[base + j];
    }
    for (Index j = 0; j <= t; ++j) {
      o.probs[base + j] = static_cast<float>(p[j]);
      o.dscores[base + j] = static_cast<float>(kScale * p[j] * (c.datt[base + j] - weighted));
    }
  }
  return o;
}

TEST(GpuSoftmax, CoalescedKernelsMatchTheRowPerThreadTwinsAndFloat64) {
  for (int T : {1, 5, 31, 32, 33, 70, 129}) {
    for (double offset : {0.0, 80.0}) {  // exp(80) overflows float32: the maximum must come off first
      SCOPED_TRACE("T = " + std::to_string(T) + ", offset " + std::to_string(offset));
      const Case c(3, T, offset);
      const Result want = run(c, false), got = run(c, true), exact = reference(c);
      EXPECT_LT(max_abs_difference(got.probs, want.probs), 1e-6);
      EXPECT_LT(max_abs_difference(got.dscores, want.dscores), 1e-6);
      EXPECT_LT(max_abs_difference(got.probs, exact.probs), 1e-6);
      EXPECT_LT(max_abs_difference(got.dscores, exact.dscores), 1e-6);
    }
  }
}

TEST(GpuSoftmax, EntriesAboveTheDiagonalBecomeZeroAndRowsSumToOne) {
  const Case c(2, 45, 0.0);
  const Result got = run(c, true);
  for (Index r = 0; r < c.rows(); ++r) {
    const Index t = r % c.T;
    double sum = 0;
    for (Index j = 0; j < c.T; ++j) {
      const float p = got.probs[r * c.T + j];
      if (j > t) {
        EXPECT_EQ(p, 0.0f) << "row " << r << ", entry " << j;
        EXPECT_EQ(got.dscores[r * c.T + j], 0.0f) << "row " << r << ", entry " << j;
      }
      sum += p;
    }
    EXPECT_NEAR(sum, 1.0, 1e-6) << "row " << r;
  }
}

}  // namespace
}  // namespace lmzip::train::gpu
