// paper_protocol.cpp - the paper's 7-bit protocol and the dropped-bit model (paper_protocol.h).
#include "lmzip/codecs/paper_protocol.h"

#include <array>

#include "lmzip/coding/arithmetic_coder.h"
#include "lmzip/error.h"

namespace lmzip::codecs {

namespace {

constexpr std::uint32_t kTotal = 65536;
constexpr std::uint32_t kHalveAt = 1024;

// The adaptive estimate of P(bit = 1) in the context of the two previous bits.
class DroppedBitModel {
 public:
  std::uint32_t freq_of_zero() const {
    const Counts& c = counts_[context_];
    std::uint64_t f1 = (std::uint64_t{kTotal} * (2 * c.n1 + 1)) / (2 * (c.n0 + c.n1) + 2);
    if (f1 < 1) f1 = 1;
    if (f1 > kTotal - 1) f1 = kTotal - 1;
    return kTotal - static_cast<std::uint32_t>(f1);
  }
  void update(unsigned bit) {
    Counts& c = counts_[context_];
    (bit ? c.n1 : c.n0) += 1;
    if (c.n0 + c.n1 >= kHalveAt) {
      c.n0 = (c.n0 + 1) / 2;
      c.n1 = (c.n1 + 1) / 2;
    }
    context_ = ((context_ << 1) | bit) & 3u;
  }

 private:
  struct Counts {
    std::uint32_t n0 = 0, n1 = 0;
  };
  std::array<Counts, 4> counts_{};
  unsigned context_ = 0;
};

}  // namespace

PaperProtocol paper_protocol_for(std::string_view modality) {
  return modality == "text" ? PaperProtocol::ClearTopBit : PaperProtocol::DropLowBit;
}

std::string_view to_string(PaperProtocol p) {
  return p == PaperProtocol::ClearTopBit ? "clear-top-bit" : "drop-low-bit";
}

SplitBytes split(ByteView raw, PaperProtocol p) {
  SplitBytes s;
  s.seven.resize(raw.size());
  s.dropped.resize(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::uint8_t b = raw[i];
    if (p == PaperProtocol::ClearTopBit) {
      s.seven[i] = b & 0x7F;
      s.dropped[i] = b >> 7;
    } else {
      s.seven[i] = b >> 1;
      s.dropped[i] = b & 1;
    }
  }
  return s;
}

Bytes merge(ByteView seven, ByteView dropped, PaperProtocol p) {
  if (seven.size() != dropped.size()) throw Error("paper protocol: 7-bit bytes and dropped bits differ in count");
  Bytes out(seven.size());
  for (std::size_t i = 0; i < seven.size(); ++i) {
    if (seven[i] > 0x7F || dropped[i] > 1) throw Error("paper protocol: value out of range at byte " + std::to_string(i));
    out[i] = p == PaperProtocol::ClearTopBit ? static_cast<std::uint8_t>(seven[i] | (dropped[i] << 7))
                                             : static_cast<std::uint8_t>((seven[i] << 1) | dropped[i]);
  }
  return out;
}

Bytes code_dropped_bits(ByteView bits) {
  coding::ArithmeticEncoder enc;
  DroppedBitModel model;
  for (const std::uint8_t bit : bits) {
    if (bit > 1) throw Error("paper protocol: a dropped bit is not 0 or 1");
    const std::uint32_t f0 = model.freq_of_zero();
    if (bit) {
      enc.encode(f0, kTotal - f0, kTotal);
    } else {
      enc.encode(0, f0, kTotal);
    }
    model.update(bit);
  }
  return enc.finish();
}

Bytes decode_dropped_bits(ByteView coded, std::size_t count) {
  coding::ArithmeticDecoder dec(coded);
  DroppedBitModel model;
  Bytes bits(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t f0 = model.freq_of_zero();
    const unsigned bit = dec.target(kTotal) >= f0 ? 1u : 0u;
    if (bit) {
      dec.consume(f0, kTotal - f0, kTotal);
    } else {
      dec.consume(0, f0, kTotal);
    }
    bits[i] = static_cast<std::uint8_t>(bit);
    model.update(bit);
  }
  return bits;
}

}  // namespace lmzip::codecs
