// coding/interval.h (private) - the interval arithmetic shared by encoder and decoder.
//
// Encoder and decoder must narrow and renormalise the 32-bit interval [low, high] identically,
// so both use these definitions. docs/coder.md states the invariants and derives the bounds.
#pragma once

#include <bit>
#include <cstdint>

#include "lmzip/coding/arithmetic_coder.h"

namespace lmzip::coding::detail {

inline constexpr std::uint32_t kHalf = std::uint32_t{1} << 31;     // 0.5 of the code space
inline constexpr std::uint32_t kQuarter = std::uint32_t{1} << 30;  // 0.25

// @throws lmzip::Error naming the slot (kept out of line: the check sits on the hot path).
[[noreturn]] void throw_invalid_slot(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total);

// @throws lmzip::Error unless 1 <= freq, cum_low + freq <= total <= kMaxTotal.
inline void check_slot(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total) {
  if (freq == 0 || total > kMaxTotal || cum_low > total || freq > total - cum_low) {
    throw_invalid_slot(cum_low, freq, total);
  }
}

// Narrows [low, high] to the slot [cum_low, cum_low + freq) of [0, total):
//   range = high - low + 1                      (<= 2^32, so 64-bit)
//   high  = low + floor(range * (cum_low + freq) / total) - 1
//   low   = low + floor(range * cum_low / total)
// range * cum <= 2^32 * 2^24 = 2^56: exact in 64 bits. With range > 2^30 >= 64 * total the new
// interval holds at least floor(range * freq / total) >= 64 * freq values (never empty).
// Quantised tables have a power-of-two total; dividing by it is a shift (same result, faster).
inline void narrow(std::uint32_t& low, std::uint32_t& high, std::uint32_t cum_low, std::uint32_t freq,
                   std::uint32_t total) {
  const std::uint64_t range = std::uint64_t{high} - low + 1;
  const std::uint64_t cum_high = std::uint64_t{cum_low} + freq;
  if ((total & (total - 1)) == 0) {  // (std::has_single_bit may become a popcount libcall)
    const int shift = std::countr_zero(total);
    high = static_cast<std::uint32_t>(low + ((range * cum_high) >> shift) - 1);
    low = static_cast<std::uint32_t>(low + ((range * cum_low) >> shift));
  } else {
    high = static_cast<std::uint32_t>(low + (range * cum_high) / total - 1);
    low = static_cast<std::uint32_t>(low + (range * cum_low) / total);
  }
}

// Renormalisation, in bulk. The textbook loop (Witten, Neal, Cleary 1987) repeats
//   high < HALF              -> output 0, double the interval
//   low >= HALF              -> output 1, subtract HALF, double
//   QUARTER <= low, high < 3 QUARTER -> one more pending bit, subtract QUARTER, double
// until low < QUARTER or high >= 3 QUARTER, with low < HALF <= high. Each step doubles
// (low, high + 1), shifting one bit out at the top. The first two cases apply exactly as long as
// low and high share their top bit, so they run `settled_bits` = countl_zero(low ^ high) times,
// outputting those shared bits. After them low < HALF <= high, and the third case applies as long
// as low's next bit is 1 and high's is 0 (low = 01..., high = 10...): `straddled_bits` times.
// Subtracting QUARTER and doubling k >= 1 times equals shifting left by k and flipping the top
// bit. After a straddle step low < HALF <= high again, so no further settled bits can appear:
// one pass of each is the whole loop. tests/coding/reference_coder.h keeps the textbook loop and
// the tests check that both produce the same bytes and symbols.
//
// The interval always holds >= 64 values (narrow()), so both counts are < 32.
inline unsigned settled_bits(std::uint32_t low, std::uint32_t high) {
  return static_cast<unsigned>(std::countl_zero(low ^ high));
}
inline unsigned straddled_bits(std::uint32_t low, std::uint32_t high) {
  return static_cast<unsigned>(std::countl_one((low << 1) & ~(high << 1)));
}

// x shifted left by k (0 <= k <= 32) with `fill` (k bits) entering at the bottom, mod 2^32.
inline std::uint32_t shift_in(std::uint32_t x, unsigned k, std::uint32_t fill) {
  return static_cast<std::uint32_t>((std::uint64_t{x} << k) | fill);
}

// The k (0 <= k <= 32) all-ones bits, e.g. what `high` shifts in: its bound is inclusive.
inline std::uint32_t ones(unsigned k) { return static_cast<std::uint32_t>((std::uint64_t{1} << k) - 1); }

// The top k (0 <= k <= 32) bits of x, as a number.
inline std::uint32_t top_bits(std::uint32_t x, unsigned k) {
  return static_cast<std::uint32_t>(std::uint64_t{x} >> (32 - k));
}

}  // namespace lmzip::coding::detail
