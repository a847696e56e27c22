// Microbenchmarks of the coding layer: arithmetic encode/decode throughput on a skewed
// 256-symbol alphabet, and the float -> frequency quantiser for 256 and 65536 symbols.
// Run: build/lmzip_microbench --benchmark_filter='Coder|Quantize'
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "lmzip/coding/arithmetic_coder.h"
#include "lmzip/coding/frequency_table.h"

namespace {

using lmzip::Bytes;
using lmzip::coding::ArithmeticDecoder;
using lmzip::coding::ArithmeticEncoder;
using lmzip::coding::FrequencyTable;
using lmzip::coding::quantize;

// A Zipf-shaped distribution (p_k ~ 1/(k+1)^s), text-like for 256 symbols at s = 1.2.
std::vector<float> zipf(std::uint32_t n, double s) {
  std::vector<float> p(n);
  double sum = 0;
  for (std::uint32_t k = 0; k < n; ++k) sum += std::pow(k + 1.0, -s);
  for (std::uint32_t k = 0; k < n; ++k) p[k] = static_cast<float>(std::pow(k + 1.0, -s) / sum);
  return p;
}

// 1 MiB of symbols drawn from the table with a fixed linear congruential generator.
std::vector<std::uint32_t> sample(const FrequencyTable& t, std::size_t count) {
  std::vector<std::uint32_t> symbols(count);
  std::uint64_t state = 12345;
  for (auto& s : symbols) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    s = t.symbol_for(static_cast<std::uint32_t>((state >> 33) % t.total()));
  }
  return symbols;
}

constexpr std::size_t kSymbols = 1 << 20;

void BM_CoderEncode256(benchmark::State& state) {
  const FrequencyTable t = quantize(zipf(256, 1.2));
  const auto symbols = sample(t, kSymbols);
  std::size_t coded = 0;
  for (auto _ : state) {
    ArithmeticEncoder enc;
    for (std::uint32_t s : symbols) enc.encode(t, s);
    Bytes bytes = enc.finish();
    coded = bytes.size();
    benchmark::DoNotOptimize(bytes.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kSymbols));  // 1 byte / symbol
  state.counters["bits_per_symbol"] = 8.0 * static_cast<double>(coded) / kSymbols;
}
BENCHMARK(BM_CoderEncode256)->Unit(benchmark::kMillisecond);

void BM_CoderDecode256(benchmark::State& state) {
  const FrequencyTable t = quantize(zipf(256, 1.2));
  const auto symbols = sample(t, kSymbols);
  ArithmeticEncoder enc;
  for (std::uint32_t s : symbols) enc.encode(t, s);
  const Bytes bytes = enc.finish();
  for (auto _ : state) {
    ArithmeticDecoder dec(bytes);
    std::uint32_t check = 0;
    for (std::size_t i = 0; i < kSymbols; ++i) check += dec.decode(t);
    benchmark::DoNotOptimize(check);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kSymbols));
}
BENCHMARK(BM_CoderDecode256)->Unit(benchmark::kMillisecond);

void BM_Quantize(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const std::vector<float> probs = zipf(n, 1.0);
  FrequencyTable table;
  for (auto _ : state) {
    quantize(probs, table);  // the allocation-free overload, as a model loop would call it
    benchmark::DoNotOptimize(table.cum.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));  // floats / s
}
BENCHMARK(BM_Quantize)->Arg(256)->Arg(65536);

}  // namespace
