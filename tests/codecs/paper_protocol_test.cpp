#include "lmzip/codecs/paper_protocol.h"

#include <gtest/gtest.h>

#include <random>

#include "lmzip/codecs/registry.h"
#include "lmzip/error.h"

namespace lmzip::codecs {
namespace {

Bytes random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

TEST(PaperProtocol, SplitIsThePapersTransformAndMergeInvertsIt) {
  const Bytes raw{0x00, 0x41, 0x7F, 0x80, 0xC3, 0xA9, 0xFF};
  const SplitBytes text = split(raw, PaperProtocol::ClearTopBit);
  EXPECT_EQ(text.seven, (Bytes{0x00, 0x41, 0x7F, 0x00, 0x43, 0x29, 0x7F}));
  EXPECT_EQ(text.dropped, (Bytes{0, 0, 0, 1, 1, 1, 1}));
  const SplitBytes image = split(raw, PaperProtocol::DropLowBit);
  EXPECT_EQ(image.seven, (Bytes{0x00, 0x20, 0x3F, 0x40, 0x61, 0x54, 0x7F}));
  EXPECT_EQ(image.dropped, (Bytes{0, 1, 1, 0, 1, 1, 1}));
  for (PaperProtocol p : {PaperProtocol::ClearTopBit, PaperProtocol::DropLowBit}) {
    const Bytes r = random_bytes(5000, 1);
    const SplitBytes s = split(r, p);
    for (auto v : s.seven) ASSERT_LT(v, 128);
    EXPECT_EQ(merge(s.seven, s.dropped, p), r);
  }
  EXPECT_THROW(merge(Bytes{1, 2}, Bytes{0}, PaperProtocol::ClearTopBit), Error);
  EXPECT_THROW(merge(Bytes{200}, Bytes{0}, PaperProtocol::ClearTopBit), Error);
}

TEST(PaperProtocol, ModalityPicksTheProtocol) {
  EXPECT_EQ(paper_protocol_for("text"), PaperProtocol::ClearTopBit);
  EXPECT_EQ(paper_protocol_for("image"), PaperProtocol::DropLowBit);
  EXPECT_EQ(paper_protocol_for("audio"), PaperProtocol::DropLowBit);
}

TEST(PaperProtocol, DroppedBitsRoundTripAndCostWhatTheyCarry) {
  // ASCII text: all top bits 0 -> almost free. Noise: about one bit per bit.
  const Bytes zeros(100000, 0);
  const Bytes coded_zeros = code_dropped_bits(zeros);
  EXPECT_LT(coded_zeros.size(), 40u);
  EXPECT_EQ(decode_dropped_bits(coded_zeros, zeros.size()), zeros);
  Bytes noise = random_bytes(100000, 2);
  for (auto& b : noise) b &= 1;
  const Bytes coded_noise = code_dropped_bits(noise);
  EXPECT_GT(coded_noise.size(), 12400u);
  EXPECT_LT(coded_noise.size(), 12700u) << "within 1.6% of 1 bit per bit";
  EXPECT_EQ(decode_dropped_bits(coded_noise, noise.size()), noise);
  // Runs (as UTF-8 sequences give): half the bits are 1, but each repeats the previous one with
  // probability 0.95, so a context-free model pays 1 bit; the context model about H(0.05) = 0.29.
  Bytes runs;
  std::mt19937 rng(3);
  std::uint8_t bit = 0;
  for (int i = 0; i < 20000; ++i) {
    if (rng() % 100 < 5) bit ^= 1;
    runs.push_back(bit);
  }
  EXPECT_LT(code_dropped_bits(runs).size(), 20000u * 0.4 / 8);
  EXPECT_EQ(decode_dropped_bits(code_dropped_bits(runs), runs.size()), runs);
  EXPECT_THROW(code_dropped_bits(Bytes{0, 2}), Error);
}

TEST(PaperProtocol, Lm7CodecIsLosslessAndReportsThePapersAccounting) {
  auto codec = Registry::builtin().create("lm7:order2");
  EXPECT_EQ(codec->name(), "lm7:order2");
  EXPECT_TRUE(codec->codes_in_chunks());
  std::string text = "caf\xC3\xA9 na\xC3\xAFve r\xC3\xA9sum\xC3\xA9; the quick brown fox. ";
  Bytes raw;
  while (raw.size() < 4000) raw.insert(raw.end(), text.begin(), text.end());
  for (const char* modality : {"text", "image", "audio"}) {
    auto c = codec->for_modality(modality);
    ASSERT_TRUE(c);
    const Bytes packed = c->compress(raw);
    EXPECT_EQ(c->decompress(packed, raw.size()), raw) << modality;
    // The paper's figure is the 7-bit stream's archive x 8/7: the same model on the split bytes.
    const SplitBytes s = split(raw, paper_protocol_for(modality));
    const Bytes seven = Registry::builtin().create("lm:order2")->compress(s.seven);
    ASSERT_TRUE(c->paper_bytes(packed));
    EXPECT_DOUBLE_EQ(*c->paper_bytes(packed), seven.size() * 8.0 / 7.0) << modality;
    EXPECT_GT(packed.size(), seven.size()) << "the true size also holds the dropped bits";
  }
  EXPECT_FALSE(Registry::builtin().create("gzip")->paper_bytes(Bytes{1, 2}));
  EXPECT_FALSE(Registry::builtin().create("gzip")->for_modality("text"));
  // A damaged block is an error, not a wrong answer.
  Bytes packed = codec->compress(raw);
  packed.resize(1);
  EXPECT_THROW(codec->decompress(packed, raw.size()), Error);
}

}  // namespace
}  // namespace lmzip::codecs
