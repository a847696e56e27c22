// The golden archives in tests/golden/ (made by earlier lmzip versions of this format) must
// decode to their inputs, and encoding those inputs again must give the same bytes: a change of
// the format or of a built-in model fails here. docs/format.md, "Golden archives".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "archive/format.h"
#include "lmzip/archive/archive.h"
#include "lmzip/common/checksum.h"
#include "lmzip/model/open_model.h"
#include "test_support.h"

namespace lmzip::archive {
namespace {

namespace fs = std::filesystem;

struct Golden {
  std::string archive, input, model;
  std::uint32_t chunk_size;
};

fs::path golden_dir() { return fs::path(LMZIP_SOURCE_DIR) / "tests" / "golden"; }

std::vector<Golden> manifest() {
  std::ifstream in(golden_dir() / "MANIFEST");
  std::vector<Golden> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    Golden g;
    words >> g.archive >> g.input >> g.model >> g.chunk_size;
    out.push_back(g);
  }
  return out;
}

TEST(GoldenArchive, ManifestListsTheArchives) { EXPECT_GE(manifest().size(), 5u); }

TEST(GoldenArchive, ArchivesDecodeToTheirInputs) {
  for (const Golden& g : manifest()) {
    const Bytes archive = ::lmzip::test::read_file(golden_dir() / g.archive);
    const Bytes input = ::lmzip::test::read_file(golden_dir() / g.input);
    const auto m = model::open_model(g.model);
    for (unsigned t : {1u, 3u}) {
      DecompressOptions opt;
      opt.threads = t;
      EXPECT_EQ(decompress_bytes(*m, archive, opt, g.archive), input) << g.archive;
    }
    MemorySource src(archive, g.archive);
    const ArchiveSummary s = list(src);
    EXPECT_EQ(s.header.model.name, g.model);
    EXPECT_EQ(s.header.chunk_size, g.chunk_size);
    EXPECT_EQ(s.original_size, input.size());
    EXPECT_EQ(s.content_xxh64, xxh64(input));
  }
}

TEST(GoldenArchive, EncodingAgainGivesTheSameBytes) {
  for (const Golden& g : manifest()) {
    const Bytes archive = ::lmzip::test::read_file(golden_dir() / g.archive);
    const Bytes input = ::lmzip::test::read_file(golden_dir() / g.input);
    const auto m = model::open_model(g.model);
    for (unsigned t : {1u, 4u}) {
      CompressOptions opt;
      opt.chunk_size = g.chunk_size;
      opt.threads = t;
      EXPECT_EQ(compress_bytes(*m, input, opt), archive)
          << g.archive << ": the format or model " << g.model
          << " changed; old archives must still decode (see docs/format.md, Golden archives)";
    }
  }
}

// docs/format.md's byte layout, checked field by field on the smallest archive.
TEST(GoldenArchive, EmptyArchiveMatchesTheSpecification) {
  const Bytes a = ::lmzip::test::read_file(golden_dir() / "empty.bin.order0.lmz");
  ASSERT_EQ(a.size(), 112u) << "header 68 + 6, index 22, footer 16";
  const Bytes magic = {0x89, 'L', 'M', 'Z', 0x0D, 0x0A, 0x1A, 0x0A};
  EXPECT_TRUE(std::equal(magic.begin(), magic.end(), a.begin()));
  EXPECT_EQ(format::get_u16(&a[8]), 1u) << "format version";
  EXPECT_EQ(format::get_u16(&a[10]), 0u) << "flags";
  EXPECT_EQ(format::get_u32(&a[12]), 2048u) << "chunk size";
  EXPECT_EQ(format::get_u32(&a[16]), 1u) << "numerics version";
  EXPECT_EQ(a[20], 24u) << "precision bits";
  EXPECT_EQ(a[21], 6u) << "name length";
  EXPECT_EQ(format::get_u16(&a[22]), 0u) << "reserved";
  EXPECT_EQ(format::get_u64(&a[24]), 0u) << "parameters";
  EXPECT_EQ(format::sha256_to_hex(&a[32]), "ab2788386ff91fd1123184cfe843bc08b60db5ea4a833dbdbf3ab8ac2d8117eb");
  EXPECT_EQ(std::string(a.begin() + 64, a.begin() + 70), "order0");
  EXPECT_EQ(format::get_u32(&a[70]), format::low32_xxh64(ByteView(a.data(), 70))) << "header checksum";
  // Index at 74: marker, count 0, original size 0, content XXH64 of nothing, checksum.
  EXPECT_EQ(a[74], 0xFF);
  EXPECT_EQ(a[75], 0x00);
  EXPECT_EQ(format::get_u64(&a[76]), 0u);
  EXPECT_EQ(format::get_u64(&a[84]), xxh64(ByteView()));
  EXPECT_EQ(format::get_u32(&a[92]), format::low32_xxh64(ByteView(a.data() + 74, 18)));
  // Footer: index size 22, its check, end magic.
  EXPECT_EQ(format::get_u64(&a[96]), 22u);
  EXPECT_EQ(format::get_u32(&a[104]), format::low32_xxh64(ByteView(a.data() + 96, 8)));
  EXPECT_EQ(std::string(a.begin() + 108, a.end()), "LMZ\x1a");
}

// A stored one-byte chunk: descriptor 0x80 (stored, short), raw size 1, checksum, the byte.
TEST(GoldenArchive, OneByteArchiveHasAStoredShortFrame) {
  const Bytes a = ::lmzip::test::read_file(golden_dir() / "one.bin.order1.lmz");
  const std::size_t frame = 64 + 6 + 4;
  EXPECT_EQ(a[frame], 0x80);
  EXPECT_EQ(a[frame + 1], 1u);
  EXPECT_EQ(format::get_u32(&a[frame + 2]), format::low32_xxh64(Bytes{0x42}));
  EXPECT_EQ(a[frame + 6], 0x42);
  EXPECT_EQ(a[frame + 7], 0xFF) << "the index follows";
  EXPECT_EQ(a[frame + 8], 1u) << "one chunk";
  EXPECT_EQ(a[frame + 9], 7u) << "frame size 7";
  EXPECT_EQ(a[frame + 10], 1u) << "raw size 1";
}

}  // namespace
}  // namespace lmzip::archive
