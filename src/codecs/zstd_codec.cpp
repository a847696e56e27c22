// src/codecs/zstd_codec.cpp - "zstd": Zstandard level 19 (libzstd), one frame.
//
// ZSTD_compress at level 19 (= `zstd -19`, which also writes a 4-byte XXH64 checksum that this
// one-shot API omits; the frame header holds the content size). decompress() checks the frame's
// content size against raw_size before decoding, then ZSTD_decompress. Without a checksum a flipped
// bit inside a literal may decode to wrong bytes of the right length.
#include <zstd.h>

#include <memory>
#include <string>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"

namespace lmzip::codecs {

namespace {

constexpr const char* kName = "zstd";
constexpr int kLevel = 19;

class ZstdCodec final : public Codec {
 public:
  std::string name() const override { return kName; }

  std::string description() const override {
    return std::string("libzstd ") + ZSTD_versionString() + ", level 19, one frame with content size, no checksum";
  }

  Bytes compress(ByteView raw) const override {
    Bytes out(ZSTD_compressBound(raw.size()));
    std::size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), kLevel);
    if (ZSTD_isError(n)) detail::throw_failure(kName, std::string("ZSTD_compress failed: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    if (packed.empty()) detail::throw_corrupt(kName, "empty input");
    unsigned long long content = ZSTD_getFrameContentSize(packed.data(), packed.size());
    if (content == ZSTD_CONTENTSIZE_ERROR) detail::throw_corrupt(kName, "not a zstd frame (bad header)");
    if (content != ZSTD_CONTENTSIZE_UNKNOWN && content != raw_size) {
      detail::throw_corrupt(kName, "frame says " + std::to_string(content) + " bytes, expected " +
                                       std::to_string(raw_size));
    }
    Bytes out(raw_size + 1);  // one spare byte detects data longer than raw_size
    std::size_t n = ZSTD_decompress(out.data(), out.size(), packed.data(), packed.size());
    if (ZSTD_isError(n)) detail::throw_corrupt(kName, ZSTD_getErrorName(n));
    detail::check_decoded_size(kName, n, raw_size);
    out.resize(n);
    return out;
  }
};

}  // namespace

std::unique_ptr<Codec> make_zstd_codec() { return std::make_unique<ZstdCodec>(); }

}  // namespace lmzip::codecs
