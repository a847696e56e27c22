// Audio reading: WAV/FLAC files written here with libsndfile; exact bytes for 16 kHz input,
// floor-mean mono mixing, libsoxr resampling lengths, float input, and broken files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "data_test_util.h"
#include "lmzip/data/audio.h"
#include "lmzip/data/dataset.h"
#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::data {
namespace {

// (s >> 8) + 128 written out by cases: the high byte of the two's complement sample, plus 128.
std::uint8_t expected_u8(int s) {
  const int high = s >= 0 ? s / 256 : -((-s + 255) / 256);  // floor(s / 256)
  return static_cast<std::uint8_t>(high + 128);
}

TEST(AudioU8, HighBytePlus128) {
  EXPECT_EQ(audio_u8_of_int16(0), 128);
  EXPECT_EQ(audio_u8_of_int16(255), 128);
  EXPECT_EQ(audio_u8_of_int16(256), 129);
  EXPECT_EQ(audio_u8_of_int16(-1), 127);
  EXPECT_EQ(audio_u8_of_int16(-256), 127);
  EXPECT_EQ(audio_u8_of_int16(-257), 126);
  EXPECT_EQ(audio_u8_of_int16(32767), 255);
  EXPECT_EQ(audio_u8_of_int16(-32768), 0);
  for (int s = -32768; s <= 32767; s += 97) EXPECT_EQ(audio_u8_of_int16(static_cast<std::int16_t>(s)), expected_u8(s));
}

TEST(AudioReader, Mono16kIsExact) {
  test::TempDir dir;
  std::vector<std::int16_t> samples;
  for (int i = 0; i < 3000; ++i) samples.push_back(static_cast<std::int16_t>((i * 7919) % 65536 - 32768));
  samples[0] = -1;
  samples[1] = 255;
  samples[2] = -257;
  test::write_audio(dir / "mono.wav", 16000, 1, samples);
  AudioInfo info;
  const Bytes u8 = read_audio_u8(dir / "mono.wav", info);
  ASSERT_EQ(u8.size(), samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) ASSERT_EQ(u8[i], expected_u8(samples[i])) << i;
  EXPECT_EQ(info.original_rate, 16000);
  EXPECT_EQ(info.channels, 1);
  EXPECT_EQ(info.frames, 3000u);
  EXPECT_FALSE(info.resampled);

  // The same samples in FLAC decode to the same bytes.
  test::write_audio(dir / "mono.flac", 16000, 1, samples, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  EXPECT_EQ(read_audio_u8(dir / "mono.flac"), u8);
}

TEST(AudioReader, StereoIsFloorMean) {
  test::TempDir dir;
  // Frames (L, R): means -0.5 -> -1 (u8 127, where truncation towards 0 would give 128),
  // 511.5 -> 511 (u8 129), -32768, 32767, -256.5 -> -257 (u8 126).
  const std::vector<std::int16_t> lr = {-1, 0, 511, 512, -32768, -32768, 32767, 32767, -256, -257};
  test::write_audio(dir / "stereo.wav", 16000, 2, lr);
  AudioInfo info;
  EXPECT_EQ(read_audio_u8(dir / "stereo.wav", info), (Bytes{127, 129, 0, 255, 126}));
  EXPECT_EQ(info.channels, 2);
  EXPECT_EQ(mix_to_mono(lr.data(), 5, 2), (std::vector<std::int16_t>{-1, 511, -32768, 32767, -257}));
  const std::vector<std::int16_t> three = {1, 1, 0, -1, -1, 0};
  EXPECT_EQ(mix_to_mono(three.data(), 2, 3), (std::vector<std::int16_t>{0, -1}));  // 2/3, -2/3
}

void check_resampled_length(int rate, std::size_t frames) {
  test::TempDir dir;
  std::vector<std::int16_t> tone;
  for (std::size_t i = 0; i < frames; ++i) {
    tone.push_back(static_cast<std::int16_t>(8000.0 * std::sin(2 * std::numbers::pi * 440.0 * i / rate)));
  }
  const auto file = dir / ("tone" + std::to_string(rate) + ".wav");
  test::write_audio(file, rate, 1, tone);
  AudioInfo info;
  const Bytes u8 = read_audio_u8(file, info);
  EXPECT_TRUE(info.resampled);
  EXPECT_EQ(info.original_rate, rate);
  const double expected = static_cast<double>(frames) * 16000 / rate;
  EXPECT_NEAR(static_cast<double>(u8.size()), expected, 2.0) << rate;
  // A 440 Hz tone of amplitude 8000 stays a tone: the bytes span about 128 +- 31.
  const auto [lo, hi] = std::minmax_element(u8.begin() + 100, u8.end() - 100);
  EXPECT_NEAR(*lo, 128 - 32, 2);
  EXPECT_NEAR(*hi, 128 + 31, 2);
}

TEST(AudioReader, ResamplesTo16k) {
  check_resampled_length(8000, 8000);
  check_resampled_length(44100, 44100);
  check_resampled_length(22050, 11025);
}

TEST(AudioReader, FloatSamplesAreScaled) {
  test::TempDir dir;
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  const auto file = dir / "float.wav";
  SNDFILE* f = sf_open(file.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr);
  const float v[5] = {0.5f, -0.5f, 0.0f, 1.0f, -1.0f};
  sf_writef_float(f, v, 5);
  sf_close(f);
  // floor(32768 x) -> 16384, -16384, 0, 32767 (clamped), -32768; then (s >> 8) + 128.
  EXPECT_EQ(read_audio_u8(file), (Bytes{192, 64, 128, 255, 0}));
}

TEST(AudioReader, BrokenFilesNameTheFile) {
  test::TempDir dir;
  std::vector<std::int16_t> samples(10000, 1234);
  test::write_audio(dir / "good.wav", 16000, 1, samples);
  const Bytes good = test::read_file(dir / "good.wav");
  const auto expect_error = [&](const std::string& name, const Bytes& content) {
    test::write_file(dir / name, content);
    try {
      read_audio_u8(dir / name);
      ADD_FAILURE() << name << ": no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  expect_error("half.wav", Bytes(good.begin(), good.begin() + good.size() / 2));
  expect_error("header_only.wav", Bytes(good.begin(), good.begin() + 30));
  expect_error("noise.wav", Bytes(500, 0x55));
  expect_error("empty.wav", Bytes{});
  test::write_audio(dir / "good.flac", 16000, 1, samples, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  const Bytes flac = test::read_file(dir / "good.flac");
  expect_error("half.flac", Bytes(flac.begin(), flac.begin() + flac.size() / 2));
}

TEST(AudioStream, ChunksAndResampleFlag) {
  test::TempDir dir;
  std::vector<std::int16_t> samples;
  for (int i = 0; i < 5000; ++i) samples.push_back(static_cast<std::int16_t>(i * 13 - 30000));
  test::write_audio(dir / "a.wav", 16000, 1, samples);
  test::write_audio(dir / "b.wav", 8000, 1, std::vector<std::int16_t>(3000, 100));
  auto stream = open_dataset(parse_dataset_arg("audio=" + dir.path().string()));
  Chunk c;
  std::vector<Chunk> chunks;
  while (stream->next(c)) chunks.push_back(c);
  // a.wav: 5000 samples -> 2 chunks; b.wav: 3000 at 8 kHz -> about 6000 at 16 kHz -> 2 chunks.
  ASSERT_EQ(chunks.size(), 4u);
  for (std::size_t i = 0; i < 2048; ++i) {
    ASSERT_EQ(chunks[0].bytes[i], expected_u8(samples[i]));
    ASSERT_EQ(chunks[1].bytes[i], expected_u8(samples[2048 + i]));
  }
  EXPECT_EQ(chunks[3].source_index, 1u);
  const auto& src = stream->sources();
  EXPECT_FALSE(src[0].resampled);
  EXPECT_TRUE(src[1].resampled);
  EXPECT_EQ(src[1].sample_rate, 8000);
  EXPECT_EQ(src[1].channels, 1);
}

}  // namespace
}  // namespace lmzip::data
