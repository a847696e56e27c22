// config.json parsing: transformers 4 and 5 spellings, defaults, Mistral's window, Llama 3 rope
// scaling factors against an independent libm computation.
#include <gtest/gtest.h>

#include <cmath>

#include "llm/hf_config.h"
#include "lmzip/error.h"

namespace lmzip::llm {
namespace {

using nlohmann::json;

json base() {
  return json{{"model_type", "llama"},       {"hidden_size", 64},          {"intermediate_size", 128},
              {"num_hidden_layers", 2},      {"num_attention_heads", 4},   {"vocab_size", 100},
              {"max_position_embeddings", 512}};
}

TEST(LlmHfConfig, DefaultsAndTransformers4Spelling) {
  json j = base();
  LlamaConfig c = detail::parse_hf_config(j, "c.json");
  EXPECT_EQ(c.n_kv_heads, 4);     // num_key_value_heads defaults to the heads
  EXPECT_EQ(c.head_dim, 16);      // hidden_size / heads
  EXPECT_EQ(c.rope_theta, 1e4f);  // transformers' default
  EXPECT_EQ(c.rms_eps, 1e-6f);
  EXPECT_FALSE(c.tied_embeddings);
  EXPECT_EQ(c.bos_id, -1);
  j["rope_theta"] = 500000.0;
  j["num_key_value_heads"] = 2;
  j["head_dim"] = 32;
  j["bos_token_id"] = 128000;
  j["eos_token_id"] = json::array({128001, 128009});
  c = detail::parse_hf_config(j, "c.json");
  EXPECT_EQ(c.rope_theta, 500000.0f);
  EXPECT_EQ(c.n_kv_heads, 2);
  EXPECT_EQ(c.head_dim, 32);
  EXPECT_EQ(c.q_dim(), 128);
  EXPECT_EQ(c.bos_id, 128000);
  EXPECT_EQ(c.eos_id, 128001);
  // transformers 5 puts rope_theta under rope_parameters; it wins.
  j["rope_parameters"] = {{"rope_type", "default"}, {"rope_theta", 1000000.0}};
  EXPECT_EQ(detail::parse_hf_config(j, "c.json").rope_theta, 1e6f);
}

TEST(LlmHfConfig, MistralWindowAndQwen2) {
  json j = base();
  j["model_type"] = "mistral";
  j["sliding_window"] = 128;
  EXPECT_EQ(detail::parse_hf_config(j, "c.json").max_seq_len, 128);
  j["sliding_window"] = nullptr;
  EXPECT_EQ(detail::parse_hf_config(j, "c.json").max_seq_len, 512);
  j = base();
  j["model_type"] = "qwen2";
  j["use_sliding_window"] = false;
  const LlamaConfig c = detail::parse_hf_config(j, "c.json");
  EXPECT_EQ(c.arch, "qwen2");
  EXPECT_TRUE(c.qkv_bias);
  j["use_sliding_window"] = true;
  EXPECT_THROW(detail::parse_hf_config(j, "c.json"), Error);
}

TEST(LlmHfConfig, Llama3RopeScaling) {
  // Llama 3.1 8B's rope_scaling, transformers 4 spelling.
  json j = base();
  j["hidden_size"] = 512;
  j["rope_theta"] = 500000.0;
  j["rope_scaling"] = {{"rope_type", "llama3"},
                       {"factor", 8.0},
                       {"low_freq_factor", 1.0},
                       {"high_freq_factor", 4.0},
                       {"original_max_position_embeddings", 8192}};
  const LlamaConfig c = detail::parse_hf_config(j, "c.json");
  ASSERT_EQ(c.rope_freq_factors.size(), 64u);  // head_dim 128
  int ones = 0, eights = 0;
  for (int i = 0; i < 64; ++i) {
    const double freq = std::pow(500000.0, -2.0 * i / 128.0), wavelen = 2 * M_PI / freq;
    double f = 1;
    if (wavelen > 8192.0) {
      f = 8;
    } else if (wavelen >= 8192.0 / 4) {
      const double s = (8192.0 / wavelen - 1) / 3;
      f = 1 / ((1 - s) / 8 + s);
    }
    EXPECT_NEAR(c.rope_freq_factors[i], f, 1e-6 * f) << i;
    ones += f == 1;
    eights += f == 8;
  }
  EXPECT_GT(ones, 20);
  EXPECT_GT(eights, 20);
}

TEST(LlmHfConfig, Rejections) {
  json j = base();
  j["hidden_act"] = "gelu";
  EXPECT_THROW(detail::parse_hf_config(j, "c.json"), Error);
  j = base();
  j["num_attention_heads"] = 3;
  j["num_key_value_heads"] = 2;
  try {
    detail::parse_hf_config(j, "c.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("c.json: unsupported Llama config (n_heads must be a multiple of n_kv_heads)"),
              std::string::npos)
        << e.what();
  }
  j = base();
  j["vocab_size"] = "many";
  EXPECT_THROW(detail::parse_hf_config(j, "c.json"), Error);
}

}  // namespace
}  // namespace lmzip::llm
