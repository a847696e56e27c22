// arithmetic_decoder.cpp - the decoding half of the 32-bit binary arithmetic coder.
// Contracts in include/lmzip/coding/arithmetic_coder.h; algorithm in docs/coder.md.
//
// The decoder mirrors the encoder's interval [low, high] step by step and keeps `value`, the
// 32 code bits aligned with it. Robust on any input: every infinite bit string is the code of
// some symbol sequence, so garbage just decodes to something; all arithmetic is unsigned (wraps
// are defined) and the input is read only through read_bits(), which bounds-checks.
#include <string>

#include "coding/interval.h"
#include "lmzip/coding/arithmetic_coder.h"
#include "lmzip/error.h"

namespace lmzip::coding {

using detail::kHalf;

ArithmeticDecoder::ArithmeticDecoder(ByteView input) : input_(input) { value_ = read_bits(32); }

// The next `count` (0..32) input bits, MSB first; zeros past the end of the input.
std::uint32_t ArithmeticDecoder::read_bits(unsigned count) {
  while (window_bits_ < count) {
    const std::uint8_t byte = byte_pos_ < input_.size() ? input_[byte_pos_++] : 0;
    window_ = (window_ << 8) | byte;  // the low window_bits_ bits are unread, MSB first
    window_bits_ += 8;
  }
  window_bits_ -= count;
  return static_cast<std::uint32_t>((window_ >> window_bits_) & detail::ones(count));
}

namespace {

void check_total(std::uint32_t total) {
  if (total == 0 || total > kMaxTotal) {
    throw Error("arithmetic coder: total " + std::to_string(total) + " outside 1..2^24");
  }
}

}  // namespace

std::uint32_t ArithmeticDecoder::target(std::uint32_t total) const {
  check_total(total);
  const std::uint64_t range = std::uint64_t{high_} - low_ + 1;
  // For a stream made by the encoder low <= value <= high always holds; clamp anyway so that a
  // caller that consumed a wrong slot still gets a target in [0, total).
  std::uint64_t offset = 0;
  if (value_ >= low_) offset = value_ > high_ ? range - 1 : std::uint64_t{value_} - low_;
  // The largest t with floor(range * t / total) <= offset: value lies in the slot of the symbol
  // whose [cum_low, cum_low + freq) holds t. (offset + 1) * total <= 2^56: exact.
  return static_cast<std::uint32_t>(((offset + 1) * total - 1) / range);
}

void ArithmeticDecoder::consume(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total) {
  detail::check_slot(cum_low, freq, total);
  detail::narrow(low_, high_, cum_low, freq, total);

  // The encoder's renormalisation, shifting input bits into value where the encoder shifted
  // bits out. Subtracting HALF or QUARTER from value as the textbook does is the same mod 2^32
  // as dropping the top bit (settled) or flipping it (straddled).
  if (const unsigned settled = detail::settled_bits(low_, high_); settled > 0) {
    low_ = detail::shift_in(low_, settled, 0);
    high_ = detail::shift_in(high_, settled, detail::ones(settled));
    value_ = detail::shift_in(value_, settled, read_bits(settled));
  }
  if (const unsigned straddled = detail::straddled_bits(low_, high_); straddled > 0) {
    low_ = detail::shift_in(low_, straddled, 0) ^ kHalf;
    high_ = detail::shift_in(high_, straddled, detail::ones(straddled)) ^ kHalf;
    value_ = detail::shift_in(value_, straddled, read_bits(straddled)) ^ kHalf;
  }
}

std::uint32_t ArithmeticDecoder::decode(const FrequencyTable& table) {
  if (table.size() == 0) throw Error("arithmetic coder: decode with an empty frequency table");
  const std::uint32_t total = table.total();
  const std::uint32_t symbol = table.symbol_for(target(total));
  consume(table.low(symbol), table.freq(symbol), total);
  return symbol;
}

}  // namespace lmzip::coding
