// open_dataset for text (chunking, dropped partial chunks, several files), max_chunks, errors.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "lmzip/data/dataset.h"
#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::data {
namespace {

Bytes counting_bytes(std::size_t n, unsigned salt) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 131 + salt) % 256);
  return b;
}

std::vector<Chunk> drain(ChunkStream& s) {
  std::vector<Chunk> out;
  Chunk c;
  while (s.next(c)) out.push_back(c);
  return out;
}

TEST(TextStream, FiveThousandBytesGiveTwoChunks) {
  test::TempDir dir;
  const Bytes data = counting_bytes(5000, 1);
  test::write_file(dir / "t.txt", data);
  auto stream = open_dataset(parse_dataset_arg("text=" + (dir / "t.txt").string()));
  const auto chunks = drain(*stream);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].bytes, Bytes(data.begin(), data.begin() + 2048));
  EXPECT_EQ(chunks[1].bytes, Bytes(data.begin() + 2048, data.begin() + 4096));
  EXPECT_EQ(chunks[1].index_in_source, 1u);
  EXPECT_EQ(stream->sources().at(0).size_bytes, 5000u);
  EXPECT_EQ(stream->sources().at(0).chunks, 2u);
}

TEST(TextStream, EachFileDropsItsOwnPartialChunk) {
  test::TempDir dir;
  const Bytes a = counting_bytes(2048 * 2, 2);  // exact multiple: nothing dropped
  const Bytes b = counting_bytes(100, 3);       // shorter than a chunk: no chunk
  const Bytes c = counting_bytes(2048 + 2047, 4);
  test::write_file(dir / "a", a);
  test::write_file(dir / "b", b);
  test::write_file(dir / "c", c);
  test::write_file(dir / "d", Bytes{});
  DatasetSpec spec = parse_dataset_arg("text=" + dir.path().string());
  auto stream = open_dataset(spec);
  const auto chunks = drain(*stream);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].source_index, 0u);
  EXPECT_EQ(chunks[1].source_index, 0u);
  EXPECT_EQ(chunks[2].source_index, 2u);
  EXPECT_EQ(chunks[2].bytes, Bytes(c.begin(), c.begin() + 2048));  // not joined with a's tail
  ASSERT_EQ(stream->sources().size(), 4u);
  EXPECT_EQ(stream->sources()[1].chunks, 0u);
}

TEST(TextStream, OtherChunkSizes) {
  test::TempDir dir;
  const Bytes data = counting_bytes(1000, 5);
  test::write_file(dir / "t", data);
  DatasetSpec spec = parse_dataset_arg("text=" + (dir / "t").string());
  spec.chunk_size = 300;
  auto stream = open_dataset(spec);
  const auto chunks = drain(*stream);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[2].bytes, Bytes(data.begin() + 600, data.begin() + 900));
  spec.chunk_size = 0;
  EXPECT_THROW(open_dataset(spec), Error);
}

TEST(ChunkStream, MaxChunksStopsEarly) {
  test::TempDir dir;
  test::write_file(dir / "a", counting_bytes(2048 * 3, 6));
  test::write_file(dir / "b", counting_bytes(2048 * 3, 7));
  DatasetSpec spec = parse_dataset_arg("text=" + dir.path().string());
  spec.max_chunks = 4;
  auto stream = open_dataset(spec);
  const auto chunks = drain(*stream);
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_EQ(chunks[3].source_index, 1u);
  EXPECT_EQ(chunks[3].index_in_source, 0u);
  Chunk c;
  EXPECT_FALSE(stream->next(c));  // stays ended

  DatasetSpec r = parse_dataset_arg("random=1Mi:3");
  r.max_chunks = 5;
  EXPECT_EQ(drain(*open_dataset(r)).size(), 5u);
  r.max_chunks = 1000;  // more than the data set holds
  EXPECT_EQ(drain(*open_dataset(r)).size(), 512u);
}

TEST(ChunkStream, ImageChunkSizeIsFixed) {
  test::TempDir dir;
  DatasetSpec spec;
  spec.modality = Modality::image;
  spec.paths = {dir.path()};
  spec.chunk_size = 1024;
  EXPECT_THROW(open_dataset(spec), Error);
}

TEST(ChunkStream, FileVanishingMidStreamNamesIt) {
  test::TempDir dir;
  test::write_file(dir / "a", counting_bytes(4096, 8));
  test::write_file(dir / "gone.txt", counting_bytes(4096, 9));
  auto stream = open_dataset(parse_dataset_arg("text=" + dir.path().string()));
  Chunk c;
  ASSERT_TRUE(stream->next(c));
  std::filesystem::remove(dir / "gone.txt");
  ASSERT_TRUE(stream->next(c));
  try {
    stream->next(c);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gone.txt"), std::string::npos) << e.what();
  }
}

TEST(ChunkStream, CorruptImageMidStreamNamesIt) {
  test::TempDir dir;
  test::write_file(dir / "broken.png", Bytes{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});
  auto stream = open_dataset(parse_dataset_arg("image=" + dir.path().string()));
  Chunk c;
  try {
    stream->next(c);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.png"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lmzip::data
