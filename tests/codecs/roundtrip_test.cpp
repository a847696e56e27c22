// Round trips of every registered codec on the block shapes the bench feeds them: empty, tiny,
// around the 2048-byte chunk size, random, text, long text and constant blocks; plus the
// raw_size contract and determinism.
#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>
#include <thread>

#include "codecs/codec_samples.h"
#include "lmzip/codecs/registry.h"
#include "lmzip/error.h"

namespace lmzip::codecs {
namespace {

using test::random_bytes;
using test::text_sample;

bool is_image_codec(const std::string& name) { return name == "png" || name == "png-64" || name == "jxl"; }

class CodecRoundTrip : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { codec_ = Registry::builtin().create(GetParam()); }

  // Compresses, decompresses with the right raw_size and expects the original back.
  void expect_round_trip(const Bytes& raw, const std::string& what) {
    SCOPED_TRACE(GetParam() + " on " + what + " (" + std::to_string(raw.size()) + " bytes)");
    Bytes packed = codec_->compress(raw);
    EXPECT_FALSE(packed.empty());
    Bytes restored = codec_->decompress(packed, raw.size());
    ASSERT_EQ(restored.size(), raw.size());
    EXPECT_TRUE(restored == raw);
  }

  std::unique_ptr<Codec> codec_;
};

TEST_P(CodecRoundTrip, NameAndDescription) {
  EXPECT_EQ(codec_->name(), GetParam());
  std::string description = codec_->description();
  EXPECT_FALSE(description.empty());
  // The library's version number is part of the description.
  bool has_digit = false;
  for (char c : description) has_digit = has_digit || std::isdigit(static_cast<unsigned char>(c));
  EXPECT_TRUE(has_digit) << description;
  EXPECT_EQ(codec_->parameter_count(), 0u);
}

TEST_P(CodecRoundTrip, EmptyBlock) { expect_round_trip(Bytes{}, "empty block"); }

TEST_P(CodecRoundTrip, OneByte) {
  for (int value : {0x00, 0x01, 0x7F, 0x80, 0xFF}) {
    expect_round_trip(Bytes{static_cast<std::uint8_t>(value)}, "byte " + std::to_string(value));
  }
}

TEST_P(CodecRoundTrip, SizesAroundTheChunk) {
  for (std::size_t n : {2047u, 2048u, 2049u}) expect_round_trip(text_sample(n, 5000), "text");
  for (std::size_t n : {2u, 31u, 33u, 63u, 65u}) expect_round_trip(random_bytes(n, 99), "random");
}

TEST_P(CodecRoundTrip, Random2048) { expect_round_trip(random_bytes(2048), "random bytes"); }

TEST_P(CodecRoundTrip, TextChunk2048) { expect_round_trip(text_sample(2048, 20000), "a text chunk"); }

TEST_P(CodecRoundTrip, Text64KiB) { expect_round_trip(text_sample(65536), "64 KiB of text"); }

TEST_P(CodecRoundTrip, ConstantBlocks) {
  expect_round_trip(Bytes(2048, 0x00), "zeros");
  expect_round_trip(Bytes(2048, 0xFF), "0xFF bytes");
  expect_round_trip(Bytes(5000, 0x00), "5000 zeros");
  expect_round_trip(Bytes(5000, 0xFF), "5000 0xFF bytes");
}

TEST_P(CodecRoundTrip, EveryByteValue) {
  Bytes ramp(4096);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<std::uint8_t>(i * 7 % 256);
  expect_round_trip(ramp, "a ramp over all byte values");
}

TEST_P(CodecRoundTrip, CompressesText) {
  Bytes text = text_sample(2048, 20000);
  Bytes packed = codec_->compress(text);
  EXPECT_LT(packed.size(), text.size()) << GetParam() << " does not shrink 2048 bytes of text";
  Bytes zeros(2048, 0);
  EXPECT_LT(codec_->compress(zeros).size(), 200u) << GetParam() << " does not shrink 2048 zeros";
}

TEST_P(CodecRoundTrip, Deterministic) {
  Bytes text = text_sample(2048, 40000);
  EXPECT_EQ(codec_->compress(text), codec_->compress(text));
  auto other = Registry::builtin().create(GetParam());
  EXPECT_EQ(codec_->compress(text), other->compress(text));
}

TEST_P(CodecRoundTrip, WrongRawSizeThrows) {
  Bytes text = text_sample(2048, 30000);  // text: no zero bytes, so padding checks see the truth
  Bytes packed = codec_->compress(text);
  EXPECT_THROW(codec_->decompress(packed, 2049), Error);
  EXPECT_THROW(codec_->decompress(packed, 2047), Error);
  EXPECT_THROW(codec_->decompress(packed, 4096), Error);
  EXPECT_THROW(codec_->decompress(packed, 1000), Error);
  EXPECT_THROW(codec_->decompress(packed, 0), Error);
  Bytes empty_packed = codec_->compress(Bytes{});
  if (is_image_codec(GetParam())) {
    // An image codec cannot tell zero bytes at the end from the zero padding of the last row:
    // the empty block is one zero row, which decodes as well to one zero byte.
    EXPECT_EQ(codec_->decompress(empty_packed, 1), Bytes{0});
    EXPECT_THROW(codec_->decompress(empty_packed, 65), Error);  // a second row
  } else {
    EXPECT_THROW(codec_->decompress(empty_packed, 1), Error);
  }
}

TEST_P(CodecRoundTrip, ErrorMessagesNameTheCodec) {
  Bytes packed = codec_->compress(text_sample(2048));
  try {
    codec_->decompress(packed, 2049);
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(GetParam() + ":", 0), 0u) << e.what();
  }
}

TEST_P(CodecRoundTrip, UsableFromSeveralThreads) {
  Bytes a = text_sample(2048, 0);
  Bytes b = random_bytes(2048, 5);
  Bytes pa;
  Bytes pb;
  std::thread t1([&] { pa = codec_->compress(a); });
  std::thread t2([&] { pb = codec_->compress(b); });
  t1.join();
  t2.join();
  EXPECT_EQ(codec_->decompress(pa, a.size()), a);
  EXPECT_EQ(codec_->decompress(pb, b.size()), b);
}

INSTANTIATE_TEST_SUITE_P(Builtin, CodecRoundTrip, ::testing::ValuesIn(test::builtin_codec_names()),
                         [](const auto& info) { return test::codec_param_name(info.param); });

}  // namespace
}  // namespace lmzip::codecs
