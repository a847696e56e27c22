// lmzip/model/int8/rope_table.h - the rotary-position table, built bit-identically everywhere.
//
// RoPE rotates the pairs (j, j + hd/2) of each query and key head vector at position p by the
// angle p * theta^(-2j/hd), j < hd/2. The float cos/sin of these angles must be the same bits on
// every machine, but std::sin, std::cos, std::exp and std::pow differ between libm versions. So
// the table is computed in double with the functions below, which use only +, -, *, /, floor,
// frexp and ldexp (all exact or correctly rounded in IEEE arithmetic), and then rounded to float.
// Their accuracy (about 1e-15 relative) matters only for agreement with a float64 model.
#pragma once

#include <vector>

namespace lmzip::model::int8 {

// cos and sin of p * theta^(-2j/head_dim) for p < positions, j < head_dim / 2.
struct RopeTable {
  int positions = 0;
  int half = 0;            // head_dim / 2
  std::vector<float> cos;  // (positions, half)
  std::vector<float> sin;  // (positions, half)
};

// @param head_dim even, >= 2; theta > 1; positions >= 1.
RopeTable build_rope_table(int positions, int head_dim, float theta);

// The double-precision helpers (exposed for the accuracy tests).
double rope_log(double x);                         // ln x, x > 0 finite
double rope_exp(double x);                         // e^x, |x| < 700
void rope_sincos(double x, double* s, double* c);  // sin x, cos x, 0 <= x < 2^30

}  // namespace lmzip::model::int8
