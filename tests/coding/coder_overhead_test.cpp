// Measures, prints and bounds the two costs between a model's float probabilities and the
// coded bytes (the table in docs/coder.md comes from this test):
//   quantisation cost  Q - F: F = -sum log2 p (float model, normalised), Q = -sum log2(freq/total);
//                      on a sample, so noisy; its expectation KL(p || freq/total) is printed too
//   coder overhead     C - Q: C = 8 * coded bytes
// Run: build-coding/lmzip_tests --gtest_filter='CoderOverhead.*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "coding_test_support.h"
#include "lmzip/coding/arithmetic_coder.h"
#include "lmzip/coding/frequency_table.h"

namespace lmzip::coding {
namespace {

using test::Rng;

// A float model: one or more distributions, and which one codes each symbol.
struct Workload {
  std::vector<std::vector<float>> dists;
  std::vector<std::uint32_t> which;
  std::vector<std::uint32_t> symbols;
};

struct Costs {
  double float_bits = 0;      // F
  double quantised_bits = 0;  // Q
  double coded_bits = 0;      // C
  double kl_bits = 0;         // sum over symbols of KL(p || freq/total) of the table used
  std::size_t symbols = 0;
};

std::vector<float> zipf(std::uint32_t n, double s) {
  std::vector<float> p(n);
  double sum = 0;
  for (std::uint32_t k = 0; k < n; ++k) sum += 1.0 / std::pow(k + 1.0, s);
  for (std::uint32_t k = 0; k < n; ++k) p[k] = static_cast<float>(1.0 / std::pow(k + 1.0, s) / sum);
  return p;
}

std::vector<float> near_uniform(Rng& rng, std::uint32_t n) {
  std::vector<float> p(n);
  for (auto& x : p) x = static_cast<float>((0.9 + 0.2 * rng.uniform()) / n);
  return p;
}

// An LM-like peaked distribution: `top` on one symbol, the rest Zipf-shaped.
std::vector<float> peaked(std::uint32_t n, float top) {
  std::vector<float> p = zipf(n, 1.0);
  const float rest = 1.0f - top;
  for (auto& x : p) x *= rest / (1.0f - p[0]);
  p[0] = top;
  return p;
}

// Draws `count` symbols from the float distributions (normalised in double), cycling through
// them with `which` chosen by the caller's rule (here: uniformly at random).
void sample_symbols(Rng& rng, Workload& w, std::size_t count) {
  std::vector<std::vector<double>> cdf(w.dists.size());
  for (std::size_t d = 0; d < w.dists.size(); ++d) {
    double sum = 0;
    for (float x : w.dists[d]) sum += x;
    double run = 0;
    for (float x : w.dists[d]) cdf[d].push_back(run += x / sum);
  }
  for (std::size_t i = 0; i < count; ++i) {
    const auto d = rng.below(static_cast<std::uint32_t>(w.dists.size()));
    const auto it = std::upper_bound(cdf[d].begin(), cdf[d].end(), rng.uniform());
    w.which.push_back(d);
    w.symbols.push_back(static_cast<std::uint32_t>(std::min<std::size_t>(it - cdf[d].begin(), cdf[d].size() - 1)));
  }
}

Costs measure(const Workload& w) {
  std::vector<FrequencyTable> tables;
  std::vector<double> sums;
  for (const auto& d : w.dists) {
    tables.push_back(quantize(d));
    double sum = 0;
    for (float x : d) sum += x;
    sums.push_back(sum);
  }
  // Expected quantisation cost per symbol of each table: KL(p || q) in bits.
  std::vector<double> kl(w.dists.size(), 0.0);
  for (std::size_t d = 0; d < w.dists.size(); ++d) {
    for (std::uint32_t s = 0; s < tables[d].size(); ++s) {
      const double p = w.dists[d][s] / sums[d];
      const double q = static_cast<double>(tables[d].freq(s)) / tables[d].total();
      if (p > 0) kl[d] += p * std::log2(p / q);
    }
  }
  Costs c;
  c.symbols = w.symbols.size();
  ArithmeticEncoder enc;
  for (std::size_t i = 0; i < w.symbols.size(); ++i) {
    const auto& t = tables[w.which[i]];
    const std::uint32_t s = w.symbols[i];
    c.float_bits -= std::log2(w.dists[w.which[i]][s] / sums[w.which[i]]);
    c.quantised_bits -= std::log2(static_cast<double>(t.freq(s)) / t.total());
    c.kl_bits += kl[w.which[i]];
    enc.encode(t, s);
  }
  const Bytes bytes = enc.finish();
  c.coded_bits = 8.0 * static_cast<double>(bytes.size());

  ArithmeticDecoder dec(bytes);
  for (std::size_t i = 0; i < w.symbols.size(); ++i) {
    EXPECT_EQ(dec.decode(tables[w.which[i]]), w.symbols[i]);
    if (testing::Test::HasFailure()) break;
  }
  return c;
}

void report(const char* name, const Costs& c) {
  const double coder_pct = 100.0 * (c.coded_bits - c.quantised_bits) / c.quantised_bits;
  const double quant_pct = 100.0 * (c.quantised_bits - c.float_bits) / c.float_bits;
  std::printf("| %-46s | %9zu | %12.1f | %+10.5f%% | %+8.2f | %+10.5f%% | %+11.2e |\n", name, c.symbols,
              c.quantised_bits / 8, coder_pct, (c.coded_bits - c.quantised_bits) / 8, quant_pct,
              c.kl_bits / static_cast<double>(c.symbols));
  testing::Test::RecordProperty(std::string(name) + " coder_overhead_pct", std::to_string(coder_pct));
  testing::Test::RecordProperty(std::string(name) + " quantisation_pct", std::to_string(quant_pct));
  // The coder's bound (docs/coder.md): C <= Q * 1.001 + 10 bits.
  EXPECT_LE(c.coded_bits, c.quantised_bits * 1.001 + 10.0) << name;
}

void header() {
  std::printf("| %-46s | %9s | %12s | %11s | %8s | %11s | %11s |\n", "workload", "symbols", "ideal Q (B)",
              "coder C-Q", "C-Q (B)", "quant Q-F", "KL bit/sym");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|\n", std::string(48, '-').c_str(), std::string(11, '-').c_str(),
              std::string(14, '-').c_str(), std::string(13, '-').c_str(), std::string(10, '-').c_str(),
              std::string(13, '-').c_str(), std::string(13, '-').c_str());
}

TEST(CoderOverhead, Report) {
  Rng rng(1);
  header();
  {
    Workload w;
    w.dists = {zipf(256, 1.0)};
    sample_symbols(rng, w, 1'000'000);
    report("Zipf-256 (s=1), 1M symbols", measure(w));
  }
  {
    Workload w;
    w.dists = {peaked(256, 0.9f), peaked(256, 0.5f), peaked(256, 0.99f)};
    sample_symbols(rng, w, 1'000'000);
    report("LM-like peaked-256 (top 0.5/0.9/0.99), 1M", measure(w));
  }
  {
    Workload w;
    w.dists = {near_uniform(rng, 256)};
    sample_symbols(rng, w, 1'000'000);
    report("near-uniform-256 (+-10%), 1M symbols", measure(w));
  }
  {
    Workload w;
    w.dists = {{1.0f - 1e-7f, 1e-9f}};
    sample_symbols(rng, w, 1'000'000);
    for (std::size_t i = 0; i < 1'000'000; i += 100'000) w.symbols[i] = 1;  // 10 unlikely ones
    report("extreme skew {1-1e-7, 1e-9}, 1M, 10 unlikely", measure(w));
  }
  {
    Workload w;
    w.dists = {zipf(65536, 1.0)};
    sample_symbols(rng, w, 200'000);
    report("Zipf-65536 (token vocabulary), 200k", measure(w));
  }
  {
    Workload w;
    w.dists = {near_uniform(rng, 65536)};
    sample_symbols(rng, w, 200'000);
    report("near-uniform-65536, 200k symbols", measure(w));
  }
  {
    // The paper codes every 2048-byte chunk on its own: per-chunk termination and padding.
    Costs sum;
    const std::vector<float> d = zipf(256, 1.0);
    for (int chunk = 0; chunk < 1000; ++chunk) {
      Workload w;
      w.dists = {d};
      sample_symbols(rng, w, 2048);
      const Costs c = measure(w);
      sum.float_bits += c.float_bits;
      sum.quantised_bits += c.quantised_bits;
      sum.coded_bits += c.coded_bits;
      sum.kl_bits += c.kl_bits;
      sum.symbols += c.symbols;
      EXPECT_LE(c.coded_bits, c.quantised_bits * 1.001 + 10.0);
    }
    report("1000 chunks x 2048 Zipf-256, each coded alone", sum);
    std::printf("  per chunk: %+.3f bytes of coder overhead on average\n",
                (sum.coded_bits - sum.quantised_bits) / 8 / 1000);
  }
  {
    Workload w;
    for (int c = 0; c < 16; ++c) w.dists.push_back(zipf(256, 0.8 + 0.1 * c));
    sample_symbols(rng, w, 10'000'000);
    report("10 MB, Zipf-256 s=0.8..2.3 (16 tables)", measure(w));
  }
}

}  // namespace
}  // namespace lmzip::coding
