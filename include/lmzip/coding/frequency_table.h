// lmzip/coding/frequency_table.h - integer symbol intervals for the arithmetic coder, and the
// deterministic quantiser that turns a model's float probabilities into them.
//
// An arithmetic coder cannot use floats: encoder and decoder must split the interval in exactly
// the same way, on every machine. So each probability vector is first quantised to integer
// frequencies that sum to a power of two, `total`, and only those integers reach the coder.
// Symbol s owns the half-open slot [cum[s], cum[s+1]) of [0, total).
//
// The quantiser reads each float exactly once, converts it exactly to a 32-bit fixed-point
// number, and from then on uses integer arithmetic only. Given the same floats it returns the same
// table on every compiler, CPU and optimisation level. (Whether two machines *produce* the same
// floats is the model's problem, see docs/numerics.md; this file only guarantees the step after.)
//
// Why total = 2^24 by default (docs/coder.md has the long form):
//   - The coder (arithmetic_coder.h) keeps a 32-bit state whose range is > 2^30 after every
//     renormalisation. With total <= 2^24 a symbol of frequency 1 still receives at least
//     2^30 / 2^24 = 64 units of range, so no symbol can ever get an empty interval and the
//     per-symbol rounding loss stays below log2(64/63) = 0.023 bits (< 0.1% of its 24-bit cost).
//   - Every symbol must get frequency >= 1 (a model may say "impossible" and be wrong). That
//     floor takes n units away from the model; with n = 65536 (a large tokenizer vocabulary) and
//     total = 2^24 it is 0.39% of the mass. Smaller totals would distort large alphabets more.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lmzip::coding {

inline constexpr unsigned kMinPrecisionBits = 16;
inline constexpr unsigned kMaxPrecisionBits = 24;
inline constexpr unsigned kDefaultPrecisionBits = 24;

// Cumulative frequency table of an alphabet of n >= 1 symbols.
//
// Invariants of a table made by quantize(): cum.size() == n + 1, cum[0] == 0,
// cum[n] == total() == 2^precision_bits, cum strictly increasing (every freq >= 1).
// A hand-made table may contain zero frequencies; such symbols can be neither encoded nor
// decoded, and symbol_for() never returns them.
struct FrequencyTable {
  std::vector<std::uint32_t> cum;  // (n + 1) cumulative counts

  // Number of symbols n. @return 0 only for a default-constructed (empty) table.
  std::uint32_t size() const { return cum.empty() ? 0 : static_cast<std::uint32_t>(cum.size() - 1); }
  // Sum of all frequencies (cum[n]). Precondition: size() >= 1.
  std::uint32_t total() const { return cum.back(); }
  // Start of symbol s's slot. Precondition: s < size().
  std::uint32_t low(std::uint32_t s) const { return cum[s]; }
  // Width of symbol s's slot. Precondition: s < size().
  std::uint32_t freq(std::uint32_t s) const { return cum[s + 1] - cum[s]; }

  // The symbol whose slot holds `target`: the s with cum[s] <= target < cum[s + 1]
  // (binary search, O(log n)). A target >= total() is clamped to the last symbol with a
  // non-empty slot, so the result is always a valid index. Precondition: size() >= 1.
  std::uint32_t symbol_for(std::uint32_t target) const;
};

// Quantises `probs` (one non-negative weight per symbol, need not sum to 1) to a table whose
// frequencies sum to total = 2^precision_bits:
//   w_i    = floor(min(p_i, 1) * 2^32)                (exact: scaling a float by 2^32 is exact)
//   W      = sum w_i                                  (64-bit)
//   freq_i = 1 + floor(w_i * (total - n) / W)         (64-bit; cannot overflow, see .cpp)
//   the leftover total - sum(freq) (< n) goes to the symbol with the largest w_i, the lowest
//   index on ties. If W == 0 (all weights below 2^-32) the table is uniform: total / n each,
//   the first total % n symbols one more.
// Properties: every freq >= 1; sum == total; w_i < w_j implies freq_i <= freq_j (so a vector
// sorted in decreasing order gets non-increasing frequencies; two floats closer than 2^-32 may
// share a w, and only the lowest-indexed of the largest w receives the leftover); identical
// result on every machine.
// @param precision_bits 16..24.
// @return the table (n + 1 entries).
// @throws lmzip::Error if probs is empty, a value is NaN, negative or infinite,
//         precision_bits is outside 16..24, or total < 2 * n (alphabet too large).
FrequencyTable quantize(std::span<const float> probs, unsigned precision_bits = kDefaultPrecisionBits);

// The same, writing into `out` (reusing its storage: no allocation once out has held a table of
// this size). On error `out` is left unchanged.
void quantize(std::span<const float> probs, FrequencyTable& out,
              unsigned precision_bits = kDefaultPrecisionBits);

}  // namespace lmzip::coding
