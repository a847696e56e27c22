// The textbook arithmetic coder (Witten, Neal, Cleary 1987), one bit per loop iteration, for the
// tests only: the library's coder renormalises in bulk (src/coding/interval.h) and must produce
// exactly the same bytes and decode exactly the same symbols, on valid and on garbage input.
#pragma once

#include <cstdint>

#include "lmzip/bytes.h"

namespace lmzip::coding::test {

inline constexpr std::uint32_t kRefHalf = 0x80000000u;
inline constexpr std::uint32_t kRefQuarter = 0x40000000u;
inline constexpr std::uint32_t kRefThreeQuarters = 0xC0000000u;

class ReferenceEncoder {
 public:
  void encode(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total) {
    const std::uint64_t range = std::uint64_t{high_} - low_ + 1;
    high_ = static_cast<std::uint32_t>(low_ + range * (cum_low + freq) / total - 1);
    low_ = static_cast<std::uint32_t>(low_ + range * cum_low / total);
    for (;;) {
      if (high_ < kRefHalf) {
        bit_plus_pending(0);
      } else if (low_ >= kRefHalf) {
        bit_plus_pending(1);
        low_ -= kRefHalf;
        high_ -= kRefHalf;
      } else if (low_ >= kRefQuarter && high_ < kRefThreeQuarters) {
        ++pending_;
        low_ -= kRefQuarter;
        high_ -= kRefQuarter;
      } else {
        break;
      }
      low_ = 2 * low_;
      high_ = 2 * high_ + 1;
    }
  }

  Bytes finish() {
    if (low_ != 0 || pending_ != 0) bit_plus_pending(1);
    while (count_ % 8 != 0) put(0);
    while (!out_.empty() && out_.back() == 0) out_.pop_back();
    return out_;
  }

 private:
  void put(unsigned bit) {
    if (count_ % 8 == 0) out_.push_back(0);
    out_.back() = static_cast<std::uint8_t>(out_.back() | (bit << (7 - count_ % 8)));
    ++count_;
  }
  void bit_plus_pending(unsigned bit) {
    put(bit);
    for (; pending_ > 0; --pending_) put(1 - bit);
  }

  std::uint32_t low_ = 0, high_ = 0xFFFFFFFFu;
  std::uint64_t pending_ = 0, count_ = 0;
  Bytes out_;
};

class ReferenceDecoder {
 public:
  explicit ReferenceDecoder(ByteView in) : in_(in) {
    for (int i = 0; i < 32; ++i) value_ = (value_ << 1) | bit();
  }

  // The same target as ArithmeticDecoder::target(), including its clamping.
  std::uint32_t target(std::uint32_t total) const {
    const std::uint64_t range = std::uint64_t{high_} - low_ + 1;
    std::uint64_t offset = 0;
    if (value_ >= low_) offset = value_ > high_ ? range - 1 : std::uint64_t{value_} - low_;
    return static_cast<std::uint32_t>(((offset + 1) * total - 1) / range);
  }

  void consume(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total) {
    const std::uint64_t range = std::uint64_t{high_} - low_ + 1;
    high_ = static_cast<std::uint32_t>(low_ + range * (cum_low + freq) / total - 1);
    low_ = static_cast<std::uint32_t>(low_ + range * cum_low / total);
    for (;;) {
      if (high_ < kRefHalf) {
      } else if (low_ >= kRefHalf) {
        low_ -= kRefHalf;
        high_ -= kRefHalf;
        value_ -= kRefHalf;
      } else if (low_ >= kRefQuarter && high_ < kRefThreeQuarters) {
        low_ -= kRefQuarter;
        high_ -= kRefQuarter;
        value_ -= kRefQuarter;
      } else {
        break;
      }
      low_ = 2 * low_;
      high_ = 2 * high_ + 1;
      value_ = 2 * value_ + bit();
    }
  }

 private:
  unsigned bit() {
    const std::uint64_t byte = pos_ / 8;
    const unsigned b = byte < in_.size() ? (in_[byte] >> (7 - pos_ % 8)) & 1u : 0u;
    ++pos_;
    return b;
  }

  ByteView in_;
  std::uint64_t pos_ = 0;
  std::uint32_t low_ = 0, high_ = 0xFFFFFFFFu, value_ = 0;
};

}  // namespace lmzip::coding::test
