// The random byte source: golden values from the published splitmix64/xoshiro256** definitions.
#include <gtest/gtest.h>

#include <array>

#include "lmzip/data/dataset.h"
#include "lmzip/data/random_source.h"

namespace lmzip::data {
namespace {

TEST(RandomSource, Splitmix64GoldenValues) {
  std::uint64_t x = 0;
  EXPECT_EQ(splitmix64_next(x), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(splitmix64_next(x), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(splitmix64_next(x), 0x06C45D188009454Full);
  EXPECT_EQ(splitmix64_next(x), 0xF88BB8A8724C81ECull);
}

TEST(RandomSource, GoldenFirstBytesForSeedZero) {
  // xoshiro256** from state {splitmix64 outputs above}: 0x99EC5F36CB75F2B4, 0xBF6E1F784956452A,
  // each written least significant byte first (computed from the definition in docs/data.md).
  RandomSource rng(0);
  const Bytes expected = {0xb4, 0xf2, 0x75, 0xcb, 0x36, 0x5f, 0xec, 0x99,
                          0x2a, 0x45, 0x56, 0x49, 0x78, 0x1f, 0x6e, 0xbf};
  EXPECT_EQ(rng.bytes(16), expected);
  RandomSource again(0);
  EXPECT_EQ(again.next_u64(), 0x99EC5F36CB75F2B4ull);
  EXPECT_EQ(again.next_u64(), 0xBF6E1F784956452Aull);
}

TEST(RandomSource, SplittingTheStreamChangesNothing) {
  RandomSource whole(7);
  const Bytes all = whole.bytes(1000);
  RandomSource parts(7);
  Bytes joined;
  for (std::size_t n : {3u, 1u, 0u, 8u, 13u, 500u, 475u}) {
    const Bytes b = parts.bytes(n);
    joined.insert(joined.end(), b.begin(), b.end());
  }
  EXPECT_EQ(joined, all);
}

TEST(RandomSource, SeedsDifferAndLookUniform) {
  EXPECT_NE(RandomSource(1).bytes(64), RandomSource(2).bytes(64));
  const Bytes b = RandomSource(3).bytes(256 * 1024);
  std::array<std::size_t, 256> counts{};
  for (auto v : b) ++counts[v];
  for (std::size_t c : counts) {  // expected 1024 each; 6 sigma is about 190
    EXPECT_GT(c, 830u);
    EXPECT_LT(c, 1220u);
  }
}

TEST(RandomSource, DatasetStreamIsTheByteStream) {
  DatasetSpec spec = parse_dataset_arg("random=5000:9");
  auto stream = open_dataset(spec);
  ASSERT_EQ(stream->sources().size(), 1u);
  EXPECT_EQ(stream->sources()[0].path.string(), "random=5000:9");
  EXPECT_EQ(stream->sources()[0].size_bytes, 5000u);
  const Bytes expected = RandomSource(9).bytes(4096);
  Chunk c;
  ASSERT_TRUE(stream->next(c));
  EXPECT_EQ(c.bytes, Bytes(expected.begin(), expected.begin() + 2048));
  ASSERT_TRUE(stream->next(c));
  EXPECT_EQ(c.bytes, Bytes(expected.begin() + 2048, expected.end()));
  EXPECT_EQ(c.index_in_source, 1u);
  EXPECT_FALSE(stream->next(c));  // 5000 = 2 * 2048 + 904: the partial chunk is dropped
}

}  // namespace
}  // namespace lmzip::data
