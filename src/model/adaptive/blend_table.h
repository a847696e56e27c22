// model/adaptive/blend_table.h (private) - the integer construction behind AdaptiveOrderModel.
//
// Part of the built-in models' identity ("lmzip-builtin:orderN:v1", see lmzip/model/adaptive.h):
// encoder and decoder must build identical tables, so every step is integer arithmetic with the
// constants below. Changing any of them requires a new description string.
//
// Counting. Each order-k context keeps the prefix sums C[0..256] of its 256 byte counts
// (C[0] = 0, C[256] = S = the sum of the counts), all zero at reset():
//   after coding byte b:  C[b+1..256] += kIncrement
//                         if S > kHalveAbove: every count c = C[s+1] - C[s] becomes c >> 1
//                         (and C is rebuilt from the halved counts)
//
// The table for the next byte blends the current context of each order k = 0..N with a uniform
// floor. With D = 2^24 - 256 (the mass left after one unit per byte):
//   g_k = floor(2^(kGainBits + k) * S_k / (S_k + kConfidence))   (0 when S_k = 0)
//         the weight of order k: more for higher orders and for contexts that have seen more
//   g   = 256 + sum_k g_k                                          (256: weight 1 per byte)
//   u   = floor(D / g)                                             (the uniform share per byte)
//   M_k = floor(D * 2^8 * g_k / (S_k * g))                         (0 when S_k = 0)
//   cum[s] = s * (1 + u) + sum_k floor(M_k * C_k[s] / 2^8)        for s = 0..255
//   cum[256] = 2^24
// so byte s gets about D * (1 + sum_k g_k * c_k[s] / S_k) / g + 1 of the 2^24, and the last byte
// also the few units lost to rounding. cum is strictly increasing (the s term) and
// cum[255] <= 255 + D * (256 + sum_k g_k) / g = 2^24 - 1.
// Bounds: S_k <= kHalveAbove + kIncrement < 2^17; g_k / S_k <= 2^(kGainBits+2) / kConfidence = 2^8,
// g < 2^15; D * 2^8 * g_k < 2^47; M_k * C_k[s] <= M_k * S_k <= D * 2^8 * g_k / g < 2^32, so the
// per-byte products are exact in 32 bits.
#pragma once

#include <cstdint>
#include <span>

#include "lmzip/coding/frequency_table.h"

namespace lmzip::model::adaptive {

inline constexpr std::uint32_t kIncrement = 32;
inline constexpr std::uint32_t kHalveAbove = 1u << 16;
inline constexpr std::uint32_t kConfidence = 64;
inline constexpr unsigned kGainBits = 12;
inline constexpr unsigned kTableBits = 24;  // total of every table: 2^24

// The counts of one context, as prefix sums.
struct ContextCounts {
  std::uint32_t prefix[257] = {};  // C[s] = sum of the counts of bytes < s

  std::uint32_t total() const { return prefix[256]; }
  void clear();
  // Counts byte b (kIncrement), halving every count when the total passes kHalveAbove.
  void add(std::uint8_t b);
};

// Builds the blended table of `orders` (the current context of order 0, 1, ... in that order;
// 1 to 3 of them) into `out` (reusing its storage).
void blend_table(std::span<const ContextCounts* const> orders, coding::FrequencyTable& out);

}  // namespace lmzip::model::adaptive
