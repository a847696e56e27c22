// src/codecs/lm_paper_codec.cpp - "lm7:MODEL": lmzip's compressor fed as the paper fed its
// LLMs (7-bit bytes, lmzip/codecs/paper_protocol.h), with the dropped bits coded too, so the
// round trip is lossless and the size is true. paper_bytes() gives the paper's own accounting:
// the 7-bit stream's code scaled by 8/7, as its public code does.
//
// Block: varint L | L bytes: the lm:MODEL archive of the 7-bit bytes | the dropped-bit code.
// The bench asks for_modality(): text clears the top bit, images and audio drop the low bit;
// a codec made without a modality uses the text protocol.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"
#include "lmzip/codecs/paper_protocol.h"
#include "lmzip/error.h"

namespace lmzip::codecs {

namespace {

void put_varint(Bytes& out, std::uint64_t v) {
  for (; v >= 0x80; v >>= 7) out.push_back(static_cast<std::uint8_t>(v | 0x80));
  out.push_back(static_cast<std::uint8_t>(v));
}

// @return the value, advancing `pos`; throws on a truncated or over-long varint.
std::uint64_t get_varint(ByteView in, std::size_t& pos, std::string_view codec) {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) detail::throw_corrupt(codec, "truncated length field");
    const std::uint8_t b = in[pos++];
    v |= std::uint64_t{b & 0x7Fu} << shift;
    if (!(b & 0x80)) return v;
  }
  detail::throw_corrupt(codec, "length field too long");
}

class LmPaperCodec final : public Codec {
 public:
  LmPaperCodec(std::string spec, std::shared_ptr<const Codec> inner, PaperProtocol protocol)
      : spec_(std::move(spec)), inner_(std::move(inner)), protocol_(protocol) {}

  std::string name() const override { return "lm7:" + spec_; }

  std::string description() const override {
    return fmt::format("the paper's 7-bit protocol ({}; dropped bits coded by an adaptive binary model) into {}",
                       to_string(protocol_), inner_->description());
  }

  Bytes compress(ByteView raw) const override {
    const SplitBytes s = split(raw, protocol_);
    const Bytes seven = inner_->compress(s.seven);
    const Bytes bits = code_dropped_bits(s.dropped);
    Bytes out;
    put_varint(out, seven.size());
    out.insert(out.end(), seven.begin(), seven.end());
    out.insert(out.end(), bits.begin(), bits.end());
    return out;
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    std::size_t pos = 0;
    const std::uint64_t seven_size = get_varint(packed, pos, name());
    if (seven_size > packed.size() - pos) detail::throw_corrupt(name(), "7-bit stream longer than the block");
    const Bytes seven = inner_->decompress(packed.subspan(pos, seven_size), raw_size);
    const Bytes bits = decode_dropped_bits(packed.subspan(pos + seven_size), raw_size);
    return merge(seven, bits, protocol_);
  }

  std::optional<double> paper_bytes(ByteView packed) const override {
    std::size_t pos = 0;
    const std::uint64_t seven_size = get_varint(packed, pos, name());
    return static_cast<double>(seven_size) * 8.0 / 7.0;
  }

  std::unique_ptr<Codec> for_modality(std::string_view modality) const override {
    return std::make_unique<LmPaperCodec>(spec_, inner_, paper_protocol_for(modality));
  }

  bool codes_in_chunks() const override { return true; }
  std::uint64_t parameter_count() const override { return inner_->parameter_count(); }
  std::uint64_t model_file_bytes() const override { return inner_->model_file_bytes(); }

 private:
  std::string spec_;
  std::shared_ptr<const Codec> inner_;
  PaperProtocol protocol_;
};

}  // namespace

std::unique_ptr<Codec> make_lm_paper_codec(std::string_view model) {
  std::shared_ptr<const Codec> inner = make_lm_codec(model);
  return std::make_unique<LmPaperCodec>(std::string(model), std::move(inner), PaperProtocol::ClearTopBit);
}

}  // namespace lmzip::codecs
