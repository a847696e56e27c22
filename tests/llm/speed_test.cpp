// Throughput of forward() and forward_block() on one thread; disabled (timings are not asserted).
// Run: lmzip_tests --gtest_also_run_disabled_tests --gtest_filter='*LlmSpeed*'
// LMZIP_LLM_SPEED_1B=0 skips the 1B-shaped model (4.4 GB of float32 weights).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "llm_test_support.h"

namespace lmzip::llm {
namespace {

using Clock = std::chrono::steady_clock;

// This thread's CPU time in seconds (unaffected by other jobs on a busy machine).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void measure(const char* name, const LlamaModel& m, int n_tokens, int block) {
  std::vector<int> ids;
  for (int i = 0; i < n_tokens; ++i) ids.push_back((i * 7919 + 1) % m.config.vocab_size);
  RunState s;
  build_run_state(s, m.config, n_tokens, block);
  auto t0 = Clock::now();
  double c0 = cpu_seconds();
  std::vector<float> a;
  for (int i = 0; i < n_tokens; ++i) {
    const float* lg = forward(m, s, ids[i], i);
    a.insert(a.end(), lg, lg + m.config.vocab_size);
  }
  const double t_single = std::chrono::duration<double>(Clock::now() - t0).count();
  const double c_single = cpu_seconds() - c0;
  build_run_state(s, m.config, n_tokens, block);
  std::vector<float> b;
  t0 = Clock::now();
  c0 = cpu_seconds();
  forward_block(m, s, ids, 0, b);
  const double t_block = std::chrono::duration<double>(Clock::now() - t0).count();
  const double c_block = cpu_seconds() - c0;
  EXPECT_TRUE(test::same_bits(a, b));
  std::printf("[ speed    ] %s (%s kernels, %llu params, %d tokens): forward %.2f tok/s (CPU time; wall %.2f), "
              "forward_block(B=%d) %.2f tok/s (wall %.2f)\n",
              name, std::string(model::int8::to_string(s.kernels)).c_str(),
              static_cast<unsigned long long>(m.parameter_count()), n_tokens, n_tokens / c_single, n_tokens / t_single,
              block, n_tokens / c_block, n_tokens / t_block);
}

TEST(LlmSpeed, DISABLED_Stories260KAnd1B) {
  if (auto data = lmzip::test::shared_data_dir()) {
    const LlamaModel m = load_llama(*data / "models" / "stories260K" / "stories260K.bin");
    measure("stories260K", m, 256, 64);
  }
  const char* env = std::getenv("LMZIP_LLM_SPEED_1B");
  if (env && std::string(env) == "0") return;
  LlamaConfig c;  // TinyLlama-1.1B's shape
  c.dim = 2048;
  c.hidden_dim = 5632;
  c.n_layers = 22;
  c.n_heads = 32;
  c.n_kv_heads = 4;
  c.head_dim = 64;
  c.vocab_size = 32000;
  c.max_seq_len = 2048;
  const auto t0 = Clock::now();
  const LlamaModel m = random_llama(c, 1);
  std::printf("[ speed    ] random_llama 1B: %.1f s\n", std::chrono::duration<double>(Clock::now() - t0).count());
  measure("random 1B (TinyLlama shape)", m, 100, 64);
}

}  // namespace
}  // namespace lmzip::llm
