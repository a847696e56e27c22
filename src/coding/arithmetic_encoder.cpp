// arithmetic_encoder.cpp - the encoding half of the 32-bit binary arithmetic coder.
// Contracts in include/lmzip/coding/arithmetic_coder.h; algorithm in docs/coder.md.
#include <algorithm>
#include <string>
#include <utility>

#include "coding/interval.h"
#include "lmzip/coding/arithmetic_coder.h"
#include "lmzip/error.h"

namespace lmzip::coding {

using detail::kHalf;

// Appends the low `count` (0..32) bits of `bits`, MSB first.
void ArithmeticEncoder::emit_bits(std::uint32_t bits, unsigned count) {
  bit_buffer_ = (bit_buffer_ << count) | bits;  // holds <= 7 + 32 meaningful bits
  bit_count_ += count;
  bits_written_ += count;
  while (bit_count_ >= 8) {
    bit_count_ -= 8;
    out_.push_back(static_cast<std::uint8_t>(bit_buffer_ >> bit_count_));
  }
}

// Emits `bit`, then the pending bits, each its complement. A pending bit records an expansion
// around the middle whose direction was not known yet: once the interval settles in the upper
// half the output is 1 followed by 0s (0111.. plus a carry became 1000..), and vice versa.
void ArithmeticEncoder::emit_with_pending(unsigned bit) {
  emit_bits(bit, 1);
  const std::uint32_t complement = bit ? 0u : 0xFFFFFFFFu;
  while (pending_ > 0) {
    const auto count = static_cast<unsigned>(std::min<std::uint64_t>(pending_, 32));
    emit_bits(detail::top_bits(complement, count), count);
    pending_ -= count;
  }
}

void ArithmeticEncoder::encode(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total) {
  detail::check_slot(cum_low, freq, total);
  detail::narrow(low_, high_, cum_low, freq, total);

  // Renormalise (see detail::settled_bits). Afterwards low < HALF <= high and not
  // (QUARTER <= low && high < 3 QUARTER), so range = high - low + 1 > 2^30.
  if (const unsigned settled = detail::settled_bits(low_, high_); settled > 0) {
    emit_with_pending(low_ >> 31);                                  // the first decided bit
    emit_bits(detail::top_bits(low_ << 1, settled - 1), settled - 1);  // the others
    low_ = detail::shift_in(low_, settled, 0);
    high_ = detail::shift_in(high_, settled, detail::ones(settled));
  }
  if (const unsigned straddled = detail::straddled_bits(low_, high_); straddled > 0) {
    pending_ += straddled;
    low_ = detail::shift_in(low_, straddled, 0) ^ kHalf;
    high_ = detail::shift_in(high_, straddled, detail::ones(straddled)) ^ kHalf;
  }
}

void ArithmeticEncoder::encode(const FrequencyTable& table, std::uint32_t symbol) {
  if (symbol >= table.size()) {
    throw Error("arithmetic coder: symbol " + std::to_string(symbol) + " outside an alphabet of " +
                std::to_string(table.size()));
  }
  encode(table.low(symbol), table.freq(symbol), table.total());
}

Bytes ArithmeticEncoder::finish() {
  // Short termination. The decoder reads zeros after the last byte, so the code value is the
  // emitted bits followed by zeros. After renormalisation low < HALF <= high, so the value
  // 1000... (= HALF) lies in the interval: one bit 1 (plus the pending bits, all 0) suffices.
  // If low == 0 and nothing is pending, 000... already lies in it: emit nothing.
  if (low_ != 0 || pending_ != 0) emit_with_pending(1);
  if (bit_count_ > 0) emit_bits(0, 8 - bit_count_);             // pad to a byte with zeros
  while (!out_.empty() && out_.back() == 0) out_.pop_back();  // implied by the decoder

  Bytes result = std::move(out_);
  *this = ArithmeticEncoder();
  return result;
}

}  // namespace lmzip::coding
