// write_llama_gguf + load_llama: the fixtures converted to GGUF F32 load back bit-identical
// (weights and logits); F16, BF16 and Q8_0 within stated tolerances of the float64 reference.
// Also the RoPE row permutation of arch "llama" on disk, and tokenizer metadata round trips.
#include <gtest/gtest.h>

#include <cstdio>

#include "llm_test_support.h"
#include "lmzip/gguf/gguf.h"
#include "lmzip/llm/gguf_io.h"

namespace lmzip::llm {
namespace {

using gguf::TensorType;

struct Case {
  const char* fixture;
  TensorType type;
  double tolerance;  // max |diff| / max |ref| against the float64 reference
};

class LlmGgufRoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(LlmGgufRoundTrip, LogitsThroughTheGgufReader) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const Case c = GetParam();
  const test::Fixture fx = test::read_fixture(data / "fixtures" / c.fixture);
  const LlamaModel hf = load_llama(fx.dir);
  lmzip::test::TempDir tmp;
  const auto path = tmp / "model.gguf";
  write_llama_gguf(hf, path, c.type);
  const LlamaModel g = load_llama(path);
  EXPECT_EQ(g.source, "gguf");
  EXPECT_EQ(g.config.dim, hf.config.dim);
  EXPECT_EQ(g.config.arch, hf.config.arch);
  EXPECT_EQ(g.config.qkv_bias, hf.config.qkv_bias);
  EXPECT_EQ(g.config.tied_embeddings, hf.config.tied_embeddings);
  EXPECT_EQ(g.sha256.size(), 64u);
  EXPECT_FALSE(g.tokenizer.has_value());

  const std::vector<float> got = test::run_forward(g, fx.ids);
  const double err = test::relative_error(got, fx.ref);
  std::printf("[ measured ] %s GGUF %s: max|diff| / max|ref| = %.3g (tolerance %.g)\n", c.fixture,
              gguf::tensor_type_name(c.type).c_str(), err, c.tolerance);
  EXPECT_LT(err, c.tolerance);
  EXPECT_TRUE(test::same_bits(got, test::run_block(g, fx.ids, 7)));
  if (c.type == TensorType::F32) {
    EXPECT_EQ(g.config, hf.config);
    EXPECT_TRUE(test::same_bits(g.data, hf.data));
    EXPECT_TRUE(test::same_bits(got, test::run_forward(hf, fx.ids)));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Types, LlmGgufRoundTrip,
    ::testing::Values(Case{"tiny-llama", TensorType::F32, 1e-4}, Case{"tiny-qwen2", TensorType::F32, 1e-4},
                      Case{"tiny-llama", TensorType::F16, 2e-3}, Case{"tiny-qwen2", TensorType::F16, 2e-3},
                      Case{"tiny-llama", TensorType::BF16, 2e-2}, Case{"tiny-qwen2", TensorType::BF16, 2e-2},
                      Case{"tiny-llama", TensorType::Q8_0, 2e-2}, Case{"tiny-qwen2", TensorType::Q8_0, 2e-2}),
    [](const auto& info) {
      return std::string(info.param.fixture == std::string("tiny-llama") ? "Llama" : "Qwen2") +
             gguf::tensor_type_name(info.param.type);
    });

// On disk, arch "llama" Q/K rows are interleaved (llama.cpp's permute), arch "qwen2" rows are not.
TEST(LlmGgufWriter, LlamaQkRowsArePermutedOnDisk) {
  LlamaConfig c;
  c.arch = "llama";
  c.dim = 16;
  c.hidden_dim = 32;
  c.n_layers = 1;
  c.n_heads = 2;
  c.n_kv_heads = 1;
  c.head_dim = 8;
  c.vocab_size = 10;
  c.max_seq_len = 8;
  for (const char* arch : {"llama", "qwen2"}) {
    c.arch = arch;
    c.qkv_bias = c.arch == "qwen2";
    const LlamaModel m = random_llama(c, 3);
    lmzip::test::TempDir tmp;
    write_llama_gguf(m, tmp / "m.gguf", TensorType::F32);
    const gguf::GgufFile f(tmp / "m.gguf");
    const std::vector<float> wq = gguf::to_float32(*f.find_tensor("blk.0.attn_q.weight"), "t");
    const std::vector<float> wk = gguf::to_float32(*f.find_tensor("blk.0.attn_k.weight"), "t");
    // Stored row 2j + a of head h is internal row a * 4 + j.
    for (int h = 0; h < 2; ++h) {
      for (int a = 0; a < 2; ++a) {
        for (int j = 0; j < 4; ++j) {
          const int stored = c.arch == "llama" ? 2 * j + a : a * 4 + j;
          for (int col = 0; col < 16; ++col) {
            ASSERT_EQ(wq[(h * 8 + stored) * 16 + col], m.weights.layers[0].wq[(h * 8 + a * 4 + j) * 16 + col]);
            if (h == 0) {
              ASSERT_EQ(wk[stored * 16 + col], m.weights.layers[0].wk[(a * 4 + j) * 16 + col]);
            }
          }
        }
      }
    }
    const LlamaModel back = load_llama(tmp / "m.gguf");
    EXPECT_TRUE(test::same_bits(back.data, m.data)) << arch;
  }
}

TEST(LlmGgufWriter, TokenizerAndRopeFactorsRoundTrip) {
  LlamaConfig c;
  c.dim = 32;
  c.hidden_dim = 64;
  c.n_layers = 1;
  c.n_heads = 2;
  c.n_kv_heads = 2;
  c.head_dim = 16;
  c.vocab_size = 4;
  c.max_seq_len = 16;
  c.tied_embeddings = true;
  c.rope_freq_factors = {1, 1, 1.5f, 2, 4, 8, 8, 8};
  const LlamaModel m = random_llama(c, 9);
  GgufTokenizerData tok;
  tok.model = "gpt2";
  tok.pre = "llama-bpe";
  tok.tokens = {"a", "b", "ab", "<|end|>"};
  tok.token_type = {1, 1, 1, 3};
  tok.merges = {"a b"};
  tok.bos_id = 3;
  tok.eos_id = 3;
  tok.has_add_bos = true;
  tok.add_bos = true;
  lmzip::test::TempDir tmp;
  write_llama_gguf(m, tmp / "t.gguf", TensorType::BF16, &tok);
  const LlamaModel back = load_llama(tmp / "t.gguf");
  ASSERT_TRUE(back.tokenizer.has_value());
  EXPECT_EQ(*back.tokenizer, tok);
  EXPECT_EQ(back.config.rope_freq_factors, c.rope_freq_factors);
  EXPECT_EQ(back.config.bos_id, 3);
  EXPECT_TRUE(back.config.tied_embeddings);
  // Writing the loaded model again keeps its tokenizer (tok == nullptr: the model's own).
  write_llama_gguf(back, tmp / "u.gguf", TensorType::BF16);
  EXPECT_EQ(*load_llama(tmp / "u.gguf").tokenizer, tok);
}

}  // namespace
}  // namespace lmzip::llm
