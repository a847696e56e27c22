// bench/llm_bench.cpp - Google Benchmark of the token models' coding path: the Llama-family
// forward (lmzip/llm/forward.h), tokens per second of the incremental forward (the decoder's
// path) and of forward_block (the encoder's path), for stories260K (from ../shared/data, as the
// tests find it; skipped without it) and for a random model of TinyLlama-1.1B's shape (4.4 GB of
// float32 weights, built once at the first 1B benchmark); and the tokenizers' encode speed on a
// 2048-byte passage of alice29.txt (llm_tokenize_*). Counters: tokens_per_second, bytes_per_second.
//   build/lmzip_microbench --benchmark_filter=llm_ [--benchmark_min_time=2s]
// `->Threads(2)` rows run two sessions at once on the shared weights (the compressor's -T 2).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include "lmzip/llm/forward.h"
#include "lmzip/llm/llama.h"
#include "lmzip/tokenizer/tokenizer.h"

#include <fstream>
#include <iterator>

namespace {

using lmzip::llm::LlamaConfig;
using lmzip::llm::LlamaModel;

std::filesystem::path shared_data() {
  if (const char* env = std::getenv("LMZIP_SHARED_DATA")) return env;
  return std::filesystem::path(LMZIP_SOURCE_DIR) / ".." / "shared" / "data";
}

const LlamaModel* stories() {
  static const std::unique_ptr<LlamaModel> m = []() -> std::unique_ptr<LlamaModel> {
    const auto p = shared_data() / "models" / "stories260K" / "stories260K.bin";
    if (!std::filesystem::exists(p)) return nullptr;
    return std::make_unique<LlamaModel>(lmzip::llm::load_llama2c(p));
  }();
  return m.get();
}

const LlamaModel* tinyllama_shape() {
  static const std::unique_ptr<LlamaModel> m = [] {
    LlamaConfig c;
    c.dim = 2048;
    c.hidden_dim = 5632;
    c.n_layers = 22;
    c.n_heads = 32;
    c.n_kv_heads = 4;
    c.head_dim = 64;
    c.vocab_size = 32000;
    c.max_seq_len = 2048;
    return std::make_unique<LlamaModel>(lmzip::llm::random_llama(c, 1));
  }();
  return m.get();
}

// Feeds `tokens` tokens (ids cycling through the vocabulary) from position 0, one at a time
// (block 1) or in blocks of `block`.
void run(benchmark::State& state, const LlamaModel* m, int tokens, int block) {
  if (!m) {
    state.SkipWithError("../shared/data not found (set LMZIP_SHARED_DATA)");
    return;
  }
  lmzip::llm::RunState s;
  lmzip::llm::build_run_state(s, m->config, tokens, block);
  std::vector<int> ids(static_cast<std::size_t>(tokens));
  for (int i = 0; i < tokens; ++i) ids[static_cast<std::size_t>(i)] = (i * 7919 + 1) % m->config.vocab_size;
  std::vector<float> logits;
  for (auto _ : state) {
    if (block == 1) {
      for (int i = 0; i < tokens; ++i) benchmark::DoNotOptimize(lmzip::llm::forward(*m, s, ids[static_cast<std::size_t>(i)], i));
    } else {
      lmzip::llm::forward_block(*m, s, ids, 0, logits);
      benchmark::DoNotOptimize(logits.data());
    }
  }
  state.counters["tokens_per_second"] =
      benchmark::Counter(static_cast<double>(tokens) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  lmzip::llm::free_run_state(s);
}

void llm_stories260K_forward(benchmark::State& st) { run(st, stories(), 256, 1); }
void llm_stories260K_forward_block(benchmark::State& st) { run(st, stories(), 256, 64); }
void llm_tinyllama1B_forward(benchmark::State& st) { run(st, tinyllama_shape(), 16, 1); }
void llm_tinyllama1B_forward_block(benchmark::State& st) { run(st, tinyllama_shape(), 128, 64); }

// Encodes 2048 bytes of alice29.txt (from offset 5000) with a tokenizer file of ../shared/data.
void tokenize(benchmark::State& state, const char* file) {
  const auto dir = shared_data();
  std::ifstream in(dir / "text" / "canterbury" / "alice29.txt", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() < 7048 || !std::filesystem::exists(dir / file)) {
    state.SkipWithError("../shared/data not found (set LMZIP_SHARED_DATA)");
    return;
  }
  const auto tok = lmzip::tokenizer::load_tokenizer(dir / file);
  const lmzip::ByteView passage(reinterpret_cast<const std::uint8_t*>(text.data()) + 5000, 2048);
  std::size_t tokens = 0;
  for (auto _ : state) tokens = tok->encode(passage).size();
  state.counters["bytes_per_second"] = benchmark::Counter(2048.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["tokens"] = static_cast<double>(tokens);
}

void llm_tokenize_llama2_sentencepiece(benchmark::State& st) { tokenize(st, "tokenizers/llama2/tokenizer.model"); }
void llm_tokenize_gpt2_byte_bpe(benchmark::State& st) { tokenize(st, "tokenizers/gpt2/encoder.json"); }
BENCHMARK(llm_tokenize_llama2_sentencepiece);
BENCHMARK(llm_tokenize_gpt2_byte_bpe);

BENCHMARK(llm_stories260K_forward)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(llm_stories260K_forward_block)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(llm_tinyllama1B_forward)->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(2)->Threads(1)->Threads(2);
BENCHMARK(llm_tinyllama1B_forward_block)->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(1)->Threads(1)->Threads(2);

}  // namespace
