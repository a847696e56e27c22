// vec_math.h - float32 exp and tanh on 16 lanes at once, for the CPU trainer's float32 twins
// (lmzip/train/layers_fast.h): the softmax of attention and GELU, which spent about a fifth of a
// 3.2M training step in libm's scalar expf / tanhf (docs/training.md, "CPU training speed").
//
// Training only. The coding path never calls these: its probabilities come from the engine's own
// exp/log (docs/numerics.md), which are bit-exact by design; these are merely accurate (exp within
// 2 ulp of the correctly rounded value over [-87, 88]; tanh within 2e-7 absolute) and a vector
// unit's sums may be ordered differently from the reference layers', as the GEMM twins' are.
//
// The lanes are a GCC/Clang vector extension, as wide as the caller chooses (vec_kernels.cpp
// compiles its kernels at 16 lanes for AVX-512, 8 for AVX2 and 4 for any CPU): one source for every
// width, and each lane's arithmetic is plain IEEE float (no FMA: -ffp-contract=off), so a lane
// gives the same result at every width. A width wider than the target's registers works but
// spills (16 lanes on AVX2 ran slower than 4 on SSE2).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

// Every function here is inlined into its caller, whose target attribute decides the
// instructions; none is ever called across the ABI that the warning is about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lmzip::train::fast::vec {

// W float lanes (4, 8 or 16: one SSE, AVX2 or AVX-512 register) and their int32 twins.
template <int W>
struct Lanes {
  typedef float F __attribute__((vector_size(W * sizeof(float))));
  typedef std::int32_t I __attribute__((vector_size(W * sizeof(std::int32_t))));
};
template <int W>
using F = typename Lanes<W>::F;
template <int W>
using I = typename Lanes<W>::I;

template <int W>
[[gnu::always_inline]] inline F<W> splat(float x) {
  return F<W>{} + x;
}

template <int W>
[[gnu::always_inline]] inline F<W> load(const float* p) {
  F<W> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <int W>
[[gnu::always_inline]] inline void store(float* p, F<W> v) {
  std::memcpy(p, &v, sizeof v);
}

// The lanes 0..n-1 of p (n < W) and `fill` in the rest; store_first writes back only n.
template <int W>
[[gnu::always_inline]] inline F<W> load_first(const float* p, int n, float fill) {
  float buf[W];
  for (int i = 0; i < W; ++i) buf[i] = i < n ? p[i] : fill;
  return load<W>(buf);
}

template <int W>
[[gnu::always_inline]] inline void store_first(float* p, F<W> v, int n) {
  float buf[W];
  store<W>(buf, v);
  for (int i = 0; i < n; ++i) p[i] = buf[i];
}

// Lanes at or past n set to zero (masks a tail).
template <int W>
[[gnu::always_inline]] inline F<W> zero_from(F<W> v, int n) {
  I<W> lane{};
  for (int i = 0; i < W; ++i) lane[i] = i;
  return lane < n ? v : splat<W>(0.0f);
}

template <int W>
[[gnu::always_inline]] inline F<W> max(F<W> a, F<W> b) {
  return a > b ? a : b;
}

template <int W>
[[gnu::always_inline]] inline float reduce_max(F<W> v) {
  float m = v[0];
  for (int i = 1; i < W; ++i) m = v[i] > m ? v[i] : m;
  return m;
}

// Lane order, so the result does not depend on how the compiler lowers the vector.
template <int W>
[[gnu::always_inline]] inline float reduce_sum(F<W> v) {
  float s = v[0];
  for (int i = 1; i < W; ++i) s += v[i];
  return s;
}

// e^x: x clamped to [-87, 88] (below, e^x is under 1.7e-38, which a softmax's sum of at least 1
// does not see; above, float overflows), x = n ln2 + r with |r| <= ln2/2 (ln2 in two parts, so
// n ln2 is exact), e^r by Cephes' degree-7 polynomial, 2^n built in the exponent field.
template <int W>
[[gnu::always_inline]] inline F<W> exp(F<W> x) {
  x = x < splat<W>(-87.0f) ? splat<W>(-87.0f) : x;
  x = x > splat<W>(88.0f) ? splat<W>(88.0f) : x;
  // Adding 1.5 * 2^23 rounds to an integer, which then sits in the low bits of the sum's mantissa.
  const F<W> round = splat<W>(12582912.0f);
  const F<W> shifted = x * splat<W>(1.44269504088896341f) + round;
  const F<W> n = shifted - round;
  const F<W> r = (x - n * splat<W>(0.693359375f)) - n * splat<W>(-2.12194440e-4f);
  F<W> p = splat<W>(1.9875691500e-4f);
  p = p * r + splat<W>(1.3981999507e-3f);
  p = p * r + splat<W>(8.3334519073e-3f);
  p = p * r + splat<W>(4.1665795894e-2f);
  p = p * r + splat<W>(1.6666665459e-1f);
  p = p * r + splat<W>(5.0000001201e-1f);
  p = p * (r * r) + r + splat<W>(1.0f);
  const I<W> bits = (std::bit_cast<I<W>>(shifted) - std::bit_cast<I<W>>(round) + 127) << 23;
  return p * std::bit_cast<F<W>>(bits);
}

// tanh z = (e^2z - 1) / (e^2z + 1), z clamped to [-9, 9] (tanh 9 is 1 in float). Near 0 the
// subtraction leaves an absolute error of about 1e-7, which GELU (the only user) multiplies by x/2.
template <int W>
[[gnu::always_inline]] inline F<W> tanh(F<W> z) {
  z = z < splat<W>(-9.0f) ? splat<W>(-9.0f) : z;
  z = z > splat<W>(9.0f) ? splat<W>(9.0f) : z;
  const F<W> e = exp<W>(z + z);
  return (e - splat<W>(1.0f)) / (e + splat<W>(1.0f));
}

}  // namespace lmzip::train::fast::vec

#pragma GCC diagnostic pop
