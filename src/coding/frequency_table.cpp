// frequency_table.cpp - symbol lookup and the float -> integer quantiser.
// Contracts in include/lmzip/coding/frequency_table.h; rationale in docs/coder.md.
#include "lmzip/coding/frequency_table.h"

#include <cmath>
#include <limits>
#include <string>

#include "lmzip/error.h"

namespace lmzip::coding {

std::uint32_t FrequencyTable::symbol_for(std::uint32_t target) const {
  // The last s in [0, n) with cum[s] <= target. Invariant: it lies in [base, base + len).
  // Halving without a data-dependent branch (the comparison becomes a conditional move): the
  // decoder calls this once per symbol with unpredictable targets. Zero-width slots are skipped
  // by construction: if cum[s] == cum[s + 1] <= target, s + 1 is preferred.
  std::uint32_t base = 0;
  std::uint32_t len = size();
  while (len > 1) {
    const std::uint32_t half = len / 2;
    base = cum[base + half] <= target ? base + half : base;
    len -= half;
  }
  // target >= total: base is n - 1, but symbol n - 1 may have an empty slot in a hand-made
  // table; step back to the last non-empty one (there is one unless total == 0).
  while (base > 0 && cum[base] == cum[base + 1]) --base;
  return base;
}

namespace {

constexpr double kTwo32 = 4294967296.0;  // 2^32
constexpr std::uint64_t kMaxWeight = std::uint64_t{1} << 32;

// The exact 32-bit fixed-point weight of one valid probability: floor(min(p, 1) * 2^32).
// float -> double is exact, multiplying by 2^32 only changes the exponent (no rounding, and no
// overflow since p < 1), and converting a non-negative double < 2^32 to an integer truncates,
// which is floor.
inline std::uint64_t fixed_point_weight(float p) {
  if (p >= 1.0f) return kMaxWeight;
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<double>(p) * kTwo32));
}

// NaN, negative and +inf are rejected; everything else (including denormals and values above
// 1, which are clamped) is a valid weight.
inline bool is_valid_probability(float p) { return p >= 0.0f && p <= std::numeric_limits<float>::max(); }

[[noreturn]] void throw_invalid_probability(float p, std::size_t index) {
  throw Error("quantize: probability " + std::to_string(index) + " is " +
              (std::isnan(p) ? std::string("NaN") : std::to_string(p)) +
              "; probabilities must be finite and non-negative");
}

// floor(x / d) without a 64-bit division (slow: it dominated quantize()), exactly, for
// x < 2^57, d >= 1 and a quotient below 2^25 (here x = w * spare, d = W >= w, so the quotient is
// <= spare < 2^24). The double product is only a first guess: its relative error is < 2^-51,
// so it is off by at most one unit, and the integer corrections make the result exact. Hence
// the result does not depend on how the guess was rounded.
class ExactDivider {
 public:
  explicit ExactDivider(std::uint64_t d) : d_(d), inverse_(1.0 / static_cast<double>(d)) {}
  std::uint64_t operator()(std::uint64_t x) const {
    const double guess = static_cast<double>(x) * inverse_;  // >= 0 and < 2^25 + 1
    auto q = static_cast<std::uint64_t>(static_cast<std::int64_t>(guess));
    while (q * d_ > x) --q;          // q * d_ <= x + d_ < 2^58: no overflow
    while ((q + 1) * d_ <= x) ++q;
    return q;
  }

 private:
  std::uint64_t d_;
  double inverse_;
};

}  // namespace

void quantize(std::span<const float> probs, FrequencyTable& out, unsigned precision_bits) {
  if (precision_bits < kMinPrecisionBits || precision_bits > kMaxPrecisionBits) {
    throw Error("quantize: precision_bits must be in 16..24, got " + std::to_string(precision_bits));
  }
  const std::uint64_t total = std::uint64_t{1} << precision_bits;
  const std::uint64_t n = probs.size();
  if (n == 0) throw Error("quantize: empty probability vector");
  if (n > total / 2) {
    throw Error("quantize: alphabet of " + std::to_string(n) + " symbols needs total >= 2n, but total is 2^" +
                std::to_string(precision_bits));
  }

  // Pass 1: validate every value, sum the weights, find the largest (lowest index on ties).
  // W <= n * 2^32 <= 2^23 * 2^32 = 2^55: fits.
  std::uint64_t W = 0;
  std::uint64_t w_max = 0;
  std::size_t argmax = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_valid_probability(probs[i])) throw_invalid_probability(probs[i], i);
    std::uint64_t w = fixed_point_weight(probs[i]);
    W += w;
    if (w > w_max) {
      w_max = w;
      argmax = i;
    }
  }

  out.cum.resize(n + 1);
  out.cum[0] = 0;

  if (W == 0) {  // no information: uniform, the remainder spread over the first symbols
    const std::uint64_t base = total / n;
    const std::uint64_t extra = total % n;
    for (std::size_t i = 0; i < n; ++i) {
      out.cum[i + 1] = static_cast<std::uint32_t>(out.cum[i] + base + (i < extra ? 1 : 0));
    }
    return;
  }

  // Pass 2: freq_i = 1 + floor(w_i * spare / W). w_i <= 2^32 and spare < 2^24, so the product
  // is < 2^56 and 64-bit arithmetic is exact. The weights are recomputed from the floats (cheap,
  // and exact) instead of stored, so this function needs no scratch memory.
  // sum_i floor(w_i * spare / W) <= spare, hence sum(freq) <= total; leftover < n.
  const std::uint64_t spare = total - n;
  const ExactDivider divide_by_W(W);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t w = fixed_point_weight(probs[i]);
    running += 1 + (w == 0 ? 0 : divide_by_W(w * spare));
    out.cum[i + 1] = static_cast<std::uint32_t>(running);
  }
  const std::uint64_t leftover = total - running;
  for (std::size_t i = argmax + 1; i <= n; ++i) {
    out.cum[i] += static_cast<std::uint32_t>(leftover);
  }
}

FrequencyTable quantize(std::span<const float> probs, unsigned precision_bits) {
  FrequencyTable table;
  quantize(probs, table, precision_bits);
  return table;
}

}  // namespace lmzip::coding
