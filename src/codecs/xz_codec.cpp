// src/codecs/xz_codec.cpp - "xz" and "xz-9e": liblzma LZMA2 in the .xz container.
//
// "xz":    preset 6, check CRC64 = `xz -6` = Python's lzma.compress() defaults = the paper's LZMA2.
// "xz-9e": preset 9 | LZMA_PRESET_EXTREME, CRC64 = `xz -9e`.
//
// Compression uses the single-threaded stream encoder (lzma_easy_encoder + LZMA_FINISH), the
// encoder that the xz tool and Python use, so the output is byte-identical to theirs.
// (lzma_easy_buffer_encode would also store the compressed and uncompressed sizes in the block
// header: 4 bytes more than `xz -6` on alice29.txt.) Decompression is lzma_stream_buffer_decode
// with no memory limit; the CRC64 makes corruption detectable; trailing bytes are rejected.
#include <lzma.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"

namespace lmzip::codecs {

namespace {

std::string lzma_message(lzma_ret ret) {
  switch (ret) {
    case LZMA_OK: return "ok";
    case LZMA_STREAM_END: return "stream end";
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_MEMLIMIT_ERROR: return "memory limit reached";
    case LZMA_FORMAT_ERROR: return "not an .xz stream (format error)";
    case LZMA_OPTIONS_ERROR: return "unsupported options";
    case LZMA_DATA_ERROR: return "data error (corrupt stream or check mismatch)";
    case LZMA_BUF_ERROR: return "truncated stream or output larger than expected";
    case LZMA_PROG_ERROR: return "programming error";
    case LZMA_UNSUPPORTED_CHECK: return "unsupported integrity check";
    default: return "liblzma error " + std::to_string(static_cast<int>(ret));
  }
}

class XzCodec final : public Codec {
 public:
  XzCodec(std::string name, std::uint32_t preset, std::string settings)
      : name_(std::move(name)), preset_(preset), settings_(std::move(settings)) {}

  std::string name() const override { return name_; }

  std::string description() const override {
    return std::string("liblzma ") + lzma_version_string() + ", " + settings_;
  }

  Bytes compress(ByteView raw) const override {
    lzma_stream strm = LZMA_STREAM_INIT;
    lzma_ret ret = lzma_easy_encoder(&strm, preset_, LZMA_CHECK_CRC64);
    if (ret != LZMA_OK) detail::throw_failure(name_, "lzma_easy_encoder failed: " + lzma_message(ret));
    std::unique_ptr<lzma_stream, void (*)(lzma_stream*)> guard(&strm, lzma_end);

    Bytes out(lzma_stream_buffer_bound(raw.size()));
    strm.next_in = raw.data();
    strm.avail_in = raw.size();
    strm.next_out = out.data();
    strm.avail_out = out.size();
    for (;;) {
      ret = lzma_code(&strm, LZMA_FINISH);
      if (ret == LZMA_STREAM_END) break;
      if (ret != LZMA_OK) detail::throw_failure(name_, "lzma_code failed: " + lzma_message(ret));
      if (strm.avail_out == 0) {  // cannot happen with the bound above; grow defensively
        std::size_t used = out.size();
        out.resize(out.size() * 2);
        strm.next_out = out.data() + used;
        strm.avail_out = out.size() - used;
      }
    }
    out.resize(static_cast<std::size_t>(strm.total_out));
    return out;
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    if (packed.empty()) detail::throw_corrupt(name_, "empty input");
    Bytes out(raw_size + 1);  // one spare byte detects data longer than raw_size
    std::uint64_t memlimit = UINT64_MAX;
    std::size_t in_pos = 0;
    std::size_t out_pos = 0;
    lzma_ret ret = lzma_stream_buffer_decode(&memlimit, 0, nullptr, packed.data(), &in_pos, packed.size(),
                                             out.data(), &out_pos, out.size());
    if (ret != LZMA_OK) {
      if (ret == LZMA_BUF_ERROR && out_pos == out.size()) detail::check_decoded_size(name_, out_pos, raw_size);
      detail::throw_corrupt(name_, lzma_message(ret));
    }
    if (in_pos != packed.size()) {
      detail::throw_corrupt(name_, std::to_string(packed.size() - in_pos) + " trailing bytes after the .xz stream");
    }
    detail::check_decoded_size(name_, out_pos, raw_size);
    out.resize(out_pos);
    return out;
  }

 private:
  std::string name_;
  std::uint32_t preset_;
  std::string settings_;
};

}  // namespace

std::unique_ptr<Codec> make_xz_codec() {
  return std::make_unique<XzCodec>("xz", 6u, "LZMA2 preset 6, CRC64, .xz container (= xz -6 = Python lzma)");
}

std::unique_ptr<Codec> make_xz_extreme_codec() {
  return std::make_unique<XzCodec>("xz-9e", 9u | LZMA_PRESET_EXTREME,
                                   "LZMA2 preset 9 extreme, CRC64, .xz container (= xz -9e)");
}

}  // namespace lmzip::codecs
