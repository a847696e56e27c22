// Throughput of the int8 transformer engine (docs/numerics.md): bytes per second of the
// incremental path (next_table + feed per byte, what the decoder runs) and the batched path
// (tables_for_chunk, what the encoder runs), for the 200K and 3.2M presets with random weights on
// a 2048-byte chunk, per kernel path, on 1 and 2 threads (one session per thread, as the
// compressor runs chunks in parallel); and the int8 matmul kernel alone, in int8 GOP/s.
// Run: build/lmzip_microbench --benchmark_filter='Int8' --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lmzip/model/config.h"
#include "lmzip/model/int8/int8_transformer.h"
#include "lmzip/model/int8/kernels.h"
#include "lmzip/model/model_file.h"

namespace {

using lmzip::Bytes;
using lmzip::model::Config;
using lmzip::model::ModelIdentity;
using lmzip::model::int8::Int8Options;
using lmzip::model::int8::Int8Transformer;
using lmzip::model::int8::KernelPath;

constexpr std::size_t kChunk = 2048;

// Text-like bytes: the benchmark should not depend on the data, but keep it realistic.
Bytes chunk_bytes() {
  static const char kText[] =
      "Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do: "
      "once or twice she had peeped into the book her sister was reading, but it had no pictures or "
      "conversations in it, 'and what is the use of a book,' thought Alice 'without pictures or conversations?' ";
  Bytes b;
  while (b.size() < kChunk) b.push_back(static_cast<std::uint8_t>(kText[b.size() % (sizeof(kText) - 1)]));
  return b;
}

// One model per (preset, path, block), built on first use and shared by the threads.
const Int8Transformer& model(const std::string& preset, KernelPath path, int block) {
  static std::map<std::string, lmzip::model::OwnedWeights> weights;
  static std::map<std::string, std::unique_ptr<Int8Transformer>> models;
  const std::string key = preset + "/" + std::string(to_string(path)) + "/" + std::to_string(block);
  if (!weights.count(preset)) weights.emplace(preset, lmzip::model::random_weights(lmzip::model::preset(preset), 1));
  auto& m = models[key];
  if (!m) {
    ModelIdentity id;
    id.name = preset;
    m = std::make_unique<Int8Transformer>(weights.at(preset).view(), id, Int8Options{path, block});
  }
  return *m;
}

void incremental(benchmark::State& state, std::string preset, KernelPath path) {
  static std::mutex mu;
  std::unique_ptr<lmzip::model::ModelSession> s;
  {
    std::lock_guard<std::mutex> lock(mu);
    s = model(preset, path, 64).new_session();
  }
  const Bytes chunk = chunk_bytes();
  std::uint64_t sink = 0;
  for (auto _ : state) {
    s->reset();
    for (std::uint8_t b : chunk) {
      sink += s->next_table().cum[b];
      s->feed(b);
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * chunk.size()));
}

void batched(benchmark::State& state, std::string preset, KernelPath path) {
  static std::mutex mu;
  const int block = static_cast<int>(state.range(0));
  std::unique_ptr<lmzip::model::ModelSession> s;
  {
    std::lock_guard<std::mutex> lock(mu);
    s = model(preset, path, block).new_session();
  }
  const Bytes chunk = chunk_bytes();
  std::uint64_t sink = 0;
  for (auto _ : state) {
    s->tables_for_chunk(chunk, [&](std::size_t i, const lmzip::coding::FrequencyTable& t) { sink += t.cum[chunk[i]]; });
  }
  benchmark::DoNotOptimize(sink);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * chunk.size()));
}

// The int8 matmul alone: the 3.2M preset's MLP up projection (1024 x 256) on n rows.
void matmul(benchmark::State& state, KernelPath path) {
  using namespace lmzip::model::int8;
  const int rows = 1024, cols = 256, n = static_cast<int>(state.range(0));
  std::vector<float> w(static_cast<std::size_t>(rows) * cols);
  std::uint64_t x = 1;
  for (auto& v : w)
    v = static_cast<float>(static_cast<std::int64_t>((x = x * 6364136223846793005ull + 1) >> 40) % 255 - 127);
  const QMatrix q = quantize_matrix(w.data(), rows, cols, nullptr);
  std::vector<std::int8_t> act(static_cast<std::size_t>(n) * cols, 3);
  std::vector<float> sx(static_cast<std::size_t>(n), 0.5f), y(static_cast<std::size_t>(n) * rows);
  const Kernels& k = kernels_for(path);
  for (auto _ : state) {
    k.matmul(q, n, act.data(), cols, sx.data(), y.data(), rows);
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["GOPS"] = benchmark::Counter(2.0 * rows * cols * n * static_cast<double>(state.iterations()),
                                              benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}

const bool registered = [] {
  for (KernelPath path : {KernelPath::reference, KernelPath::avx2, KernelPath::avx512}) {
    if (!lmzip::model::int8::kernel_path_supported(path)) continue;
    const std::string p(to_string(path));
    for (const std::string preset : {"200K", "3.2M"}) {
      if (path == KernelPath::reference && preset == "3.2M") continue;  // minutes per chunk
      for (int threads : {1, 2}) {
        benchmark::RegisterBenchmark(("Int8Incremental/" + preset + "/" + p).c_str(), incremental, preset, path)
            ->Threads(threads)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("Int8Batched/" + preset + "/" + p).c_str(), batched, preset, path)
            ->Arg(64)
            ->Threads(threads)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
      if (path != KernelPath::reference) {
        benchmark::RegisterBenchmark(("Int8Batched/" + preset + "/" + p).c_str(), batched, preset, path)
            ->Arg(16)
            ->Arg(256)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
    benchmark::RegisterBenchmark(("Int8Matmul/" + p).c_str(), matmul, path)->Arg(1)->Arg(4)->Arg(64);
  }
  return true;
}();

}  // namespace
