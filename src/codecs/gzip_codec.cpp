// src/codecs/gzip_codec.cpp - "gzip": zlib deflate in the gzip container, as `gzip -9 -n`.
//
// Settings: deflateInit2(level 9, Z_DEFLATED, windowBits 15 + 16 (gzip wrapper), memLevel 8,
// Z_DEFAULT_STRATEGY). zlib writes the same 10-byte header as `gzip -9 -n` (mtime 0, XFL 2 for
// level 9, OS 3), no file name; the 8-byte trailer holds CRC-32 and ISIZE, so inflate detects
// corruption. One gzip member is produced; decompress() accepts exactly one member and rejects
// trailing bytes.
#include <zlib.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"

namespace lmzip::codecs {

namespace {

constexpr const char* kName = "gzip";
constexpr int kLevel = 9;
constexpr int kWindowBits = 15 + 16;  // 32 KiB window, gzip container
constexpr int kMemLevel = 8;

// zlib's avail_in/avail_out are 32-bit; feed larger buffers in pieces.
constexpr std::size_t kMaxStep = std::numeric_limits<uInt>::max();

std::string zlib_message(const z_stream& zs, int ret) {
  if (zs.msg != nullptr) return zs.msg;
  return "zlib error " + std::to_string(ret);
}

class GzipCodec final : public Codec {
 public:
  std::string name() const override { return kName; }

  std::string description() const override {
    return std::string("zlib ") + zlibVersion() + ", deflate level 9, memLevel 8, gzip container (= gzip -9 -n)";
  }

  Bytes compress(ByteView raw) const override {
    z_stream zs{};
    int ret = deflateInit2(&zs, kLevel, Z_DEFLATED, kWindowBits, kMemLevel, Z_DEFAULT_STRATEGY);
    if (ret != Z_OK) detail::throw_failure(kName, "deflateInit2 failed: " + zlib_message(zs, ret));
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, deflateEnd);

    Bytes out(deflateBound(&zs, raw.size()) + 32);
    std::size_t in_pos = 0;
    std::size_t out_pos = 0;
    for (;;) {
      std::size_t in_step = std::min(raw.size() - in_pos, kMaxStep);
      if (out_pos == out.size()) out.resize(out.size() * 2);
      std::size_t out_step = std::min(out.size() - out_pos, kMaxStep);
      zs.next_in = const_cast<Bytef*>(raw.data() + in_pos);  // zlib does not write the input
      zs.avail_in = static_cast<uInt>(in_step);
      zs.next_out = out.data() + out_pos;
      zs.avail_out = static_cast<uInt>(out_step);
      bool last = in_pos + in_step == raw.size();
      ret = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
      in_pos += in_step - zs.avail_in;
      out_pos += out_step - zs.avail_out;
      if (ret == Z_STREAM_END) break;
      if (ret != Z_OK && ret != Z_BUF_ERROR) {
        detail::throw_failure(kName, "deflate failed: " + zlib_message(zs, ret));
      }
    }
    out.resize(out_pos);
    return out;
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    z_stream zs{};
    int ret = inflateInit2(&zs, kWindowBits);
    if (ret != Z_OK) detail::throw_failure(kName, "inflateInit2 failed: " + zlib_message(zs, ret));
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);

    Bytes out(raw_size + 1);  // one spare byte detects data longer than raw_size
    std::size_t in_pos = 0;
    std::size_t out_pos = 0;
    for (;;) {
      std::size_t in_step = std::min(packed.size() - in_pos, kMaxStep);
      std::size_t out_step = std::min(out.size() - out_pos, kMaxStep);
      zs.next_in = const_cast<Bytef*>(packed.data() + in_pos);
      zs.avail_in = static_cast<uInt>(in_step);
      zs.next_out = out.data() + out_pos;
      zs.avail_out = static_cast<uInt>(out_step);
      ret = inflate(&zs, Z_NO_FLUSH);
      in_pos += in_step - zs.avail_in;
      out_pos += out_step - zs.avail_out;
      if (ret == Z_STREAM_END) break;
      if (ret == Z_NEED_DICT || ret == Z_DATA_ERROR || ret == Z_STREAM_ERROR || ret == Z_MEM_ERROR) {
        detail::throw_corrupt(kName, zlib_message(zs, ret));
      }
      if (out_pos == out.size()) detail::check_decoded_size(kName, out_pos, raw_size);
      if (in_pos == packed.size() && (ret == Z_BUF_ERROR || zs.avail_out != 0)) {
        detail::throw_corrupt(kName, "truncated stream (" + std::to_string(packed.size()) + " bytes)");
      }
    }
    if (in_pos != packed.size()) {
      detail::throw_corrupt(kName, std::to_string(packed.size() - in_pos) + " trailing bytes after the gzip member");
    }
    detail::check_decoded_size(kName, out_pos, raw_size);
    out.resize(out_pos);
    return out;
  }
};

}  // namespace

std::unique_ptr<Codec> make_gzip_codec() { return std::make_unique<GzipCodec>(); }

}  // namespace lmzip::codecs
