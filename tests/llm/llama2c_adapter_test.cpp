// stories260K (llama2.c format) through load_llama and the llm forward: greedy generation
// reproduces run.c's output, and the logits agree with the float32 reference forward of
// lmzip::model::llama2c (libm exp/pow/cos/sin, plain sums) within 1e-5 relative.
#include <gtest/gtest.h>

#include <cstdio>

#include "llm_test_support.h"
#include "lmzip/llm/gguf_io.h"
#include "lmzip/model/llama2c.h"

namespace lmzip::llm {
namespace {

namespace l2 = model::llama2c;

// run.c -t 0 -n steps with no prompt (as l2::generate_greedy), through llm::forward.
std::string greedy(const LlamaModel& m, const l2::Tokenizer& tok, int steps) {
  RunState s;
  build_run_state(s, m.config);
  std::string out;
  int token = l2::kBosToken;
  for (int pos = 0; pos < steps && pos < m.config.max_seq_len; ++pos) {
    const float* logits = forward(m, s, token, pos);
    int next = 0;
    for (int i = 1; i < m.config.vocab_size; ++i) {
      if (logits[i] > logits[next]) next = i;
    }
    if (next == l2::kBosToken) break;
    out += l2::printable_piece(tok.decode(token, next));
    token = next;
  }
  return out + "\n";
}

TEST(LlmLlama2c, Stories260KGreedyMatchesRunC) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const auto dir = data / "models" / "stories260K";
  const LlamaModel m = load_llama(dir / "stories260K.bin");
  EXPECT_EQ(m.source, "llama2c");
  EXPECT_EQ(m.config.arch, "llama");
  EXPECT_EQ(m.config.vocab_size, 512);
  EXPECT_TRUE(m.config.tied_embeddings);
  const l2::Tokenizer tok = l2::read_tokenizer(dir / "tok512.bin", m.config.vocab_size);
  const Bytes expected = lmzip::test::read_file(dir / "greedy_t0_256steps_expected.txt");
  EXPECT_EQ(greedy(m, tok, 256), std::string(expected.begin(), expected.end()));
}

TEST(LlmLlama2c, LogitsMatchTheReferenceForward) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const auto path = data / "models" / "stories260K" / "stories260K.bin";
  const LlamaModel m = load_llama(path);
  const l2::Checkpoint ck = l2::read_checkpoint(path);
  l2::RunState rs;
  l2::build_run_state(rs, ck.config);
  // A sequence of the model's own greedy choices (realistic text) for 200 positions.
  std::vector<int> ids{l2::kBosToken};
  std::vector<float> ref;
  for (int pos = 0; pos < 200; ++pos) {
    const std::vector<float>& lg = l2::forward(ck, rs, ids[pos], pos);
    ref.insert(ref.end(), lg.begin(), lg.end());
    int next = 0;
    for (int i = 1; i < ck.config.vocab_size; ++i) {
      if (lg[i] > lg[next]) next = i;
    }
    ids.push_back(next == l2::kBosToken ? 3 : next);
  }
  ids.pop_back();
  const std::vector<float> got = test::run_forward(m, ids);
  const double err = test::relative_error(got, ref);
  std::printf("[ measured ] stories260K vs llama2c::forward: max|diff| / max|ref| = %.3g\n", err);
  EXPECT_LT(err, 1e-5);
  EXPECT_TRUE(test::same_bits(got, test::run_block(m, ids, 64)));
}

// llama2.c -> GGUF (arch llama, rows interleaved on disk as in llama.cpp) -> the same model.
TEST(LlmLlama2c, ToGgufAndBack) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const LlamaModel m = load_llama(data / "models" / "stories260K" / "stories260K.bin");
  lmzip::test::TempDir tmp;
  write_llama_gguf(m, tmp / "s.gguf", gguf::TensorType::F32);
  const LlamaModel g = load_llama(tmp / "s.gguf");
  EXPECT_EQ(g.config, m.config);
  EXPECT_TRUE(test::same_bits(g.data, m.data));
}

}  // namespace
}  // namespace lmzip::llm
