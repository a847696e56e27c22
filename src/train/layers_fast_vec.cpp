// The vectorised pointwise kernels of the float32 twins: GELU (lmzip/train/layers_fast.h) and the
// softmax rows of attention (fast_rows.h), on vec_math.h's 16 lanes. The reference layers
// (layers_pointwise.cpp, layers_attention.cpp) compute the same equations one element at a time
// through libm; here sums run in 16 lane partials combined in lane order, so results agree with
// them to float32 rounding, not bit for bit (training only).
#include <cmath>

#include "fast_rows.h"
#include "lmzip/train/layers_fast.h"
#include "vec_math.h"

// The helpers below take and return vec::F and are always inlined (vec_math.h says why the ABI
// warning does not apply).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lmzip::train::fast {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LMZIP_TRAIN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define LMZIP_TRAIN_CLONES
#endif

using vec::F;
using vec::kLanes;
using vec::splat;

namespace {

constexpr float kGeluK = 0.7978845608028654f;  // sqrt(2/pi)
constexpr float kGeluC = 0.044715f;

[[gnu::always_inline]] inline F gelu_inner(F u) { return splat(kGeluK) * (u + splat(kGeluC) * u * u * u); }

[[gnu::always_inline]] inline F gelu_value(F u) { return splat(0.5f) * u * (splat(1.0f) + vec::tanh(gelu_inner(u))); }

// d/dx GELU = 0.5 (1 + tanh z) + 0.5 x (1 - tanh^2 z) k (1 + 3 * 0.044715 x^2), as the reference.
[[gnu::always_inline]] inline F gelu_slope(F u) {
  const F th = vec::tanh(gelu_inner(u));
  return splat(0.5f) * (splat(1.0f) + th) +
         splat(0.5f) * u * (splat(1.0f) - th * th) * splat(kGeluK) * (splat(1.0f) + splat(3 * kGeluC) * u * u);
}

}  // namespace

LMZIP_TRAIN_CLONES
void gelu_forward(float* out, const float* x, int n) {
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) vec::store(out + i, gelu_value(vec::load(x + i)));
  if (i < n) vec::store_first(out + i, gelu_value(vec::load_first(x + i, n - i, 0.0f)), n - i);
}

LMZIP_TRAIN_CLONES
void gelu_backward(float* dx, const float* x, const float* dout, int n) {
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    vec::store(dx + i, vec::load(dx + i) + gelu_slope(vec::load(x + i)) * vec::load(dout + i));
  }
  if (i < n) {
    const int m = n - i;
    const F d = vec::load_first(dx + i, m, 0.0f) + gelu_slope(vec::load_first(x + i, m, 0.0f)) *
                                                       vec::load_first(dout + i, m, 0.0f);
    vec::store_first(dx + i, d, m);
  }
}

}  // namespace lmzip::train::fast

namespace lmzip::train::detail {

using fast::vec::F;
using fast::vec::kLanes;
using fast::vec::splat;
namespace vec = fast::vec;

LMZIP_TRAIN_CLONES
void softmax_in_place(float* row, int n) {
  const int full = n / kLanes * kLanes, tail = n - full;
  F mx = splat(-INFINITY);
  for (int r = 0; r < full; r += kLanes) mx = vec::max(mx, vec::load(row + r));
  if (tail) mx = vec::max(mx, vec::load_first(row + full, tail, -INFINITY));
  const F m = splat(vec::reduce_max(mx));

  F sum = splat(0.0f);
  for (int r = 0; r < full; r += kLanes) {
    const F e = vec::exp(vec::load(row + r) - m);
    vec::store(row + r, e);
    sum += e;
  }
  if (tail) {
    // The padding lanes' e^-87 must not reach the sum.
    F e = vec::exp(vec::load_first(row + full, tail, 0.0f) - m);
    e = vec::lane_index() < tail ? e : splat(0.0f);
    vec::store_first(row + full, e, tail);
    sum += e;
  }
  const F inv = splat(1.0f / vec::reduce_sum(sum));
  for (int r = 0; r < full; r += kLanes) vec::store(row + r, vec::load(row + r) * inv);
  if (tail) vec::store_first(row + full, vec::load_first(row + full, tail, 0.0f) * inv, tail);
}

LMZIP_TRAIN_CLONES
void softmax_backward_in_place(float* d, const float* p, int n, float scale) {
  const int full = n / kLanes * kLanes, tail = n - full;
  F w = splat(0.0f);
  for (int r = 0; r < full; r += kLanes) w += vec::load(p + r) * vec::load(d + r);
  if (tail) w += vec::load_first(p + full, tail, 0.0f) * vec::load_first(d + full, tail, 0.0f);
  const F weighted = splat(vec::reduce_sum(w)), s = splat(scale);
  for (int r = 0; r < full; r += kLanes) {
    vec::store(d + r, vec::load(p + r) * (vec::load(d + r) - weighted) * s);
  }
  if (tail) {
    const F pd = vec::load_first(p + full, tail, 0.0f) * (vec::load_first(d + full, tail, 0.0f) - weighted) * s;
    vec::store_first(d + full, pd, tail);
  }
}

}  // namespace lmzip::train::detail
