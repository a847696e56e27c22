#include "lmzip/model/adaptive.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "lmzip/common/checksum.h"
#include "lmzip/error.h"

namespace lmzip::model {
namespace {

Bytes text_bytes(std::size_t n) {
  const std::string sentence = "the quick brown fox jumps over the lazy dog; a model learns the text as it goes. ";
  Bytes out;
  while (out.size() < n) out.push_back(static_cast<std::uint8_t>(sentence[out.size() % sentence.size()]));
  return out;
}

Bytes random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

void expect_valid(const coding::FrequencyTable& t) {
  ASSERT_EQ(t.cum.size(), 257u);
  EXPECT_EQ(t.cum[0], 0u);
  EXPECT_EQ(t.total(), 1u << 24);
  for (std::uint32_t s = 0; s < 256; ++s) ASSERT_LT(t.cum[s], t.cum[s + 1]) << "byte " << s << " has no slot";
}

TEST(AdaptiveOrderModel, IdentityIsTheDigestOfTheDescription) {
  const char* expected[] = {"ab2788386ff91fd1123184cfe843bc08b60db5ea4a833dbdbf3ab8ac2d8117eb",
                            "5cc51f0b5e0d6b27542ebc27ceafb6a4d7c8809c32a5c3d0e3e89b29c751465f",
                            "0f044ff8d71330b2586e73106f97df680833f16f8de8f845fdaa1d01c3c6ff40"};
  for (int k = 0; k <= 2; ++k) {
    AdaptiveOrderModel m(k);
    const ModelIdentity id = m.identity();
    EXPECT_EQ(id.name, "order" + std::to_string(k));
    EXPECT_EQ(AdaptiveOrderModel::canonical_description(k), "lmzip-builtin:order" + std::to_string(k) + ":v1");
    EXPECT_EQ(id.sha256, expected[k]) << "printf 'lmzip-builtin:order" << k << ":v1' | sha256sum";
    EXPECT_EQ(id.parameters, 0u);
    EXPECT_EQ(id.numerics_version, 1u);
    EXPECT_EQ(id.context, 0x7FFFFFFFu);
  }
}

TEST(AdaptiveOrderModel, RejectsOtherOrders) {
  EXPECT_THROW(AdaptiveOrderModel(-1), Error);
  EXPECT_THROW(AdaptiveOrderModel(3), Error);
}

TEST(AdaptiveOrderModel, EveryTableIsValid) {
  for (int k = 0; k <= 2; ++k) {
    AdaptiveOrderModel m(k);
    auto s = m.new_session();
    for (const Bytes& data : {text_bytes(3000), random_bytes(3000, 1), Bytes(6000, 0x41)}) {
      s->reset();
      for (std::uint8_t b : data) {
        expect_valid(s->next_table());
        s->feed(b);
      }
      expect_valid(s->next_table());
    }
  }
}

TEST(AdaptiveOrderModel, BatchedTablesEqualIncrementalOnes) {
  for (int k = 0; k <= 2; ++k) {
    AdaptiveOrderModel m(k);
    auto batched = m.new_session();
    auto incremental = m.new_session();
    const Bytes data = text_bytes(2500);
    incremental->reset();
    std::size_t calls = 0;
    batched->tables_for_chunk(data, [&](std::size_t i, const coding::FrequencyTable& t) {
      ASSERT_EQ(i, calls++);
      ASSERT_EQ(t.cum, incremental->next_table().cum) << "order " << k << " position " << i;
      incremental->feed(data[i]);
    });
    EXPECT_EQ(calls, data.size());
  }
}

TEST(AdaptiveOrderModel, ResetForgetsTheChunk) {
  AdaptiveOrderModel m(2);
  auto used = m.new_session();
  auto fresh = m.new_session();
  for (std::uint8_t b : random_bytes(5000, 7)) {
    used->next_table();
    used->feed(b);
  }
  used->reset();
  fresh->reset();
  const Bytes data = text_bytes(1000);
  for (std::uint8_t b : data) {
    ASSERT_EQ(used->next_table().cum, fresh->next_table().cum);
    used->feed(b);
    fresh->feed(b);
  }
}

TEST(AdaptiveOrderModel, LearnsWithinTheChunk) {
  for (int k = 0; k <= 2; ++k) {
    AdaptiveOrderModel m(k);
    auto s = m.new_session();
    s->reset();
    EXPECT_EQ(s->next_table().freq('a'), s->next_table().freq('b')) << "uniform before any byte";
    for (int i = 0; i < 100; ++i) s->feed('a');
    const auto& t = s->next_table();
    EXPECT_GT(static_cast<double>(t.freq('a')) / t.total(), 0.9) << "order " << k;
  }
}

TEST(AdaptiveOrderModel, HigherOrdersPredictTextBetter) {
  const Bytes data = text_bytes(2048);
  double bits[3] = {};
  for (int k = 0; k <= 2; ++k) {
    auto s = AdaptiveOrderModel(k).new_session();
    s->tables_for_chunk(data, [&](std::size_t i, const coding::FrequencyTable& t) {
      bits[k] += -std::log2(static_cast<double>(t.freq(data[i])) / t.total());
    });
  }
  EXPECT_LT(bits[1], bits[0]);
  EXPECT_LT(bits[2], bits[1]);
}

// The tables are part of the built-in models' identity: archives made by them decode only if
// these stay bit-identical. A change here needs a new description string (":v2"), see
// src/model/adaptive/blend_table.h.
TEST(AdaptiveOrderModel, TablesMatchTheirGoldenHashes) {
  const char* expected[] = {"e4af8fac275a590b", "0d9103da57ae8c18", "b8d46d5ee431b5ff"};
  Bytes data = text_bytes(3000);
  const Bytes noise = random_bytes(1000, 3);
  data.insert(data.end(), noise.begin(), noise.end());
  for (int k = 0; k <= 2; ++k) {
    auto s = AdaptiveOrderModel(k).new_session();
    Xxh64 h;
    s->tables_for_chunk(data, [&](std::size_t, const coding::FrequencyTable& t) {
      Bytes le;
      for (std::uint32_t c : t.cum) {
        for (int i = 0; i < 4; ++i) le.push_back(static_cast<std::uint8_t>(c >> (8 * i)));
      }
      h.update(le);
    });
    EXPECT_EQ(to_hex64(h.digest()), expected[k]) << "order " << k;
  }
}

}  // namespace
}  // namespace lmzip::model
