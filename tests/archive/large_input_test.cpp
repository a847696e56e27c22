// A 50 MB input streamed from a generator through a file and back: the compressor and the
// decompressor never hold the whole input, and sizes past 32 bits of chunks work.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "archive_test_support.h"
#include "lmzip/archive/archive.h"
#include "lmzip/common/checksum.h"
#include "lmzip/model/adaptive.h"
#include "test_support.h"

namespace lmzip::archive {
namespace {

// `size` bytes of text-like runs and random runs, produced on demand.
class GeneratorSource final : public ByteSource {
 public:
  explicit GeneratorSource(std::uint64_t size) : size_(size), block_(testdata::text_bytes(1 << 16, 3)) {
    const Bytes noise = testdata::random_bytes(1 << 14, 8);
    block_.insert(block_.end(), noise.begin(), noise.end());
  }
  std::size_t read(std::span<std::uint8_t> out) override {
    std::size_t n = 0;
    while (n < out.size() && pos_ < size_) {
      // Each pass over the block shifts by one byte, so chunks do not repeat exactly.
      const std::uint64_t lap = pos_ / block_.size();
      out[n++] = static_cast<std::uint8_t>(block_[(pos_ + lap) % block_.size()]);
      ++pos_;
    }
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::uint64_t size_, pos_ = 0;
  Bytes block_;
  std::string name_ = "(generator)";
};

class HashSink final : public ByteSink {
 public:
  void write(ByteView bytes) override {
    hash_.update(bytes);
    size_ += bytes.size();
  }
  std::uint64_t digest() const { return hash_.digest(); }
  std::uint64_t size() const { return size_; }

 private:
  Xxh64 hash_;
  std::uint64_t size_ = 0;
};

long peak_rss_kib() {
  struct rusage ru;
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

class ArchiveLargeInput : public ::testing::TestWithParam<int> {};

TEST_P(ArchiveLargeInput, FiftyMegabytesThroughAFile) {
  constexpr std::uint64_t kSize = 50u << 20;
  const long rss_before = peak_rss_kib();
  std::uint64_t expected;
  {
    GeneratorSource gen(kSize);
    HashSink h;
    Bytes buf(1 << 16);
    for (std::size_t n; (n = gen.read(buf)) > 0;) h.write(ByteView(buf.data(), n));
    expected = h.digest();
  }
  ::lmzip::test::TempDir tmp;
  const auto path = tmp / "big.lmz";
  const model::AdaptiveOrderModel m(GetParam());
  {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    FdSink out(fd, path.string());
    GeneratorSource in(kSize);
    CompressOptions opt;
    opt.threads = 2;
    const ArchiveSummary s = compress(m, in, out, opt);
    ::close(fd);
    EXPECT_EQ(s.original_size, kSize);
    EXPECT_EQ(s.content_xxh64, expected);
    EXPECT_EQ(s.chunk_count, kSize / 2048);
    EXPECT_LT(s.archive_size, kSize * 3 / 4);
  }
  FileSource in(path);
  const ArchiveSummary listed = list(in);
  EXPECT_EQ(listed.original_size, kSize);
  FileSource in2(path);
  ArchiveReader reader(in2);
  HashSink out;
  DecompressOptions dopt;
  dopt.threads = 2;
  const ArchiveSummary d = decompress(reader, m, out, dopt);
  EXPECT_EQ(out.size(), kSize);
  EXPECT_EQ(out.digest(), expected);
  EXPECT_EQ(d.archive_size, listed.archive_size);
  // Streaming: the peak grows by far less than the 50 MB that passed through.
  EXPECT_LT(peak_rss_kib() - rss_before, 24 * 1024) << "KiB";
}

// order0 and order1 (the fast models); order2 runs the same code, slower.
INSTANTIATE_TEST_SUITE_P(Orders, ArchiveLargeInput, ::testing::Values(0, 1),
                         [](const ::testing::TestParamInfo<int>& info) { return "order" + std::to_string(info.param); });

}  // namespace
}  // namespace lmzip::archive
