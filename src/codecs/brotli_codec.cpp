// src/codecs/brotli_codec.cpp - "brotli": Brotli quality 11 (libbrotlienc / libbrotlidec).
//
// BrotliEncoderCompress(quality 11, lgwin, BROTLI_MODE_GENERIC). lgwin follows the brotli tool
// (1.0.9, tools/brotli.c) for a file of known length: the smallest value in [10, 24] whose window
// (2^lgwin - 16 bytes) covers the whole input, capped at 24 (so 12 for a 2048-byte chunk, 24 for
// 16 MiB and more; the tool's default for input of unknown length is 24). The window only changes
// a few header bits here, as no match can reach further back than the input's start. The stream
// has no checksum. decompress() uses the streaming decoder to report the library's error code.
#include <brotli/decode.h>
#include <brotli/encode.h>

#include <cstdint>
#include <memory>
#include <string>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"

namespace lmzip::codecs {

namespace {

constexpr const char* kName = "brotli";
constexpr int kQuality = 11;

std::string version_string(std::uint32_t v) {  // (major << 24) | (minor << 12) | patch
  return std::to_string(v >> 24) + "." + std::to_string((v >> 12) & 0xFFF) + "." + std::to_string(v & 0xFFF);
}

// The brotli tool's window choice for an input of n bytes.
int window_bits_for(std::size_t n) {
  int lgwin = BROTLI_MIN_WINDOW_BITS;
  auto window = [](int bits) { return (std::uint64_t{1} << bits) - 16; };  // bytes a match may reach back
  while (window(lgwin) < static_cast<std::uint64_t>(n) && lgwin < BROTLI_MAX_WINDOW_BITS) {
    ++lgwin;
  }
  return lgwin;
}

class BrotliCodec final : public Codec {
 public:
  std::string name() const override { return kName; }

  std::string description() const override {
    return "libbrotli " + version_string(BrotliEncoderVersion()) +
           ", quality 11, lgwin as the brotli tool (smallest window covering the input, 10..24), mode generic";
  }

  Bytes compress(ByteView raw) const override {
    std::size_t bound = BrotliEncoderMaxCompressedSize(raw.size());
    if (bound == 0) detail::throw_failure(kName, "input too large");
    Bytes out(bound + 16);
    std::size_t out_size = out.size();
    if (!BrotliEncoderCompress(kQuality, window_bits_for(raw.size()), BROTLI_MODE_GENERIC, raw.size(), raw.data(),
                               &out_size, out.data())) {
      detail::throw_failure(kName, "BrotliEncoderCompress failed");
    }
    out.resize(out_size);
    return out;
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    if (packed.empty()) detail::throw_corrupt(kName, "empty input");
    std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState*)> dec(
        BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
    if (!dec) detail::throw_failure(kName, "BrotliDecoderCreateInstance failed");

    Bytes out(raw_size + 1);  // one spare byte detects data longer than raw_size
    std::size_t avail_in = packed.size();
    const std::uint8_t* next_in = packed.data();
    std::size_t avail_out = out.size();
    std::uint8_t* next_out = out.data();
    BrotliDecoderResult result =
        BrotliDecoderDecompressStream(dec.get(), &avail_in, &next_in, &avail_out, &next_out, nullptr);
    std::size_t produced = out.size() - avail_out;
    switch (result) {
      case BROTLI_DECODER_RESULT_SUCCESS:
        break;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
        detail::throw_corrupt(kName, "truncated stream");
      case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
        detail::check_decoded_size(kName, raw_size + 1, raw_size);
        detail::throw_corrupt(kName, "output larger than expected");
      default:
        detail::throw_corrupt(kName, BrotliDecoderErrorString(BrotliDecoderGetErrorCode(dec.get())));
    }
    if (avail_in != 0) detail::throw_corrupt(kName, std::to_string(avail_in) + " trailing bytes after the stream");
    detail::check_decoded_size(kName, produced, raw_size);
    out.resize(produced);
    return out;
  }
};

}  // namespace

std::unique_ptr<Codec> make_brotli_codec() { return std::make_unique<BrotliCodec>(); }

}  // namespace lmzip::codecs
