// vec_math.h - float32 exp and tanh on 16 lanes at once, for the CPU trainer's float32 twins
// (lmzip/train/layers_fast.h): the softmax of attention and GELU, which spent about a fifth of a
// 3.2M training step in libm's scalar expf / tanhf (docs/training.md, "CPU training speed").
//
// Training only. The coding path never calls these: its probabilities come from the engine's own
// exp/log (docs/numerics.md), which are bit-exact by design; these are merely accurate (exp within
// 2 ulp of the correctly rounded value over [-87, 88]; tanh within 2e-7 absolute) and a vector
// unit's sums may be ordered differently from the reference layers', as the GEMM twins' are.
//
// The lanes are a GCC/Clang vector extension: the compiler lowers each operation to whatever the
// function's target has (4 SSE2 ops by default, 2 AVX2 ops or one AVX-512 op in a
// target_clones version), so one source serves every x86-64 and other architectures alike.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

// Every function here is inlined into its caller, whose target (a target_clones version) decides
// the instructions; none is ever called across the ABI that the warning is about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lmzip::train::fast::vec {

constexpr int kLanes = 16;
using F = float __attribute__((vector_size(kLanes * sizeof(float))));
using I = std::int32_t __attribute__((vector_size(kLanes * sizeof(std::int32_t))));

[[gnu::always_inline]] inline F splat(float x) { return F{} + x; }

[[gnu::always_inline]] inline F load(const float* p) {
  F v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

[[gnu::always_inline]] inline void store(float* p, F v) { std::memcpy(p, &v, sizeof v); }

// The lanes 0..n-1 of p (n < kLanes) and `fill` in the rest; store_first writes back only n.
[[gnu::always_inline]] inline F load_first(const float* p, int n, float fill) {
  float buf[kLanes];
  for (int i = 0; i < kLanes; ++i) buf[i] = i < n ? p[i] : fill;
  return load(buf);
}

[[gnu::always_inline]] inline void store_first(float* p, F v, int n) {
  float buf[kLanes];
  store(buf, v);
  for (int i = 0; i < n; ++i) p[i] = buf[i];
}

// Lane i holds i: compares against a count to mask a tail.
[[gnu::always_inline]] inline I lane_index() {
  I v{};
  for (int i = 0; i < kLanes; ++i) v[i] = i;
  return v;
}

[[gnu::always_inline]] inline F max(F a, F b) { return a > b ? a : b; }

[[gnu::always_inline]] inline float reduce_max(F v) {
  float m = v[0];
  for (int i = 1; i < kLanes; ++i) m = v[i] > m ? v[i] : m;
  return m;
}

// Lane order, so the result does not depend on how the compiler lowers the vector.
[[gnu::always_inline]] inline float reduce_sum(F v) {
  float s = v[0];
  for (int i = 1; i < kLanes; ++i) s += v[i];
  return s;
}

// e^x: x clamped to [-87, 88] (below, e^x is under 1.7e-38, which a softmax's sum of at least 1
// does not see; above, float overflows), x = n ln2 + r with |r| <= ln2/2 (ln2 in two parts, so
// n ln2 is exact), e^r by Cephes' degree-7 polynomial, 2^n built in the exponent field.
[[gnu::always_inline]] inline F exp(F x) {
  x = x < splat(-87.0f) ? splat(-87.0f) : x;
  x = x > splat(88.0f) ? splat(88.0f) : x;
  // Adding 1.5 * 2^23 rounds to an integer, which then sits in the low bits of the sum's mantissa.
  const F round = splat(12582912.0f);
  const F shifted = x * splat(1.44269504088896341f) + round;
  const F n = shifted - round;
  const F r = (x - n * splat(0.693359375f)) - n * splat(-2.12194440e-4f);
  F p = splat(1.9875691500e-4f);
  p = p * r + splat(1.3981999507e-3f);
  p = p * r + splat(8.3334519073e-3f);
  p = p * r + splat(4.1665795894e-2f);
  p = p * r + splat(1.6666665459e-1f);
  p = p * r + splat(5.0000001201e-1f);
  p = p * (r * r) + r + splat(1.0f);
  const I bits = (std::bit_cast<I>(shifted) - std::bit_cast<I>(round) + 127) << 23;
  return p * std::bit_cast<F>(bits);
}

// tanh z = (e^2z - 1) / (e^2z + 1), z clamped to [-9, 9] (tanh 9 is 1 in float). Near 0 the
// subtraction leaves an absolute error of about 1e-7, which GELU (the only user) multiplies by x/2.
[[gnu::always_inline]] inline F tanh(F z) {
  z = z < splat(-9.0f) ? splat(-9.0f) : z;
  z = z > splat(9.0f) ? splat(9.0f) : z;
  const F e = exp(z + z);
  return (e - splat(1.0f)) / (e + splat(1.0f));
}

}  // namespace lmzip::train::fast::vec

#pragma GCC diagnostic pop
