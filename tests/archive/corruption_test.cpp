// Damaged, truncated and foreign archives: always an lmzip::Error naming the archive (and the
// chunk), never wrong output.
#include <gtest/gtest.h>

#include "archive/format.h"
#include "archive_test_support.h"
#include "lmzip/archive/archive.h"
#include "lmzip/error.h"
#include "lmzip/model/adaptive.h"

namespace lmzip::archive {
namespace {

using testdata::concat;
using testdata::random_bytes;
using testdata::text_bytes;

std::string error_of(const model::ByteModel& m, ByteView archive, bool pipe = false) {
  try {
    MemorySink out;
    if (pipe) {
      testdata::TricklingSource in(archive, "x.lmz");
      ArchiveReader reader(in);
      decompress(reader, m, out);
    } else {
      MemorySource in(archive, "x.lmz");
      ArchiveReader reader(in);
      decompress(reader, m, out);
    }
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Rewrites the header checksum after a deliberate change of header fields.
void reseal_header(Bytes& archive) {
  const std::size_t n = format::kFixedHeaderSize + archive[21];
  const std::uint32_t c = format::low32_xxh64(ByteView(archive.data(), n));
  for (int i = 0; i < 4; ++i) archive[n + i] = static_cast<std::uint8_t>(c >> (8 * i));
}

// 6 chunks of 512 bytes: text, one random (stored) chunk, text, and a short last chunk.
struct Fixture : ::testing::Test {
  model::AdaptiveOrderModel m{1};
  Bytes input = concat({text_bytes(1024), random_bytes(512, 1), text_bytes(1200, 2)});
  Bytes archive;
  void SetUp() override {
    CompressOptions opt;
    opt.chunk_size = 512;
    archive = compress_bytes(m, input, opt);
  }
};

using ArchiveCorruption = Fixture;

TEST_F(ArchiveCorruption, EveryFlippedByteIsCaughtOrHarmless) {
  for (std::size_t pos = 0; pos < archive.size(); ++pos) {
    for (std::uint8_t mask : {0x01, 0xFF}) {
      Bytes bad = archive;
      bad[pos] ^= mask;
      try {
        EXPECT_EQ(decompress_bytes(m, bad, {}, "x.lmz"), input) << "byte " << pos << " decoded to wrong output";
      } catch (const Error& e) {
        EXPECT_TRUE(contains(e.what(), "x.lmz: ")) << e.what();
      }
    }
  }
}

TEST_F(ArchiveCorruption, AChunkChecksumMismatchNamesTheChunk) {
  // Chunk 0's payload starts after the header and its frame header; damage its middle.
  const std::size_t header = format::kFixedHeaderSize + archive[21] + 4;
  const std::size_t chunk0 = header + 1 + 2 + 4;  // descriptor, coded size (2 bytes), checksum
  Bytes bad = archive;
  bad[chunk0 + 100] ^= 0x10;
  const std::string e = error_of(m, bad);
  EXPECT_TRUE(contains(e, "x.lmz: chunk 0: ")) << e;
  EXPECT_TRUE(contains(e, "checksum mismatch")) << e;
}

TEST_F(ArchiveCorruption, EveryTruncationFails) {
  for (std::size_t n = 0; n < archive.size(); ++n) {
    const ByteView cut(archive.data(), n);
    for (bool pipe : {false, true}) {
      const std::string e = error_of(m, cut, pipe);
      ASSERT_FALSE(e.empty()) << "truncated to " << n << " bytes, pipe " << pipe << ": no error";
      EXPECT_TRUE(contains(e, "x.lmz: ")) << e;
      if (n == 0) {
        EXPECT_TRUE(contains(e, "not an lmzip archive")) << e;
      } else if (n > 100 && !pipe) {
        EXPECT_TRUE(contains(e, "truncated archive (index missing)")) << e;
      } else if (n > 100 && n < archive.size() - 60 && pipe) {
        EXPECT_TRUE(contains(e, "truncated archive")) << e;
      }
    }
  }
}

TEST_F(ArchiveCorruption, TrailingDataIsRefused) {
  Bytes bad = archive;
  bad.push_back(0);
  EXPECT_TRUE(contains(error_of(m, bad, true), "trailing data")) << error_of(m, bad, true);
  EXPECT_FALSE(error_of(m, bad, false).empty());
}

TEST_F(ArchiveCorruption, ForeignFilesAreNotArchives) {
  const std::string text = "just some text, not an archive at all";
  const Bytes foreign(text.begin(), text.end());
  EXPECT_TRUE(contains(error_of(m, foreign), "x.lmz: not an lmzip archive")) << error_of(m, foreign);
  const Bytes gzip = {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3};
  EXPECT_TRUE(contains(error_of(m, gzip), "not an lmzip archive"));
  EXPECT_TRUE(contains(error_of(m, Bytes{}), "not an lmzip archive (empty input)"));
}

TEST_F(ArchiveCorruption, HeaderChecksFailClearly) {
  Bytes bad = archive;
  bad[30] ^= 1;  // a parameter-count byte
  EXPECT_TRUE(contains(error_of(m, bad), "header checksum mismatch")) << error_of(m, bad);

  Bytes newer = archive;
  newer[8] = 2;
  reseal_header(newer);
  EXPECT_TRUE(contains(error_of(m, newer), "archive format version 2 is not supported")) << error_of(m, newer);

  Bytes flags = archive;
  flags[10] = 4;
  reseal_header(flags);
  EXPECT_TRUE(contains(error_of(m, flags), "unknown flags")) << error_of(m, flags);
}

TEST_F(ArchiveCorruption, ListChecksTheStructureWithoutAModel) {
  MemorySource in(archive, "x.lmz");
  const ArchiveSummary s = list(in);
  EXPECT_EQ(s.original_size, input.size());
  EXPECT_EQ(s.archive_size, archive.size());
  EXPECT_EQ(s.chunk_count, 6u);
  EXPECT_FALSE(s.stored_chunks) << "unknown from the index alone";
  testdata::TricklingSource pipe(archive, "x.lmz");
  const ArchiveSummary p = list(pipe);
  EXPECT_EQ(p.chunk_count, 6u);
  ASSERT_TRUE(p.stored_chunks);
  EXPECT_EQ(*p.stored_chunks, 1u);

  Bytes bad = archive;
  bad[bad.size() - 20] ^= 1;  // inside the index
  MemorySource bin(bad, "x.lmz");
  EXPECT_THROW(list(bin), Error);
}

}  // namespace
}  // namespace lmzip::archive
