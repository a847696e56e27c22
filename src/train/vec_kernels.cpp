// The vectorised pointwise kernels of the float32 twins (vec_kernels.h). The reference layers
// (layers_pointwise.cpp, layers_attention.cpp) compute the same equations one element at a time
// through libm; here sums run in W lane partials combined in lane order, so results agree with
// them to float32 rounding, not bit for bit, and differ a little between widths (training only).
#include "vec_kernels.h"

#include <cmath>

#include "vec_math.h"

// The helpers below take and return vectors and are always inlined (vec_math.h says why the ABI
// warning does not apply).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lmzip::train::detail {

namespace {

namespace vec = fast::vec;
using vec::F;
using vec::splat;

constexpr float kGeluK = 0.7978845608028654f;  // sqrt(2/pi)
constexpr float kGeluC = 0.044715f;

template <int W>
[[gnu::always_inline]] inline F<W> gelu_inner(F<W> u) {
  return splat<W>(kGeluK) * (u + splat<W>(kGeluC) * u * u * u);
}

template <int W>
[[gnu::always_inline]] inline F<W> gelu_value(F<W> u) {
  return splat<W>(0.5f) * u * (splat<W>(1.0f) + vec::tanh<W>(gelu_inner<W>(u)));
}

// d/dx GELU = 0.5 (1 + tanh z) + 0.5 x (1 - tanh^2 z) k (1 + 3 * 0.044715 x^2), as the reference.
template <int W>
[[gnu::always_inline]] inline F<W> gelu_slope(F<W> u) {
  const F<W> th = vec::tanh<W>(gelu_inner<W>(u));
  return splat<W>(0.5f) * (splat<W>(1.0f) + th) + splat<W>(0.5f) * u * (splat<W>(1.0f) - th * th) *
                                                       splat<W>(kGeluK) * (splat<W>(1.0f) + splat<W>(3 * kGeluC) * u * u);
}

template <int W>
[[gnu::always_inline]] inline void gelu_forward(float* out, const float* x, int n) {
  int i = 0;
  for (; i + W <= n; i += W) vec::store<W>(out + i, gelu_value<W>(vec::load<W>(x + i)));
  if (i < n) vec::store_first<W>(out + i, gelu_value<W>(vec::load_first<W>(x + i, n - i, 0.0f)), n - i);
}

template <int W>
[[gnu::always_inline]] inline void gelu_backward(float* dx, const float* x, const float* dout, int n) {
  int i = 0;
  for (; i + W <= n; i += W) {
    vec::store<W>(dx + i, vec::load<W>(dx + i) + gelu_slope<W>(vec::load<W>(x + i)) * vec::load<W>(dout + i));
  }
  if (i < n) {
    const int m = n - i;
    const F<W> d = vec::load_first<W>(dx + i, m, 0.0f) +
                   gelu_slope<W>(vec::load_first<W>(x + i, m, 0.0f)) * vec::load_first<W>(dout + i, m, 0.0f);
    vec::store_first<W>(dx + i, d, m);
  }
}

template <int W>
[[gnu::always_inline]] inline void softmax_in_place(float* row, int n) {
  const int full = n / W * W, tail = n - full;
  F<W> mx = splat<W>(-INFINITY);
  for (int r = 0; r < full; r += W) mx = vec::max<W>(mx, vec::load<W>(row + r));
  if (tail) mx = vec::max<W>(mx, vec::load_first<W>(row + full, tail, -INFINITY));
  const F<W> m = splat<W>(vec::reduce_max<W>(mx));

  F<W> sum = splat<W>(0.0f);
  for (int r = 0; r < full; r += W) {
    const F<W> e = vec::exp<W>(vec::load<W>(row + r) - m);
    vec::store<W>(row + r, e);
    sum += e;
  }
  if (tail) {
    // The padding lanes' e^-m must not reach the sum.
    const F<W> e = vec::zero_from<W>(vec::exp<W>(vec::load_first<W>(row + full, tail, 0.0f) - m), tail);
    vec::store_first<W>(row + full, e, tail);
    sum += e;
  }
  const F<W> inv = splat<W>(1.0f / vec::reduce_sum<W>(sum));
  for (int r = 0; r < full; r += W) vec::store<W>(row + r, vec::load<W>(row + r) * inv);
  if (tail) vec::store_first<W>(row + full, vec::load_first<W>(row + full, tail, 0.0f) * inv, tail);
}

template <int W>
[[gnu::always_inline]] inline void softmax_backward_in_place(float* d, const float* p, int n, float scale) {
  const int full = n / W * W, tail = n - full;
  F<W> w = splat<W>(0.0f);
  for (int r = 0; r < full; r += W) w += vec::load<W>(p + r) * vec::load<W>(d + r);
  if (tail) w += vec::load_first<W>(p + full, tail, 0.0f) * vec::load_first<W>(d + full, tail, 0.0f);
  const F<W> weighted = splat<W>(vec::reduce_sum<W>(w)), s = splat<W>(scale);
  for (int r = 0; r < full; r += W) {
    vec::store<W>(d + r, vec::load<W>(p + r) * (vec::load<W>(d + r) - weighted) * s);
  }
  if (tail) {
    const F<W> pd = vec::load_first<W>(p + full, tail, 0.0f) * (vec::load_first<W>(d + full, tail, 0.0f) - weighted) * s;
    vec::store_first<W>(d + full, pd, tail);
  }
}

// One table per width, each compiled for its instruction set (a template cannot take a target
// attribute that depends on W, hence one line per kernel and width).
#define LMZIP_VEC_TABLE(W, TARGET)                                                                                 \
  VecKernels{W,                                                                                                    \
             [](float* row, int n) TARGET { softmax_in_place<W>(row, n); },                                       \
             [](float* d, const float* p, int n, float s) TARGET { softmax_backward_in_place<W>(d, p, n, s); },   \
             [](float* out, const float* x, int n) TARGET { gelu_forward<W>(out, x, n); },                         \
             [](float* dx, const float* x, const float* dout, int n) TARGET { gelu_backward<W>(dx, x, dout, n); }}

std::vector<VecKernels> make_tables() {
  std::vector<VecKernels> tables;
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx512f")) tables.push_back(LMZIP_VEC_TABLE(16, __attribute__((target("avx512f")))));
  if (__builtin_cpu_supports("avx2")) tables.push_back(LMZIP_VEC_TABLE(8, __attribute__((target("avx2")))));
#endif
  tables.push_back(LMZIP_VEC_TABLE(4, ));
  return tables;
}

#undef LMZIP_VEC_TABLE

}  // namespace

const std::vector<VecKernels>& vec_kernels() {
  static const std::vector<VecKernels> tables = make_tables();
  return tables;
}

}  // namespace lmzip::train::detail
