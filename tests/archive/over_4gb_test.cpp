// Sizes past 32 bits: a 4.3 GB archive of stored chunks (made up on the fly, so the test needs
// neither the disk nor the time to write it) is listed and decoded.
#include <gtest/gtest.h>

#include <algorithm>

#include "archive/format.h"
#include "lmzip/archive/archive.h"
#include "lmzip/common/checksum.h"
#include "lmzip/model/adaptive.h"

namespace lmzip::archive {
namespace {

class HashSink final : public ByteSink {
 public:
  void write(ByteView bytes) override {
    hash_.update(bytes);
    size_ += bytes.size();
  }
  Xxh64 hash_;
  std::uint64_t size_ = 0;
};

// The archive's bytes, made up on the fly: header, kChunks stored frames of zeros, index, footer.
class SyntheticArchive final : public ByteSource {
 public:
  SyntheticArchive(const Bytes& head, const Bytes& frame_head, std::uint64_t chunks, std::uint32_t chunk,
                   const Bytes& tail)
      : head_(head), frame_head_(frame_head), chunks_(chunks), chunk_(chunk), tail_(tail) {
    frame_size_ = frame_head_.size() + chunk_;
    size_ = head_.size() + chunks_ * frame_size_ + tail_.size();
  }
  std::size_t read(std::span<std::uint8_t> out) override {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), size_ - pos_));
    read_at(pos_, out.first(n));
    pos_ += n;
    return n;
  }
  void read_at(std::uint64_t offset, std::span<std::uint8_t> out) override {
    for (std::size_t i = 0; i < out.size();) {
      const std::uint64_t at = offset + i;
      std::size_t n;
      if (at < head_.size()) {
        n = std::min<std::size_t>(out.size() - i, head_.size() - at);
        std::copy_n(head_.begin() + static_cast<std::ptrdiff_t>(at), n, out.begin() + static_cast<std::ptrdiff_t>(i));
      } else if (at < head_.size() + chunks_ * frame_size_) {
        const std::uint64_t in_frame = (at - head_.size()) % frame_size_;
        if (in_frame < frame_head_.size()) {
          n = std::min<std::size_t>(out.size() - i, frame_head_.size() - in_frame);
          std::copy_n(frame_head_.begin() + static_cast<std::ptrdiff_t>(in_frame), n, out.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
          n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size() - i, frame_size_ - in_frame));
          std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(i), n, 0);
        }
      } else {
        const std::uint64_t t = at - head_.size() - chunks_ * frame_size_;
        n = std::min<std::size_t>(out.size() - i, tail_.size() - t);
        std::copy_n(tail_.begin() + static_cast<std::ptrdiff_t>(t), n, out.begin() + static_cast<std::ptrdiff_t>(i));
      }
      i += n;
    }
  }
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return size_; }

 private:
  Bytes head_, frame_head_;
  std::uint64_t chunks_;
  std::uint32_t chunk_;
  Bytes tail_;
  std::uint64_t frame_size_, size_, pos_ = 0;
  std::string name_ = "big.lmz";
};

TEST(ArchiveOver4GB, ArchiveOfStoredChunks) {
  constexpr std::uint32_t kChunk = kMaxChunkSize;  // 16 MiB
  constexpr std::uint64_t kChunks = 257;           // 4 GiB + 16 MiB: past 2^32 bytes
  constexpr std::uint64_t kOriginal = kChunks * kChunk;
  static_assert(kOriginal > (std::uint64_t{1} << 32));
  const model::AdaptiveOrderModel m(0);

  ArchiveHeader h;
  h.format_version = 1;
  h.model = m.identity();
  h.chunk_size = kChunk;
  h.precision_bits = 24;
  const Bytes zeros(kChunk, 0);
  Bytes frame;
  format::encode_frame_header(format::FrameHeader{format::kModeStored, kChunk, kChunk, format::low32_xxh64(zeros)},
                              kChunk, frame);
  Xxh64 content;
  Bytes index{format::kIndexMarker};
  format::put_varint(index, kChunks);
  for (std::uint64_t i = 0; i < kChunks; ++i) {
    content.update(zeros);
    format::put_varint(index, frame.size() + kChunk);
    format::put_varint(index, kChunk);
  }
  format::put_u64(index, kOriginal);
  format::put_u64(index, content.digest());
  format::put_u32(index, format::low32_xxh64(index));
  Bytes tail = index;
  const Bytes footer = format::encode_footer(index.size());
  tail.insert(tail.end(), footer.begin(), footer.end());

  SyntheticArchive src(format::encode_header(h), frame, kChunks, kChunk, tail);
  const ArchiveSummary listed = list(src);
  EXPECT_EQ(listed.original_size, kOriginal);
  EXPECT_EQ(listed.chunk_count, kChunks);
  EXPECT_EQ(listed.archive_size, *src.size());

  SyntheticArchive src2(format::encode_header(h), frame, kChunks, kChunk, tail);
  ArchiveReader reader(src2);
  HashSink out;
  DecompressOptions opt;
  opt.threads = 2;
  const ArchiveSummary s = decompress(reader, m, out, opt);
  EXPECT_EQ(out.size_, kOriginal);
  EXPECT_EQ(out.hash_.digest(), content.digest());
  EXPECT_EQ(s.stored_chunks, kChunks);
  EXPECT_EQ(s.archive_size, *src2.size());
}

}  // namespace
}  // namespace lmzip::archive
