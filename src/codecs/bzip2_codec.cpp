// src/codecs/bzip2_codec.cpp - "bzip2": libbz2 with 900 kB blocks (= `bzip2 -9`).
//
// BZ2_bzBuffToBuffCompress(blockSize100k 9, verbosity 0, workFactor 0 = the library default 30);
// the output is byte-identical to `bzip2 -9`. Decoded with the streaming decoder (small 0), one
// stream; trailing bytes are rejected. Every block and the stream carry CRC-32s.
#include <bzlib.h>

#include <climits>
#include <memory>
#include <string>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"

namespace lmzip::codecs {

namespace {

constexpr const char* kName = "bzip2";
constexpr int kBlockSize100k = 9;
constexpr int kWorkFactor = 0;

std::string bz_message(int ret) {
  switch (ret) {
    case BZ_PARAM_ERROR: return "parameter error";
    case BZ_MEM_ERROR: return "out of memory";
    case BZ_OUTBUFF_FULL: return "output buffer full";
    case BZ_DATA_ERROR: return "data integrity error (CRC mismatch or bad block)";
    case BZ_DATA_ERROR_MAGIC: return "not a bzip2 stream (bad magic)";
    case BZ_UNEXPECTED_EOF: return "truncated stream";
    default: return "libbz2 error " + std::to_string(ret);
  }
}

class Bzip2Codec final : public Codec {
 public:
  std::string name() const override { return kName; }

  std::string description() const override {
    return std::string("libbz2 ") + BZ2_bzlibVersion() + ", block size 900k (= bzip2 -9), workFactor default (30)";
  }

  Bytes compress(ByteView raw) const override {
    // The documented bound: 1% larger than the input plus 600 bytes.
    std::size_t bound = raw.size() + raw.size() / 100 + 601;
    if (raw.size() > UINT_MAX || bound > UINT_MAX) {
      detail::throw_failure(kName, "input too large for libbz2's 32-bit API");
    }
    Bytes out(bound);
    unsigned int out_len = static_cast<unsigned int>(out.size());
    static char empty = 0;  // libbz2 rejects a null source pointer even for 0 bytes
    char* src = raw.empty() ? &empty : reinterpret_cast<char*>(const_cast<std::uint8_t*>(raw.data()));
    int ret = BZ2_bzBuffToBuffCompress(reinterpret_cast<char*>(out.data()), &out_len, src,
                                       static_cast<unsigned int>(raw.size()), kBlockSize100k, 0, kWorkFactor);
    if (ret != BZ_OK) detail::throw_failure(kName, "BZ2_bzBuffToBuffCompress failed: " + bz_message(ret));
    out.resize(out_len);
    return out;
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    if (packed.empty()) detail::throw_corrupt(kName, "empty input");
    if (packed.size() > UINT_MAX || raw_size >= UINT_MAX) {
      detail::throw_failure(kName, "input too large for libbz2's 32-bit API");
    }
    // The streaming decoder (what BZ2_bzBuffToBuffDecompress wraps), so that bytes after the end
    // of the stream can be seen and rejected.
    bz_stream strm{};
    int ret = BZ2_bzDecompressInit(&strm, 0, 0);
    if (ret != BZ_OK) detail::throw_failure(kName, "BZ2_bzDecompressInit failed: " + bz_message(ret));
    std::unique_ptr<bz_stream, int (*)(bz_stream*)> guard(&strm, BZ2_bzDecompressEnd);

    Bytes out(raw_size + 1);  // one spare byte detects data longer than raw_size
    strm.next_in = reinterpret_cast<char*>(const_cast<std::uint8_t*>(packed.data()));
    strm.avail_in = static_cast<unsigned int>(packed.size());
    strm.next_out = reinterpret_cast<char*>(out.data());
    strm.avail_out = static_cast<unsigned int>(out.size());
    ret = BZ2_bzDecompress(&strm);
    std::size_t produced = out.size() - strm.avail_out;
    if (ret == BZ_OK) {  // stopped before the end of the stream
      if (strm.avail_out == 0) detail::check_decoded_size(kName, produced, raw_size);
      detail::throw_corrupt(kName, "truncated stream");
    }
    if (ret != BZ_STREAM_END) detail::throw_corrupt(kName, bz_message(ret));
    if (strm.avail_in != 0) {
      detail::throw_corrupt(kName, std::to_string(strm.avail_in) + " trailing bytes after the stream");
    }
    detail::check_decoded_size(kName, produced, raw_size);
    out.resize(produced);
    return out;
  }
};

}  // namespace

std::unique_ptr<Codec> make_bzip2_codec() { return std::make_unique<Bzip2Codec>(); }

}  // namespace lmzip::codecs
