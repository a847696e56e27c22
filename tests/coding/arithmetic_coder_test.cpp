// Tests of the arithmetic coder: hand-checked bit patterns, round trips over random
// distributions and alphabets 1..65536, extreme skew, long streams, garbage input, and the
// overhead bound coded_bits <= ideal_bits * 1.001 + 10 (docs/coder.md derives it).
#include "lmzip/coding/arithmetic_coder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "coding_test_support.h"
#include "reference_coder.h"
#include "lmzip/error.h"

namespace lmzip::coding {
namespace {

using test::ideal_bits;
using test::Rng;

// Encodes symbols[i] with tables[table_of[i]], decodes with decode(), checks the round trip and
// the overhead bound. @return the coded bytes.
Bytes round_trip(const std::vector<FrequencyTable>& tables, const std::vector<std::uint32_t>& table_of,
                 const std::vector<std::uint32_t>& symbols) {
  ArithmeticEncoder enc;
  for (std::size_t i = 0; i < symbols.size(); ++i) enc.encode(tables[table_of[i]], symbols[i]);
  Bytes bytes = enc.finish();

  ArithmeticDecoder dec(bytes);
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const std::uint32_t s = dec.decode(tables[table_of[i]]);
    if (s != symbols[i]) {
      ADD_FAILURE() << "symbol " << i << " of " << symbols.size() << ": decoded " << s << ", encoded "
                    << symbols[i] << " (alphabet " << tables[table_of[i]].size() << ")";
      return bytes;
    }
  }
  if (!bytes.empty()) {
    EXPECT_NE(bytes.back(), 0) << "trailing zero bytes must be stripped";
  }

  const double ideal = ideal_bits(tables, table_of, symbols);
  const double coded = 8.0 * static_cast<double>(bytes.size());
  EXPECT_LE(coded, ideal * 1.001 + 10.0) << "ideal " << ideal << " bits, " << symbols.size() << " symbols";
  EXPECT_LE(static_cast<double>(bytes.size()), ideal * 1.001 / 8.0 + 4.0);
  return bytes;
}

Bytes round_trip(const FrequencyTable& table, const std::vector<std::uint32_t>& symbols) {
  return round_trip(std::vector<FrequencyTable>{table}, std::vector<std::uint32_t>(symbols.size(), 0), symbols);
}

FrequencyTable table_of_freqs(const std::vector<std::uint32_t>& freqs) {
  FrequencyTable t;
  t.cum.push_back(0);
  for (auto f : freqs) t.cum.push_back(t.cum.back() + f);
  return t;
}

// ---- hand-checked bit patterns: they pin the format -------------------------------------------

TEST(ArithmeticCoder, GoldenDyadicBits) {
  // With dyadic probabilities the coder is a prefix code: 1/2, 1/4, 1/8, 1/8 -> 0, 10, 110, 111.
  // 0,1,2,3,0 -> 0 10 110 111 0, no termination bit (low == 0, nothing pending), zero padding:
  // 01011011 10|000000 = 0x5B 0x80.
  const FrequencyTable t = table_of_freqs({32768, 16384, 8192, 8192});
  EXPECT_EQ(round_trip(t, {0, 1, 2, 3, 0}), (Bytes{0x5B, 0x80}));
  // 3,3 -> 111111|00 = 0xFC; 0,0,0 -> all zero bits -> stripped to nothing.
  EXPECT_EQ(round_trip(t, {3, 3}), (Bytes{0xFC}));
  EXPECT_EQ(round_trip(t, {0, 0, 0}), Bytes{});
}

TEST(ArithmeticCoder, GoldenPendingBits) {
  // Slots 1/4, 1/2, 1/4. Symbol 1 = [1/4, 3/4): the middle half, one pending bit. Then symbol 0
  // = [0, 1/4) of that: emit 0 plus the pending 1, then 0 -> 010|00000 = 0x40.
  const FrequencyTable t = table_of_freqs({16384, 32768, 16384});
  EXPECT_EQ(round_trip(t, {1, 0}), (Bytes{0x40}));
  // Symbol 1 alone: one pending bit; termination emits 1 and the pending 0 -> 10|000000 = 0x80.
  EXPECT_EQ(round_trip(t, {1}), (Bytes{0x80}));
  // Symbol 2 = [3/4, 1): emits 11, and termination needs nothing -> 0xC0.
  EXPECT_EQ(round_trip(t, {2}), (Bytes{0xC0}));
}

TEST(ArithmeticCoder, EmptyStreamIsEmpty) {
  ArithmeticEncoder enc;
  EXPECT_TRUE(enc.finish().empty());
  // The decoder of an empty input still answers (zeros): symbol 0 of any table.
  ArithmeticDecoder dec(ByteView{});
  EXPECT_EQ(dec.decode(quantize(std::vector<float>{0.5f, 0.5f})), 0u);
}

TEST(ArithmeticCoder, SingleSymbolAlphabetCostsNothing) {
  const FrequencyTable one = quantize(std::vector<float>{1.0f});
  ASSERT_EQ(one.freq(0), 1u << 24);
  EXPECT_TRUE(round_trip(one, std::vector<std::uint32_t>(100000, 0)).empty());
  // Interleaved with a real alphabet it adds nothing either.
  const FrequencyTable two = table_of_freqs({1u << 23, 1u << 23});
  std::vector<FrequencyTable> tables = {one, two};
  std::vector<std::uint32_t> which, symbols;
  for (int i = 0; i < 64; ++i) {
    which.push_back(i % 2);
    symbols.push_back(i % 2 ? (i / 2) % 2 : 0);
  }
  EXPECT_EQ(round_trip(tables, which, symbols).size(), 4u);  // 32 binary symbols = 4 bytes
}

TEST(ArithmeticCoder, EncoderIsReusableAfterFinish) {
  const FrequencyTable t = quantize(std::vector<float>{0.6f, 0.3f, 0.1f});
  ArithmeticEncoder enc;
  for (std::uint32_t s : {0u, 2u, 1u, 1u}) enc.encode(t, s);
  const Bytes first = enc.finish();
  for (std::uint32_t s : {0u, 2u, 1u, 1u}) enc.encode(t, s);
  EXPECT_EQ(enc.finish(), first);
  EXPECT_TRUE(enc.finish().empty());
}

TEST(ArithmeticCoder, RejectsInvalidSlots) {
  ArithmeticEncoder enc;
  EXPECT_THROW(enc.encode(0, 0, 16), Error);                 // empty slot
  EXPECT_THROW(enc.encode(10, 7, 16), Error);                // past the end
  EXPECT_THROW(enc.encode(0xFFFFFFFFu, 2, 16), Error);       // overflowing cum_low + freq
  EXPECT_THROW(enc.encode(0, 1, (1u << 24) + 1), Error);     // total too large
  EXPECT_NO_THROW(enc.encode(0, 1, 1u << 24));
  const FrequencyTable t = table_of_freqs({3, 0, 5});
  EXPECT_THROW(enc.encode(t, 3), Error);  // outside the alphabet
  EXPECT_THROW(enc.encode(t, 1), Error);  // zero frequency
  EXPECT_THROW(enc.encode(FrequencyTable{}, 0), Error);

  ArithmeticDecoder dec(ByteView{});
  EXPECT_THROW(dec.target(0), Error);
  EXPECT_THROW(dec.target((1u << 24) + 1), Error);
  EXPECT_THROW(dec.consume(5, 0, 16), Error);
  EXPECT_THROW(dec.decode(FrequencyTable{}), Error);
  EXPECT_THROW(dec.decode(table_of_freqs({0, 0})), Error);  // total 0
}

TEST(ArithmeticCoder, SplitDecodeApiMatchesDecode) {
  Rng rng(11);
  std::vector<float> probs;
  std::vector<FrequencyTable> tables(8);
  for (auto& t : tables) {
    test::random_distribution(rng, 2 + rng.below(300), probs);
    quantize(probs, t);
  }
  std::vector<std::uint32_t> which, symbols;
  for (int i = 0; i < 5000; ++i) {
    which.push_back(rng.below(8));
    symbols.push_back(test::sample(rng, tables[which.back()]));
  }
  const Bytes bytes = round_trip(tables, which, symbols);
  ArithmeticDecoder dec(bytes);
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const FrequencyTable& t = tables[which[i]];
    const std::uint32_t target = dec.target(t.total());
    ASSERT_LT(target, t.total());
    const std::uint32_t s = t.symbol_for(target);
    ASSERT_EQ(s, symbols[i]) << i;
    dec.consume(t.low(s), t.freq(s), t.total());
  }
}

// ---- the bulk renormalisation equals the textbook loop ----------------------------------------

TEST(ArithmeticCoder, SameBytesAsTextbookCoder) {
  Rng rng(606);
  std::vector<float> probs;
  FrequencyTable t;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::uint32_t n = 1 + rng.below(trial % 3 == 0 ? 4 : (trial % 3 == 1 ? 300 : 65536));
    test::random_distribution(rng, n, probs);
    unsigned min_bits = 16;
    while ((std::uint64_t{1} << min_bits) < 2ull * n) ++min_bits;
    quantize(probs, t, min_bits + rng.below(25 - min_bits));
    // Also a total that is not a power of two (the division path), by dropping a symbol's mass.
    const bool odd_total = n > 1 && rng.below(2);
    std::vector<std::uint32_t> freqs;
    for (std::uint32_t s = 0; s < n; ++s) freqs.push_back(t.freq(s));
    if (odd_total) freqs[0] = std::max<std::uint32_t>(1, freqs[0] - 1 - rng.below(freqs[0]));
    FrequencyTable u;
    u.cum.push_back(0);
    for (auto f : freqs) u.cum.push_back(u.cum.back() + f);

    ArithmeticEncoder enc;
    test::ReferenceEncoder ref;
    std::vector<std::uint32_t> symbols(1 + rng.below(3000));
    for (auto& s : symbols) {
      s = rng.below(8) ? test::sample(rng, u) : rng.below(n);
      enc.encode(u, s);
      ref.encode(u.low(s), u.freq(s), u.total());
    }
    const Bytes bytes = enc.finish();
    ASSERT_EQ(bytes, ref.finish()) << "trial " << trial << ", alphabet " << n;

    // Decoding garbage (and the real stream) must follow the textbook decoder symbol by symbol.
    Bytes garbage(rng.below(40));
    for (auto& b : garbage) b = static_cast<std::uint8_t>(rng.below(256));
    for (const Bytes* input : {&bytes, static_cast<const Bytes*>(&garbage)}) {
      ArithmeticDecoder dec(*input);
      test::ReferenceDecoder ref_dec(*input);
      for (std::size_t i = 0; i < symbols.size(); ++i) {
        const std::uint32_t target = dec.target(u.total());
        ASSERT_EQ(target, ref_dec.target(u.total())) << "trial " << trial << " symbol " << i;
        // Sometimes consume a wrong slot on purpose: value leaves the interval; still identical.
        const std::uint32_t s = rng.below(16) ? u.symbol_for(target) : rng.below(n);
        if (u.freq(s) == 0) continue;
        dec.consume(u.low(s), u.freq(s), u.total());
        ref_dec.consume(u.low(s), u.freq(s), u.total());
      }
    }
  }
}

// ---- many random round trips ---------------------------------------------------------------

TEST(ArithmeticCoder, HundredThousandRandomRoundTrips) {
  // Alphabet sizes log-uniform in 2..65536; every trial draws 1..4 tables of a random shape
  // (flat, power-skewed, Zipf, one dominant symbol, sparse, unnormalised with clamping) and a
  // stream that switches tables at random, as a model does at every step. Three quarters of the
  // symbols are drawn from the table, one quarter uniformly (so unlikely symbols get coded).
  // Big alphabets get short streams to keep the test fast.
  Rng rng(20240601);
  std::vector<float> probs;
  std::vector<FrequencyTable> tables;
  std::vector<std::uint32_t> which, symbols;
  std::uint64_t total_symbols = 0;
  const int kTrials = 100000;
  for (int trial = 0; trial < kTrials; ++trial) {
    const auto n = static_cast<std::uint32_t>(
        std::clamp(std::round(std::exp(rng.uniform() * std::log(65536.0 / 2.0)) * 2.0), 2.0, 65536.0));
    const std::uint32_t table_count = n <= 4096 ? 1 + rng.below(4) : 1;
    tables.resize(table_count);
    for (auto& t : tables) {
      test::random_distribution(rng, n, probs);
      quantize(probs, t);
    }
    const std::uint32_t cap = std::clamp<std::uint32_t>(65536 / n, 8, 1000);
    const std::uint32_t length = 1 + rng.below(cap);
    which.resize(length);
    symbols.resize(length);
    for (std::uint32_t i = 0; i < length; ++i) {
      which[i] = rng.below(table_count);
      symbols[i] = rng.below(4) ? test::sample(rng, tables[which[i]]) : rng.below(n);
    }
    total_symbols += length;
    round_trip(tables, which, symbols);
    if (HasFailure()) {
      ADD_FAILURE() << "trial " << trial << ", alphabet " << n << ", " << length << " symbols";
      return;
    }
  }
  RecordProperty("symbols", std::to_string(total_symbols));
}

// ---- extreme distributions -------------------------------------------------------------------

TEST(ArithmeticCoder, ExtremeSkewBothSymbols) {
  const FrequencyTable t = quantize(std::vector<float>{1.0f - 1e-7f, 1e-9f});
  ASSERT_EQ(t.freq(1), 1u);
  std::vector<std::uint32_t> symbols(1000000, 0);
  // Mostly the likely symbol (8.6e-8 bits each), the unlikely one (24 bits) now and then,
  // including at the very start and end, and in a run.
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{777}, std::size_t{500000},
                        std::size_t{999999}}) {
    symbols[i] = 1;
  }
  const Bytes bytes = round_trip(t, symbols);
  EXPECT_LE(bytes.size(), 6u * 24 / 8 + 2);
  // Only likely symbols: a million of them cost less than one bit.
  EXPECT_LE(round_trip(t, std::vector<std::uint32_t>(1000000, 0)).size(), 1u);
  // Only unlikely symbols: 24 bits each.
  EXPECT_EQ(round_trip(t, std::vector<std::uint32_t>(1000, 1)).size(), 3000u);
}

TEST(ArithmeticCoder, ExtremeSkewLargeAlphabet) {
  std::vector<float> p(65536, 1e-9f);
  p[40000] = 1.0f - 1e-7f;
  const FrequencyTable t = quantize(p);
  ASSERT_EQ(t.freq(0), 1u);
  Rng rng(5);
  std::vector<std::uint32_t> symbols(200000, 40000);
  for (int k = 0; k < 300; ++k) symbols[rng.below(200000)] = rng.below(65536);
  round_trip(t, symbols);
}

TEST(ArithmeticCoder, LongPendingRun) {
  // Symbol 1 of {1/4, 1/2, 1/4} keeps the interval in the middle half: one pending bit each.
  const FrequencyTable t = table_of_freqs({1u << 22, 1u << 23, 1u << 22});
  std::vector<std::uint32_t> symbols(1000000, 1);
  // Ended there, the value 1/2 lies in every interval: 1 byte for a million symbols.
  EXPECT_EQ(round_trip(t, symbols), (Bytes{0x80}));
  // A final symbol 0 flushes a million pending bits: 0 then 1,000,000 ones.
  symbols.push_back(0);
  const Bytes bytes = round_trip(t, symbols);
  EXPECT_EQ(bytes.size(), 125001u);
  EXPECT_EQ(bytes[0], 0x7F);
  EXPECT_EQ(bytes[1], 0xFF);
}

TEST(ArithmeticCoder, MinimumPrecisionTables) {
  Rng rng(77);
  std::vector<float> probs;
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint32_t n = 1 + rng.below(32768);
    test::random_distribution(rng, n, probs);
    const FrequencyTable t = quantize(probs, 16);
    std::vector<std::uint32_t> symbols(1 + rng.below(200));
    for (auto& s : symbols) s = test::sample(rng, t);
    round_trip(t, symbols);
  }
}

// ---- a long stream --------------------------------------------------------------------------

TEST(ArithmeticCoder, TenMegabyteStream) {
  // 10,000,000 byte symbols, each coded with one of 16 Zipf-like tables chosen by the previous
  // symbol (a crude context model), so the distribution changes at every step.
  Rng rng(31337);
  std::vector<FrequencyTable> tables(16);
  std::vector<float> probs(256);
  for (std::uint32_t c = 0; c < 16; ++c) {
    for (std::uint32_t i = 0; i < 256; ++i) {
      probs[(i + 17 * c) % 256] = 1.0f / std::pow(static_cast<float>(i + 1), 1.0f + 0.1f * c);
    }
    quantize(probs, tables[c]);
  }
  const std::size_t kCount = 10'000'000;
  std::vector<std::uint32_t> which(kCount), symbols(kCount);
  std::uint32_t previous = 0;
  for (std::size_t i = 0; i < kCount; ++i) {
    which[i] = previous % 16;
    symbols[i] = previous = test::sample(rng, tables[which[i]]);
  }
  const auto start = std::chrono::steady_clock::now();
  const Bytes bytes = round_trip(tables, which, symbols);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double ideal = ideal_bits(tables, which, symbols);
  std::printf("10 MB stream: %zu bytes coded, ideal %.1f bytes, overhead %+.6f%% (%+.1f bytes), "
              "encode+decode %.2f s\n",
              bytes.size(), ideal / 8, 100.0 * (8.0 * bytes.size() - ideal) / ideal, bytes.size() - ideal / 8,
              seconds);
}

// ---- hostile input ---------------------------------------------------------------------------

TEST(ArithmeticCoder, GarbageInputNeverCrashes) {
  Rng rng(4242);
  std::vector<float> probs;
  std::vector<FrequencyTable> tables;
  for (std::uint32_t n : {1u, 2u, 3u, 256u, 65536u}) {
    test::random_distribution(rng, n, probs);
    tables.push_back(quantize(probs));
  }
  tables.push_back(quantize(std::vector<float>{1.0f - 1e-7f, 1e-9f}));
  tables.push_back(table_of_freqs({0, 5, 0, 0, 11, 0}));  // hand-made, with empty slots
  for (int trial = 0; trial < 2000; ++trial) {
    Bytes garbage(rng.below(64));
    for (auto& b : garbage) b = static_cast<std::uint8_t>(rng.below(256));
    if (trial % 4 == 0) std::fill(garbage.begin(), garbage.end(), 0xFF);
    ArithmeticDecoder dec(garbage);
    for (int i = 0; i < 500; ++i) {
      const FrequencyTable& t = tables[rng.below(static_cast<std::uint32_t>(tables.size()))];
      const std::uint32_t s = dec.decode(t);
      ASSERT_LT(s, t.size());
      ASSERT_GT(t.freq(s), 0u);
    }
  }
}

TEST(ArithmeticCoder, WrongConsumeStaysInBounds) {
  // A caller that consumes slots unrelated to target() gets garbage, but never a crash or an
  // out-of-range target.
  Rng rng(8);
  Bytes bytes(32);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.below(256));
  ArithmeticDecoder dec(bytes);
  for (int i = 0; i < 100000; ++i) {
    const std::uint32_t total = 1 + rng.below(1u << 24);
    ASSERT_LT(dec.target(total), total);
    const std::uint32_t cum_low = rng.below(total);
    dec.consume(cum_low, 1 + rng.below(total - cum_low), total);
  }
}

TEST(ArithmeticCoder, AppendedZeroBytesChangeNothing) {
  Rng rng(19);
  std::vector<float> probs;
  test::random_distribution(rng, 1000, probs);
  const FrequencyTable t = quantize(probs);
  std::vector<std::uint32_t> symbols(3000);
  for (auto& s : symbols) s = test::sample(rng, t);
  Bytes bytes = round_trip(t, symbols);
  bytes.resize(bytes.size() + 100, 0);
  ArithmeticDecoder dec(bytes);
  for (std::size_t i = 0; i < symbols.size(); ++i) ASSERT_EQ(dec.decode(t), symbols[i]) << i;
}

}  // namespace
}  // namespace lmzip::coding
