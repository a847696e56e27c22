// tests/train/grad_check.h - central finite differences in float64 for the gradient tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lmzip::train::test {

// Deterministic values in [-1, 1) (splitmix64).
inline std::vector<double> random_vec(std::size_t n, std::uint64_t seed, double scale = 1.0) {
  std::vector<double> v(n);
  for (auto& e : v) {
    std::uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    e = ((static_cast<double>(z >> 11) * 0x1.0p-53) * 2.0 - 1.0) * scale;
  }
  return v;
}

struct GradCheckResult {
  double max_rel = 0;    // max over elements of |a - n| / max(|a|, |n|, floor)
  std::size_t checked = 0;
};

// Compares analytic[i] with (f(var[i] + eps) - f(var[i] - eps)) / (2 eps) for the indices in
// `which` (all when empty); `var` is restored. Elements whose gradient is below `floor` in size
// are compared absolutely against floor (relative error is meaningless for an exact zero).
inline GradCheckResult grad_check(const std::function<double()>& f, std::vector<double>& var,
                                  const std::vector<double>& analytic, double eps = 1e-6, double floor = 1e-4,
                                  const std::vector<std::size_t>& which = {}) {
  GradCheckResult r;
  auto one = [&](std::size_t i) {
    const double saved = var[i];
    var[i] = saved + eps;
    const double fp = f();
    var[i] = saved - eps;
    const double fm = f();
    var[i] = saved;
    const double num = (fp - fm) / (2 * eps);
    const double denom = std::max({std::abs(num), std::abs(analytic[i]), floor});
    r.max_rel = std::max(r.max_rel, std::abs(num - analytic[i]) / denom);
    ++r.checked;
  };
  if (which.empty()) {
    for (std::size_t i = 0; i < var.size(); ++i) one(i);
  } else {
    for (std::size_t i : which) one(i);
  }
  return r;
}

// sum_i out[i] * g[i]: the scalar whose gradient with respect to out is g.
inline double dot(const std::vector<double>& out, const std::vector<double>& g) {
  double s = 0;
  for (std::size_t i = 0; i < out.size(); ++i) s += out[i] * g[i];
  return s;
}

// Largest |got - want| over the largest |want| (the absolute error where want is all zeros): how
// float32 twins are held to a reference.
inline double relative_error(const std::vector<float>& got, const std::vector<float>& want) {
  double err = 0, mag = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    err = std::max(err, std::abs(static_cast<double>(got[i]) - want[i]));
    mag = std::max(mag, std::abs(static_cast<double>(want[i])));
  }
  return mag > 0 ? err / mag : err;
}

}  // namespace lmzip::train::test
