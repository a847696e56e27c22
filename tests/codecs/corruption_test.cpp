// Damaged input to decompress(): truncations, bit flips and garbage must end in lmzip::Error or
// in exactly raw_size bytes, never in a crash, a hang or another exception type. Codecs whose
// containers carry checksums must also detect every damage to the middle of the stream.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "codecs/codec_samples.h"
#include "lmzip/codecs/registry.h"
#include "lmzip/error.h"

namespace lmzip::codecs {
namespace {

using test::random_bytes;
using test::text_sample;

// Codecs with checksums over the whole payload: CRC-32 (gzip, bzip2), CRC-64 (xz), chunk CRCs and
// Adler-32 (PNG), frame CRCs and the MD5 of the samples (FLAC).
const std::set<std::string> kChecksummed = {"gzip", "xz", "xz-9e", "png", "png-64", "flac", "bzip2"};

enum class Outcome { kError, kDecoded };

class CodecCorruption : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { codec_ = Registry::builtin().create(GetParam()); }

  // Decompresses damaged input: either lmzip::Error or exactly raw_size bytes. Any other
  // exception fails the test (gtest reports it).
  Outcome attempt(ByteView packed, std::size_t raw_size, const std::string& what) {
    try {
      Bytes out = codec_->decompress(packed, raw_size);
      EXPECT_EQ(out.size(), raw_size) << GetParam() << ": " << what;
      return Outcome::kDecoded;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind(GetParam() + ":", 0), 0u) << e.what();
      return Outcome::kError;
    }
  }

  std::unique_ptr<Codec> codec_;
};

TEST_P(CodecCorruption, EveryTruncationThrows) {
  Bytes raw = text_sample(2048, 60000);
  Bytes packed = codec_->compress(raw);
  for (std::size_t keep = 0; keep < packed.size(); ++keep) {
    Outcome outcome = attempt(ByteView(packed).first(keep), raw.size(), "cut to " + std::to_string(keep));
    EXPECT_EQ(outcome, Outcome::kError) << GetParam() << " accepted the stream cut to " << keep << " of "
                                        << packed.size() << " bytes";
  }
}

TEST_P(CodecCorruption, BitFlipsNeverCrash) {
  Bytes raw = text_sample(2048, 70000);
  Bytes packed = codec_->compress(raw);
  std::size_t detected = 0;
  std::size_t tried = 0;
  std::size_t middle_missed = 0;
  for (std::size_t pos = 0; pos < packed.size(); ++pos) {
    Bytes damaged = packed;
    damaged[pos] ^= static_cast<std::uint8_t>(1u << (pos % 8));
    std::string what = "bit " + std::to_string(pos % 8) + " of byte " + std::to_string(pos) + " flipped";
    Outcome outcome = attempt(damaged, raw.size(), what);
    ++tried;
    if (outcome == Outcome::kError) {
      ++detected;
    } else if (pos >= packed.size() / 4 && pos < packed.size() * 3 / 4) {
      ++middle_missed;
    }
  }
  if (kChecksummed.count(GetParam())) {
    EXPECT_EQ(middle_missed, 0u) << GetParam() << " decoded " << middle_missed << " flips in the middle of the stream";
  }
  RecordProperty("detected_flips", std::to_string(detected) + "/" + std::to_string(tried));
}

TEST_P(CodecCorruption, GarbageNeverCrashes) {
  for (std::size_t n : {0u, 1u, 2u, 4u, 13u, 100u, 1000u, 5000u}) {
    for (std::uint32_t seed : {1u, 2u, 3u}) {
      Bytes garbage = random_bytes(n, seed);
      attempt(garbage, 2048, "garbage of " + std::to_string(n) + " bytes");
      attempt(garbage, 0, "garbage of " + std::to_string(n) + " bytes");
    }
  }
  // A valid header followed by garbage.
  Bytes packed = codec_->compress(text_sample(2048));
  for (std::size_t keep : {4u, 8u, 16u, 40u, 80u}) {
    if (keep >= packed.size()) continue;
    Bytes spliced(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(keep));
    Bytes tail = random_bytes(packed.size() - keep, static_cast<std::uint32_t>(keep));
    spliced.insert(spliced.end(), tail.begin(), tail.end());
    attempt(spliced, 2048, "header of " + std::to_string(keep) + " bytes + garbage");
  }
}

TEST_P(CodecCorruption, TrailingBytesAreRejected) {
  Bytes raw = text_sample(2048);
  Bytes packed = codec_->compress(raw);
  Bytes doubled = packed;
  doubled.insert(doubled.end(), packed.begin(), packed.end());
  EXPECT_EQ(attempt(doubled, raw.size(), "two streams"), Outcome::kError);
  for (std::uint8_t extra : {0x00, 0x5A, 0xFF}) {
    Bytes padded = packed;
    padded.push_back(extra);
    EXPECT_EQ(attempt(padded, raw.size(), "one trailing byte"), Outcome::kError) << int{extra};
  }
  Bytes empty_packed = codec_->compress(Bytes{});
  empty_packed.push_back(0);
  EXPECT_EQ(attempt(empty_packed, 0, "the empty block's stream + one byte"), Outcome::kError);
}

INSTANTIATE_TEST_SUITE_P(Builtin, CodecCorruption, ::testing::ValuesIn(test::builtin_codec_names()),
                         [](const auto& info) { return test::codec_param_name(info.param); });

}  // namespace
}  // namespace lmzip::codecs
