// The coalesced LayerNorm kernels (src/train/gpu/layernorm.h) against their plain twins, one
// thread per row, run through HostOps. Row widths below, at and above the kRowLanes lanes a row
// is split into, and not multiples of it (lanes with one element more than others, lanes with
// none). Tolerance: 1e-5 of the largest value (float32 sums in another order).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../grad_check.h"
#include "train/gpu/host_ops.h"
#include "train/gpu/layernorm.h"

namespace lmzip::train::gpu {
namespace {

std::vector<float> random_floats(std::size_t n, std::uint64_t seed, double scale, double offset = 0.0) {
  const auto d = test::random_vec(n, seed, scale);
  std::vector<float> f(n);
  std::transform(d.begin(), d.end(), f.begin(), [&](double v) { return static_cast<float>(v + offset); });
  return f;
}

struct Rows {
  int N, D;
  std::vector<float> x, w, b, dout, dx0;
  Rows(int n, int d) : N(n), D(d) {
    const auto nd = static_cast<std::size_t>(n) * d;
    x = random_floats(nd, 1, 3.0, 0.7);  // a mean well away from zero
    w = random_floats(d, 2, 0.5, 1.0);
    b = random_floats(d, 3, 0.5);
    dout = random_floats(nd, 4, 1.0);
    dx0 = random_floats(nd, 5, 1.0);  // the backward accumulates into dx
  }
};

struct Outputs {
  std::vector<float> out, mean, rstd, dx, dout_xhat;
};

Outputs run(const Rows& r, bool coalesced) {
  const auto N = static_cast<std::size_t>(r.N), nd = N * r.D;
  Outputs o{std::vector<float>(nd), std::vector<float>(N), std::vector<float>(N), r.dx0, std::vector<float>(nd)};
  HostOps ops;
  std::vector<float> pa(N * kRowLanes, NAN), pb(N * kRowLanes, NAN), ra(N, NAN), rb(N, NAN);
  const RowScratch s{pa.data(), pb.data(), ra.data(), rb.data()};
  const float eps = 1e-5f;
  if (coalesced) {
    layernorm_forward(ops, s, o.out.data(), o.mean.data(), o.rstd.data(), r.x.data(), r.w.data(), r.b.data(), r.N, r.D, eps);
    layernorm_backward(ops, s, o.dx.data(), o.dout_xhat.data(), r.dout.data(), r.x.data(), r.w.data(), o.mean.data(),
                       o.rstd.data(), r.N, r.D);
  } else {
    ops.launch(r.N, LayerNormForward{o.out.data(), o.mean.data(), o.rstd.data(), r.x.data(), r.w.data(), r.b.data(), r.D, eps});
    ops.launch(r.N, LayerNormBackward{o.dx.data(), o.dout_xhat.data(), r.dout.data(), r.x.data(), r.w.data(),
                                      o.mean.data(), o.rstd.data(), r.D});
  }
  return o;
}

TEST(GpuLayerNorm, CoalescedKernelsMatchTheRowPerThreadTwins) {
  for (int D : {8, 20, 32, 48, 64, 256}) {
    SCOPED_TRACE("D = " + std::to_string(D));
    const Rows rows(37, D);
    const Outputs want = run(rows, false), got = run(rows, true);
    EXPECT_LT(test::relative_error(got.mean, want.mean), 1e-5);
    EXPECT_LT(test::relative_error(got.rstd, want.rstd), 1e-5);
    EXPECT_LT(test::relative_error(got.out, want.out), 1e-5);
    EXPECT_LT(test::relative_error(got.dout_xhat, want.dout_xhat), 1e-5);
    EXPECT_LT(test::relative_error(got.dx, want.dx), 1e-5);
  }
}

TEST(GpuLayerNorm, TheBackwardAccumulatesIntoDx) {
  // The same rows with dx starting at zero: the difference is exactly the starting dx.
  Rows rows(5, 40);
  const Outputs with_start = run(rows, true);
  const std::vector<float> start = rows.dx0;
  std::fill(rows.dx0.begin(), rows.dx0.end(), 0.0f);
  const Outputs from_zero = run(rows, true);
  for (std::size_t i = 0; i < start.size(); ++i) EXPECT_FLOAT_EQ(with_start.dx[i], from_zero.dx[i] + start[i]) << i;
}

}  // namespace
}  // namespace lmzip::train::gpu
