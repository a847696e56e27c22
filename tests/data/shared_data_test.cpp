// The real data in ../shared/data (skipped when absent): Kodak tiles, LibriSpeech chunks,
// Canterbury text chunks, every shared image and audio file decodes.
#include <gtest/gtest.h>

#include <sndfile.h>

#include "lmzip/data/audio.h"
#include "lmzip/data/dataset.h"
#include "lmzip/data/image.h"
#include "lmzip/data/tiler.h"
#include "test_support.h"

namespace lmzip::data {
namespace {

namespace fs = std::filesystem;

std::uint64_t count_chunks(ChunkStream& s) {
  std::uint64_t n = 0;
  Chunk c;
  while (s.next(c)) {
    EXPECT_EQ(c.bytes.size(), kChunkSize);
    ++n;
  }
  return n;
}

TEST(SharedData, Kodim01Tiles) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const fs::path file = data / "images/kodak/kodim01.png";
  if (!fs::exists(file)) GTEST_SKIP() << file << " absent";
  const GrayImage img = read_gray_image(file);
  EXPECT_EQ(img.width, 768u);
  EXPECT_EQ(img.height, 512u);
  auto stream = open_dataset(parse_dataset_arg("image=" + file.string()));
  EXPECT_EQ(count_chunks(*stream), (512u / 32u) * (768u / 64u));  // 16 * 12 = 192
}

TEST(SharedData, AllSharedImagesDecode) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  // skimage and imagecompression_info: RGB and gray PNGs, including a 2268x1512 pair whose gray
  // and RGB versions must have the same size. readme.txt inside is skipped by the extension rule.
  DatasetSpec spec = parse_dataset_arg("image=" + (data / "images/skimage").string() + "," +
                                       (data / "images/imagecompression_info").string());
  const auto files = list_files(spec);
  ASSERT_EQ(files.size(), 6u);
  for (const auto& f : files) {
    const GrayImage img = read_gray_image(f.path);
    EXPECT_EQ(img.pixels.size(), std::size_t{img.width} * img.height) << f.path;
    EXPECT_GT(img.width, 0u) << f.path;
  }
  const GrayImage camera = read_gray_image(data / "images/skimage/camera.png");
  EXPECT_EQ(camera.width, 512u);
  EXPECT_EQ(camera.height, 512u);
}

TEST(SharedData, LibriSpeechChunks) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const fs::path file = data / "audio/librispeech/2830-3980-0043.wav";
  if (!fs::exists(file)) GTEST_SKIP() << file << " absent";
  SF_INFO info{};
  SNDFILE* f = sf_open(file.c_str(), SFM_READ, &info);
  ASSERT_NE(f, nullptr);
  sf_close(f);
  ASSERT_EQ(info.samplerate, 16000);
  ASSERT_EQ(info.channels, 1);
  auto stream = open_dataset(parse_dataset_arg("audio=" + file.string()));
  EXPECT_EQ(count_chunks(*stream), static_cast<std::uint64_t>(info.frames) / 2048);
  EXPECT_FALSE(stream->sources()[0].resampled);
}

TEST(SharedData, AllSharedAudioDecodes) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const auto files = list_files(parse_dataset_arg("audio=" + (data / "audio").string()));
  EXPECT_GE(files.size(), 10u);  // 4 LibriSpeech + 5 LibriVox + jfk; "transcription" skipped
  for (const auto& f : files) {
    AudioInfo info;
    const Bytes u8 = read_audio_u8(f.path, info);
    EXPECT_EQ(u8.size(), info.frames) << f.path;  // all 16 kHz mono: nothing resampled
    EXPECT_FALSE(info.resampled) << f.path;
  }
}

TEST(SharedData, CanterburyTextChunks) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const fs::path dir = data / "text/canterbury";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " absent";
  auto stream = open_dataset(parse_dataset_arg("text=" + dir.string()));
  std::uint64_t expected = 0;
  for (const auto& s : stream->sources()) expected += s.size_bytes / 2048;
  EXPECT_EQ(stream->sources().size(), 4u);
  // 152089, 125179, 426754, 481861 bytes -> 74 + 61 + 208 + 235 chunks
  EXPECT_EQ(expected, 578u);
  EXPECT_EQ(count_chunks(*stream), expected);
}

}  // namespace
}  // namespace lmzip::data
