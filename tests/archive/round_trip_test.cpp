// Library round trips: every size edge, every built-in model, text and random data, streaming
// sources, and the bound on how much an archive can exceed its input.
#include <gtest/gtest.h>

#include "archive_test_support.h"
#include "lmzip/archive/archive.h"
#include "lmzip/common/checksum.h"
#include "lmzip/error.h"
#include "lmzip/model/adaptive.h"
#include "lmzip/common/file_io.h"
#include "test_support.h"

namespace lmzip::archive {
namespace {

using testdata::concat;
using testdata::random_bytes;
using testdata::text_bytes;

std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  for (; v >= 0x80; v >>= 7) ++n;
  return n;
}

// The most an archive of n input bytes can take (docs/format.md, "Size bound").
std::uint64_t size_bound(std::uint64_t n, std::uint32_t cs, std::size_t name_length) {
  const std::uint64_t chunks = (n + cs - 1) / cs;
  return n + 68 + name_length + chunks * (5 + varint_size(cs + 9) + varint_size(cs)) + varint_size(cs) + 1 +
         varint_size(chunks) + 20 + 16;
}

TEST(ArchiveRoundTrip, EdgeSizesWithEveryModel) {
  for (int k = 0; k <= 2; ++k) {
    const model::AdaptiveOrderModel m(k);
    for (std::size_t n : {0, 1, 2, 2047, 2048, 2049, 4096, 6000}) {
      for (const Bytes& input : {text_bytes(n), random_bytes(n, static_cast<unsigned>(n))}) {
        const Bytes archive = compress_bytes(m, input);
        EXPECT_EQ(decompress_bytes(m, archive), input) << "order" << k << " n=" << n;
        EXPECT_LE(archive.size(), size_bound(n, 2048, 6)) << "order" << k << " n=" << n;
      }
    }
  }
}

TEST(ArchiveRoundTrip, SummaryDescribesTheArchive) {
  const model::AdaptiveOrderModel m(1);
  const Bytes input = concat({text_bytes(5000), random_bytes(3000, 2)});
  MemorySource in(input);
  MemorySink out;
  CompressOptions opt;
  opt.chunk_size = 1000;
  const ArchiveSummary s = compress(m, in, out, opt);
  EXPECT_EQ(s.original_size, input.size());
  EXPECT_EQ(s.archive_size, out.bytes().size());
  EXPECT_EQ(s.chunk_count, 8u);
  ASSERT_TRUE(s.stored_chunks);
  EXPECT_EQ(*s.stored_chunks, 3u) << "the random chunks are stored raw";
  EXPECT_EQ(s.content_xxh64, xxh64(input));
  EXPECT_EQ(s.header.model.name, "order1");
  EXPECT_EQ(s.header.chunk_size, 1000u);
  EXPECT_EQ(s.header.precision_bits, 24u);

  MemorySource ain(out.bytes(), "a.lmz");
  ArchiveReader reader(ain);
  EXPECT_EQ(reader.header().model.sha256, m.identity().sha256);
  MemorySink back;
  const ArchiveSummary d = decompress(reader, m, back);
  EXPECT_EQ(back.bytes(), input);
  EXPECT_EQ(d.original_size, s.original_size);
  EXPECT_EQ(d.archive_size, s.archive_size);
  EXPECT_EQ(d.chunk_count, s.chunk_count);
  EXPECT_EQ(d.stored_chunks, s.stored_chunks);
}

TEST(ArchiveRoundTrip, RandomDataIsStoredWithinTheBound) {
  const model::AdaptiveOrderModel m(2);
  for (std::uint32_t cs : {1u, 100u, 2048u, 65536u}) {
    const Bytes input = random_bytes(100000, cs);
    CompressOptions opt;
    opt.chunk_size = cs;
    const Bytes archive = compress_bytes(m, input, opt);
    EXPECT_LE(archive.size(), size_bound(input.size(), cs, 6)) << "chunk size " << cs;
    EXPECT_EQ(decompress_bytes(m, archive), input);
  }
}

TEST(ArchiveRoundTrip, ChunkSizesAndVerify) {
  const model::AdaptiveOrderModel m(2);
  const Bytes input = concat({text_bytes(20000), random_bytes(500, 5), Bytes(3000, 0)});
  for (std::uint32_t cs : {1u, 7u, 1000u, 4096u, 100000u}) {
    CompressOptions opt;
    opt.chunk_size = cs;
    opt.verify = true;
    opt.threads = 2;
    const Bytes archive = compress_bytes(m, input, opt);
    EXPECT_EQ(decompress_bytes(m, archive), input) << "chunk size " << cs;
  }
}

TEST(ArchiveRoundTrip, RejectsBadChunkSizes) {
  const model::AdaptiveOrderModel m(0);
  for (std::uint32_t cs : {0u, kMaxChunkSize + 1}) {
    CompressOptions opt;
    opt.chunk_size = cs;
    EXPECT_THROW(compress_bytes(m, Bytes{1, 2, 3}, opt), Error);
  }
}

TEST(ArchiveRoundTrip, PipesOfUnknownSizeGiveTheSameArchive) {
  const model::AdaptiveOrderModel m(1);
  const Bytes input = concat({text_bytes(9000), random_bytes(2000, 9)});
  const Bytes archive = compress_bytes(m, input);
  testdata::TricklingSource in(input);
  MemorySink out;
  compress(m, in, out);
  EXPECT_EQ(out.bytes(), archive);

  testdata::TricklingSource ain(archive);
  ArchiveReader reader(ain);
  MemorySink back;
  decompress(reader, m, back);
  EXPECT_EQ(back.bytes(), input);
}

TEST(ArchiveRoundTrip, SharedText) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const Bytes input = read_whole_file(data / "text" / "canterbury" / "alice29.txt");
  double ratio[3] = {};
  for (int k = 0; k <= 2; ++k) {
    const model::AdaptiveOrderModel m(k);
    CompressOptions opt;
    opt.threads = 2;
    const Bytes archive = compress_bytes(m, input, opt);
    DecompressOptions dopt;
    dopt.threads = 2;
    EXPECT_EQ(decompress_bytes(m, archive, dopt), input);
    ratio[k] = static_cast<double>(archive.size()) / input.size();
  }
  EXPECT_LT(ratio[0], 0.62);
  EXPECT_LT(ratio[1], ratio[0]);
  EXPECT_LT(ratio[2], ratio[1]);
  EXPECT_LT(ratio[2], 0.48) << "order2 on English text in 2 KB chunks: about 3.7 bits per byte";
}

}  // namespace
}  // namespace lmzip::archive
