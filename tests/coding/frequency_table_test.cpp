// Tests of the quantiser (float probabilities -> integer frequencies) and FrequencyTable lookup.
#include "lmzip/coding/frequency_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "coding_test_support.h"
#include "lmzip/error.h"

namespace lmzip::coding {
namespace {

std::vector<std::uint32_t> freqs_of(const FrequencyTable& t) {
  std::vector<std::uint32_t> f;
  for (std::uint32_t s = 0; s < t.size(); ++s) f.push_back(t.freq(s));
  return f;
}

// The structural invariants every quantised table must satisfy.
void expect_valid(const FrequencyTable& t, std::size_t n, unsigned bits) {
  ASSERT_EQ(t.size(), n);
  ASSERT_EQ(t.cum.size(), n + 1);
  EXPECT_EQ(t.cum[0], 0u);
  EXPECT_EQ(t.total(), std::uint32_t{1} << bits);
  for (std::uint32_t s = 0; s < n; ++s) ASSERT_GE(t.freq(s), 1u) << "symbol " << s;
}

std::vector<float> random_probs(std::mt19937_64& rng, std::size_t n, double skew) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> raw(n);
  double sum = 0;
  for (auto& r : raw) sum += (r = std::pow(u(rng), skew));
  std::vector<float> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<float>(raw[i] / sum);
  return p;
}

// Hand-computed golden tables (docs/coder.md walks through the first two). They pin the exact
// algorithm, so that an archive written today decodes with tomorrow's build.
TEST(Quantize, GoldenPowersOfTwo) {
  // w = {2^31, 2^30, 2^29, 2^29}, W = 2^32, spare = 65536 - 4 = 65532:
  // 1 + floor(65532 * {1/2, 1/4, 1/8, 1/8}) = {32767, 16384, 8192, 8192}, sum 65535,
  // the leftover 1 goes to symbol 0 (largest w).
  const std::vector<float> p = {0.5f, 0.25f, 0.125f, 0.125f};
  EXPECT_EQ(freqs_of(quantize(p, 16)), (std::vector<std::uint32_t>{32768, 16384, 8192, 8192}));
}

TEST(Quantize, GoldenInexactFloats) {
  // 0.7f = 11744051 * 2^-24 -> w0 = 11744051 * 2^8 = 3006477056
  // 0.2f = 13421773 * 2^-26 -> w1 = 13421773 * 2^6 =  858993472
  // 0.1f = 13421773 * 2^-27 -> w2 = 13421773 * 2^5 =  429496736
  // W = 4294967264 (= 2^32 - 32), spare = 65536 - 3 = 65533.
  // w_i * spare / W = 45873.0996, 13106.6003, 6553.3001 -> freq = 45874, 13107, 6554 (sum 65535);
  // leftover 1 -> symbol 0.
  const std::vector<float> p = {0.7f, 0.2f, 0.1f};
  EXPECT_EQ(freqs_of(quantize(p, 16)), (std::vector<std::uint32_t>{45875, 13107, 6554}));
}

TEST(Quantize, GoldenExtremeSkew) {
  // 1 - 1e-7 rounds to the float 1 - 2^-23 -> w0 = 2^32 - 2^9 = 4294966784; 1e-9f -> w1 = 4.
  // spare = 2^24 - 2: freq0 = 1 + floor(w0 * spare / W) = 1 + (2^24 - 3), freq1 = 1 + 0;
  // leftover 1 -> symbol 0.
  const std::vector<float> p = {1.0f - 1e-7f, 1e-9f};
  EXPECT_EQ(freqs_of(quantize(p)), (std::vector<std::uint32_t>{(1u << 24) - 1, 1}));
}

TEST(Quantize, GoldenUniformOnAllZero) {
  // W == 0: total / n = 21845 each, the remainder 65536 % 3 = 1 to the first symbol.
  const std::vector<float> p = {0.0f, 0.0f, 0.0f};
  EXPECT_EQ(freqs_of(quantize(p, 16)), (std::vector<std::uint32_t>{21846, 21845, 21845}));
  // Weights below 2^-32 carry no information either.
  const std::vector<float> tiny = {1e-12f, 0.0f, 2e-10f, 0.0f};
  EXPECT_EQ(freqs_of(quantize(tiny, 16)), (std::vector<std::uint32_t>{16384, 16384, 16384, 16384}));
}

TEST(Quantize, SingleSymbolTakesEverything) {
  const std::vector<float> p = {0.3f};
  EXPECT_EQ(freqs_of(quantize(p)), (std::vector<std::uint32_t>{1u << 24}));
}

TEST(Quantize, ClampsValuesAboveOne) {
  // 5.0 and 1.0 both become w = 2^32.
  const std::vector<float> a = {5.0f, 1.0f};
  EXPECT_EQ(freqs_of(quantize(a, 16)), (std::vector<std::uint32_t>{32768, 32768}));
}

TEST(Quantize, UnnormalisedInputIsScaleInvariantForPowersOfTwo) {
  // Inputs need not sum to 1. With values k * 2^-20, halving every value halves every w and W
  // exactly, so the table must not change.
  std::mt19937_64 rng(7);
  std::vector<float> p(300), half(300);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const auto k = static_cast<float>(rng() % 4096);
    p[i] = std::ldexp(k, -20);
    half[i] = std::ldexp(k, -21);
  }
  EXPECT_EQ(quantize(p).cum, quantize(half).cum);
}

TEST(Quantize, PropertiesOnRandomInputs) {
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t n = std::size_t{1} << (trial % 17);  // 1 .. 65536
    const unsigned bits = 16 + trial % 9;
    if (2 * n > (std::size_t{1} << bits)) continue;
    const double skew = std::exp(std::uniform_real_distribution<double>(-1.0, 4.0)(rng));
    auto p = random_probs(rng, n, skew);
    FrequencyTable t = quantize(p, bits);
    expect_valid(t, n, bits);

    // Monotone in the fixed-point weight w = floor(p * 2^32): w_i < w_j implies
    // freq_i <= freq_j. (Not in p itself: floats closer than 2^-32 can share a w, and the
    // leftover goes to the lowest index among the largest w.) Check on the sorted order.
    auto w = [&](std::uint32_t i) { return std::floor(static_cast<double>(p[i]) * 0x1.0p32); };
    std::vector<std::uint32_t> order(n);
    for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return p[a] < p[b]; });
    for (std::size_t k = 1; k < n; ++k) {
      if (w(order[k - 1]) < w(order[k])) {
        ASSERT_LE(t.freq(order[k - 1]), t.freq(order[k])) << "n=" << n << " k=" << k;
      }
    }
  }
}

// The quantiser written as plainly as possible (stored weights, 64-bit division), to check the
// fast one (no scratch memory, division by a reciprocal guess plus exact correction).
std::vector<std::uint32_t> reference_quantize(const std::vector<float>& p, unsigned bits) {
  const std::uint64_t total = std::uint64_t{1} << bits;
  const std::size_t n = p.size();
  std::vector<std::uint64_t> w(n);
  std::uint64_t W = 0;
  std::size_t argmax = 0;
  for (std::size_t i = 0; i < n; ++i) {
    w[i] = p[i] >= 1.0f ? (std::uint64_t{1} << 32)
                        : static_cast<std::uint64_t>(std::floor(static_cast<double>(p[i]) * 4294967296.0));
    W += w[i];
    if (w[i] > w[argmax]) argmax = i;
  }
  std::vector<std::uint32_t> freq(n);
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    freq[i] = W == 0 ? static_cast<std::uint32_t>(total / n + (i < total % n ? 1 : 0))
                     : static_cast<std::uint32_t>(1 + w[i] * (total - n) / W);
    sum += freq[i];
  }
  freq[argmax] += static_cast<std::uint32_t>(total - sum);
  return freq;
}

TEST(Quantize, MatchesPlainReference) {
  test::Rng rng(2718);
  std::vector<float> p;
  for (int trial = 0; trial < 3000; ++trial) {
    const unsigned bits = 16 + rng.below(9);
    const std::uint32_t max_n = std::min<std::uint32_t>(65536, (1u << bits) / 2);
    const auto n = static_cast<std::uint32_t>(std::exp(rng.uniform() * std::log(static_cast<double>(max_n))));
    test::random_distribution(rng, std::max<std::uint32_t>(n, 1), p);
    ASSERT_EQ(freqs_of(quantize(p, bits)), reference_quantize(p, bits)) << "trial " << trial;
  }
  // Largest products w * spare (w = 2^32, spare = 2^24 - 2) and a W just above 2^32.
  p = {1.0f, 1e-9f};
  EXPECT_EQ(freqs_of(quantize(p)), reference_quantize(p, 24));
  p = {1.0f, 0.5f, 0.25f, 0.125f, 3e-10f, 7e-10f};
  EXPECT_EQ(freqs_of(quantize(p)), reference_quantize(p, 24));
}

TEST(Quantize, MonotoneOnSortedInput) {
  std::mt19937_64 rng(99);
  auto p = random_probs(rng, 5000, 3.0);
  std::sort(p.begin(), p.end(), std::greater<float>());
  p[1] = p[0];  // a tie at the top: the lower index gets the leftover
  FrequencyTable t = quantize(p);
  expect_valid(t, p.size(), 24);
  for (std::uint32_t s = 1; s < t.size(); ++s) ASSERT_GE(t.freq(s - 1), t.freq(s)) << s;
}

TEST(Quantize, DeterministicAndOverloadsAgree) {
  std::mt19937_64 rng(5);
  auto p = random_probs(rng, 65536, 2.0);
  FrequencyTable a = quantize(p);
  FrequencyTable b = quantize(p);
  EXPECT_EQ(a.cum, b.cum);
  FrequencyTable reused;
  reused.cum.assign(10, 42);  // stale contents must be overwritten
  quantize(p, reused);
  EXPECT_EQ(a.cum, reused.cum);
  expect_valid(a, 65536, 24);
}

TEST(Quantize, FloorMassForLargestAlphabetIsSmall) {
  // 65536 symbols, nearly all mass on one: each of the others still gets exactly 1.
  std::vector<float> p(65536, 0.0f);
  p[1234] = 1.0f;
  FrequencyTable t = quantize(p);
  EXPECT_EQ(t.freq(1234), (1u << 24) - 65535);
  EXPECT_EQ(t.freq(0), 1u);
  EXPECT_EQ(t.freq(65535), 1u);
  // The floor takes 65535 / 2^24 = 0.39% of the mass from the model.
  EXPECT_LT(65535.0 / (1 << 24), 0.004);
}

TEST(Quantize, RejectsBadInput) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_THROW(quantize(std::vector<float>{0.5f, nan}), Error);
  EXPECT_THROW(quantize(std::vector<float>{0.5f, -0.1f}), Error);
  EXPECT_THROW(quantize(std::vector<float>{inf, 0.5f}), Error);
  EXPECT_THROW(quantize(std::vector<float>{-inf, 0.5f}), Error);
  EXPECT_THROW(quantize(std::vector<float>{}), Error);
  EXPECT_THROW(quantize(std::vector<float>{0.5f, 0.5f}, 15), Error);
  EXPECT_THROW(quantize(std::vector<float>{0.5f, 0.5f}, 25), Error);
  // total must be >= 2n.
  EXPECT_THROW(quantize(std::vector<float>(32769, 1.0f), 16), Error);
  EXPECT_NO_THROW(quantize(std::vector<float>(32768, 1.0f), 16));
  EXPECT_THROW(quantize(std::vector<float>((1u << 23) + 1, 1.0f)), Error);
  // A failed call leaves the output table untouched.
  FrequencyTable t = quantize(std::vector<float>{0.25f, 0.75f});
  const auto before = t.cum;
  EXPECT_THROW(quantize(std::vector<float>{0.1f, nan, 0.2f}, t), Error);
  EXPECT_EQ(t.cum, before);
  // -0.0 is not negative.
  EXPECT_NO_THROW(quantize(std::vector<float>{-0.0f, 1.0f}));
}

TEST(FrequencyTable, SymbolForFindsTheSlot) {
  FrequencyTable t{{0, 3, 4, 10, 16}};
  ASSERT_EQ(t.size(), 4u);
  const std::uint32_t expected[16] = {0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3};
  for (std::uint32_t target = 0; target < 16; ++target) EXPECT_EQ(t.symbol_for(target), expected[target]);
  EXPECT_EQ(t.symbol_for(16), 3u);  // clamped
  EXPECT_EQ(t.symbol_for(0xFFFFFFFFu), 3u);
  EXPECT_EQ(t.low(2), 4u);
  EXPECT_EQ(t.freq(2), 6u);
}

TEST(FrequencyTable, SymbolForSkipsEmptySlots) {
  FrequencyTable t{{0, 0, 5, 5, 5, 8, 8}};  // symbols 0, 2, 3, 5 are empty
  for (std::uint32_t target = 0; target < 5; ++target) EXPECT_EQ(t.symbol_for(target), 1u);
  for (std::uint32_t target = 5; target < 8; ++target) EXPECT_EQ(t.symbol_for(target), 4u);
  EXPECT_EQ(t.symbol_for(8), 4u);  // clamped to the last non-empty slot
  EXPECT_EQ(t.symbol_for(100), 4u);
}

TEST(FrequencyTable, SymbolForAgreesWithLinearScan) {
  std::mt19937_64 rng(3);
  auto p = random_probs(rng, 1000, 6.0);
  FrequencyTable t = quantize(p, 20);
  std::uint32_t s = 0;
  for (std::uint32_t target = 0; target < t.total(); target += 7) {
    while (t.cum[s + 1] <= target) ++s;
    ASSERT_EQ(t.symbol_for(target), s) << target;
  }
}

}  // namespace
}  // namespace lmzip::coding
