// Hugging Face safetensors fixtures (random tiny Llama and Qwen2 made by transformers, with
// float64 reference logits): load_llama on the folder, forward() and forward_block() within
// 1e-4 relative of the reference; the same model split into two shards gives the same bits.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "llm_test_support.h"
#include "lmzip/model/safetensors.h"

namespace lmzip::llm {
namespace {

using test::Fixture;

class LlmHfFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(LlmHfFixture, LogitsMatchTransformersFloat64) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const Fixture fx = test::read_fixture(data / "fixtures" / GetParam());
  const LlamaModel m = load_llama(fx.dir);
  EXPECT_EQ(m.source, "hf-safetensors");
  EXPECT_EQ(m.sha256.size(), 64u);
  ASSERT_EQ(fx.ref.size(), fx.ids.size() * m.config.vocab_size);

  const std::vector<float> one = test::run_forward(m, fx.ids);
  const double err = test::relative_error(one, fx.ref);
  std::printf("[ measured ] %s forward(): max|diff| / max|ref| = %.3g\n", GetParam(), err);
  EXPECT_LT(err, 1e-4);

  const std::vector<float> block = test::run_block(m, fx.ids, 40);
  EXPECT_TRUE(test::same_bits(one, block));
  EXPECT_LT(test::relative_error(block, fx.ref), 1e-4);
}

TEST_P(LlmHfFixture, ConfigAndParameterCount) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const LlamaModel m = load_llama(data / "fixtures" / GetParam() / "config.json");
  const LlamaConfig& c = m.config;
  const bool qwen = std::string(GetParam()) == "tiny-qwen2";
  EXPECT_EQ(c.arch, qwen ? "qwen2" : "llama");
  EXPECT_EQ(c.dim, 64);
  EXPECT_EQ(c.hidden_dim, qwen ? 128 : 172);
  EXPECT_EQ(c.n_layers, 2);
  EXPECT_EQ(c.n_heads, qwen ? 4 : 8);
  EXPECT_EQ(c.n_kv_heads, qwen ? 2 : 4);
  EXPECT_EQ(c.head_dim, qwen ? 16 : 8);
  EXPECT_EQ(c.vocab_size, 512);
  EXPECT_EQ(c.max_seq_len, 256);
  EXPECT_EQ(c.rope_theta, qwen ? 1e6f : 1e4f);  // from rope_parameters (transformers 5)
  EXPECT_EQ(c.rms_eps, qwen ? 1e-6f : 1e-5f);
  EXPECT_EQ(c.qkv_bias, qwen);
  EXPECT_EQ(c.tied_embeddings, qwen);
  // transformers' num_parameters(): the fixtures' sizes (make_fixtures.py).
  std::uint64_t expect = 512 * 64 + 64;  // embedding, final norm
  const std::uint64_t q = 64, kv = qwen ? 32 : 32, hid = qwen ? 128 : 172;
  expect += 2 * (64 + q * 64 + 2 * kv * 64 + 64 * q + 64 + 3 * hid * 64 + (qwen ? q + 2 * kv : 0));
  if (!qwen) expect += 512 * 64;
  EXPECT_EQ(m.parameter_count(), expect);
}

// Splits the fixture's tensors into two shards + model.safetensors.index.json.
TEST_P(LlmHfFixture, ShardedSafetensorsGiveTheSameLogits) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const Fixture fx = test::read_fixture(data / "fixtures" / GetParam());
  const LlamaModel single = load_llama(fx.dir);

  lmzip::test::TempDir tmp;
  std::filesystem::copy_file(fx.dir / "config.json", tmp / "config.json");
  const model::SafetensorsFile st(fx.dir / "model.safetensors");
  std::vector<model::TensorToWrite> shard[2];
  nlohmann::json index;
  index["metadata"] = {{"total_size", st.bytes().size()}};
  const char* names[2] = {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"};
  for (std::size_t i = 0; i < st.tensors().size(); ++i) {
    const model::SafetensorsTensor& t = st.tensors()[i];
    const int k = i < st.tensors().size() / 2 ? 0 : 1;
    shard[k].push_back({t.name, t.dtype, t.shape, t.data});
    index["weight_map"][t.name] = names[k];
  }
  for (int k = 0; k < 2; ++k) model::write_safetensors(tmp / names[k], shard[k], {{"format", "pt"}});
  const std::string text = index.dump(2);
  lmzip::test::write_file(tmp / "model.safetensors.index.json",
                          ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));

  const LlamaModel sharded = load_llama(tmp.path());
  EXPECT_EQ(sharded.config, single.config);
  EXPECT_TRUE(test::same_bits(sharded.data, single.data));
  EXPECT_EQ(sharded.sha256.size(), 64u);
  EXPECT_NE(sharded.sha256, single.sha256);
  EXPECT_TRUE(test::same_bits(test::run_forward(sharded, fx.ids), test::run_forward(single, fx.ids)));
  // The index itself is also a way in.
  EXPECT_EQ(load_llama(tmp / "model.safetensors.index.json").sha256, sharded.sha256);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LlmHfFixture, ::testing::Values("tiny-llama", "tiny-qwen2"),
                         [](const auto& info) { return std::string(info.param) == "tiny-llama" ? "Llama" : "Qwen2"; });

}  // namespace
}  // namespace lmzip::llm
