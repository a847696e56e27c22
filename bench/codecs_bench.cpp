// bench/codecs_bench.cpp - Google Benchmark of every registered codec on one 2048-byte chunk.
//
// Benchmarks "codec_compress/<name>" and "codec_decompress/<name>" for each name in
// Registry::builtin(), registered at start-up. The chunk is 2048 bytes of alice29.txt (from
// $LMZIP_SHARED_DATA or ../shared/data, as the tests find it) or, without the data, deterministic
// generated text. Counters: bytes_per_second (of raw data) and `rate` = compressed / raw size.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lmzip/codecs/registry.h"

namespace {

using lmzip::Bytes;
using lmzip::codecs::Registry;

constexpr std::size_t kChunk = 2048;
constexpr std::size_t kOffset = 20000;  // past the Gutenberg header

Bytes generated_chunk() {
  static const char* const kWords[] = {"the ", "queen ", "said ", "alice ", "and ", "to ", "a ", "she ",
                                       "it ", "of ", "was ", "in ", "rabbit ", "little ", "very ", "again,\n"};
  std::string text;
  unsigned state = 12345;
  while (text.size() < kChunk) {
    state = state * 1103515245u + 12345u;
    text += kWords[(state >> 16) % std::size(kWords)];
  }
  return Bytes(text.begin(), text.begin() + kChunk);
}

const Bytes& sample_chunk() {
  static const Bytes chunk = [] {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("LMZIP_SHARED_DATA"); env && *env) dirs.emplace_back(env);
    for (const char* dir : {"../shared/data", "../../shared/data", "../../../shared/data"}) dirs.emplace_back(dir);
    for (const auto& dir : dirs) {
      std::ifstream in(dir / "text" / "canterbury" / "alice29.txt", std::ios::binary);
      if (!in) continue;
      Bytes all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (all.size() >= kOffset + kChunk) return Bytes(all.begin() + kOffset, all.begin() + kOffset + kChunk);
    }
    return generated_chunk();
  }();
  return chunk;
}

void compress_chunk(benchmark::State& state, const std::string& name) {
  auto codec = Registry::builtin().create(name);
  const Bytes& raw = sample_chunk();
  std::size_t packed_size = 0;
  for (auto _ : state) {
    Bytes packed = codec->compress(raw);
    packed_size = packed.size();
    benchmark::DoNotOptimize(packed.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * raw.size()));
  state.counters["rate"] = static_cast<double>(packed_size) / static_cast<double>(raw.size());
}

void decompress_chunk(benchmark::State& state, const std::string& name) {
  auto codec = Registry::builtin().create(name);
  const Bytes& raw = sample_chunk();
  const Bytes packed = codec->compress(raw);
  for (auto _ : state) {
    Bytes restored = codec->decompress(packed, raw.size());
    benchmark::DoNotOptimize(restored.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * raw.size()));
  state.counters["rate"] = static_cast<double>(packed.size()) / static_cast<double>(raw.size());
}

// One compress and one decompress benchmark per registered codec.
const bool kRegistered = [] {
  for (const std::string& name : Registry::builtin().names()) {
    benchmark::RegisterBenchmark(("codec_compress/" + name).c_str(),
                                 [name](benchmark::State& state) { compress_chunk(state, name); });
    benchmark::RegisterBenchmark(("codec_decompress/" + name).c_str(),
                                 [name](benchmark::State& state) { decompress_chunk(state, name); });
  }
  return true;
}();

}  // namespace
