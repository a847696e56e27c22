// lmzip/model/int8/numerics.h - the scalar definitions of numerics contract version 1
// (docs/numerics.md). Every kernel path (reference, AVX2, AVX-512) must compute exactly these
// functions, bit for bit; the SIMD kernels repeat each step below lane by lane, in this order.
//
// The rules in one place:
//   - Only IEEE-754 binary32 +, -, *, /, sqrt and exact conversions, in the default environment
//     (round to nearest even, no flush-to-zero, no denormals-are-zero; checked at session start).
//   - No fused multiply-add (the build uses -ffp-contract=off; SIMD code never calls fmadd).
//   - No libm transcendental in the coding path: exp is exp_v1() below; the RoPE table is built
//     in double from +, -, *, / only (rope_table.h).
//   - Every float reduction over a vector is canonical_sum(): 16 partial sums by index mod 16,
//     then a fixed halving tree. max and integer sums are exact in any order.
#pragma once

#include <bit>
#include <cstdint>

namespace lmzip::model::int8 {

// The numerics contract these functions define; recorded in every archive (ModelIdentity).
// Any change that alters a single probability bit must bump it (and the golden hashes).
inline constexpr std::uint32_t kNumericsVersion = 1;

// ---------------------------------------------------------------------------------------------
// Canonical float sum. lanes[j] = sum of x[i] for i = j (mod 16), accumulated in increasing i,
// starting from +0.0; then lanes[j] += lanes[j + w] for w = 8, 4, 2, 1 (j < w); the result is
// lanes[0]. Padding with +0.0 never changes a lane (a lane that starts at +0.0 cannot become
// -0.0), so SIMD code may load zero-padded tails.
inline constexpr int kSumLanes = 16;

// The canonical sum of the values add()ed in order, index 0, 1, 2, ...
class CanonicalSum {
 public:
  void add(float x) {
    lanes_[n_ % kSumLanes] = lanes_[n_ % kSumLanes] + x;
    ++n_;
  }
  float result() const {
    float l[kSumLanes];
    for (int j = 0; j < kSumLanes; ++j) l[j] = lanes_[j];
    for (int w = kSumLanes / 2; w >= 1; w /= 2) {
      for (int j = 0; j < w; ++j) l[j] = l[j] + l[j + w];
    }
    return l[0];
  }

 private:
  float lanes_[kSumLanes] = {};
  int n_ = 0;
};

inline float canonical_sum(const float* x, int n) {
  CanonicalSum s;
  for (int i = 0; i < n; ++i) s.add(x[i]);
  return s.result();
}

// ---------------------------------------------------------------------------------------------
// min / max with the semantics of the x86 MINPS / MAXPS instructions (the second operand when
// the comparison is false), so scalar and SIMD agree even on signed zeros.
inline float min_v1(float a, float b) { return a < b ? a : b; }
inline float max_v1(float a, float b) { return a > b ? a : b; }

// Round to nearest, ties to even, for |v| < 2^22: adding and removing 1.5 * 2^23 leaves the
// integer nearest to v (the addition rounds in the default mode).
inline constexpr float kRoundMagic = 12582912.0f;  // 1.5 * 2^23
inline float round_even_v1(float v) { return (v + kRoundMagic) - kRoundMagic; }

// ---------------------------------------------------------------------------------------------
// exp. x is clamped to [kExpMin, kExpMax] (so results are normal floats: exp(-86) ~ 4.4e-38,
// exp(88) ~ 1.7e38); k = round_even(x * log2(e)); r = (x - k * ln2_hi) - k * ln2_lo, where ln2_hi
// has 9 significant bits so k * ln2_hi is exact; exp(r) by its Taylor polynomial of degree 7 in
// Horner form (|r| <= 0.35: truncation error < 5e-9 relative); times 2^k built in the exponent
// bits. Accuracy (tests/model/int8/exp_test.cpp): within 2 ulp of the true exp.
inline constexpr float kExpMin = -86.0f;
inline constexpr float kExpMax = 88.0f;
inline constexpr float kLog2e = 1.44269502f;      // float nearest log2(e)
inline constexpr float kLn2Hi = 0.693359375f;     // 355 / 512
inline constexpr float kLn2Lo = -2.12194440e-4f;  // ln 2 - kLn2Hi
inline constexpr float kExpC[8] = {1.0f,         1.0f,          0.5f,          1.0f / 6.0f,
                                   1.0f / 24.0f, 1.0f / 120.0f, 1.0f / 720.0f, 1.0f / 5040.0f};

inline float exp_v1(float x) {
  x = min_v1(x, kExpMax);
  x = max_v1(x, kExpMin);
  const float k = round_even_v1(x * kLog2e);
  float r = x - k * kLn2Hi;
  r = r - k * kLn2Lo;
  float p = kExpC[7];
  for (int i = 6; i >= 0; --i) p = p * r + kExpC[i];
  const std::int32_t e = static_cast<std::int32_t>(k) + 127;  // 2..254
  return p * std::bit_cast<float>(static_cast<std::uint32_t>(e) << 23);
}

// ---------------------------------------------------------------------------------------------
// GELU, tanh approximation, as 0.5 x (1 + tanh(u)) = x / (1 + exp(-2u)),
// u = sqrt(2/pi) (x + 0.044715 x^3):
//   t = (x * x) * x;  z = (x + kGeluA * t) * kGeluM2;  y = x / (1 + exp_v1(z)).
inline constexpr float kGeluA = 0.044715f;
inline constexpr float kGeluM2 = -1.59576912f;  // -2 sqrt(2/pi)

inline float gelu_v1(float x) {
  const float t = (x * x) * x;
  const float z = (x + kGeluA * t) * kGeluM2;
  return x / (1.0f + exp_v1(z));
}

// ---------------------------------------------------------------------------------------------
// Symmetric int8 quantisation of one vector (weights per output row, activations per token,
// queries and keys per head): amax = max |x_i|; scale = amax / 127; q_i = round_even(x_i / scale)
// clamped to [-127, 127] (the clamp happens in float, before the conversion to an integer); a
// scale of 0 (amax == 0, or amax so small that amax / 127 underflows) gives q = 0.
// Dequantised: x_i ~ q_i * scale.
inline float quant_scale_v1(float amax) { return amax / 127.0f; }
// One element, for scale != 0.
inline std::int8_t quant_one_v1(float x, float scale) {
  float v = round_even_v1(x / scale);
  v = min_v1(v, 127.0f);
  v = max_v1(v, -127.0f);
  return static_cast<std::int8_t>(static_cast<std::int32_t>(v));
}

// The epilogue of every int8 matmul: y = float(acc) * (sx * sw) (+ b).
inline float dequant_v1(std::int32_t acc, float sx, float sw) { return static_cast<float>(acc) * (sx * sw); }

}  // namespace lmzip::model::int8
