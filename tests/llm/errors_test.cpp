// Bad inputs: each throws lmzip::Error naming the file and the problem.
#include <gtest/gtest.h>

#include <fstream>

#include "llm_test_support.h"
#include "lmzip/gguf/gguf.h"
#include "lmzip/llm/gguf_io.h"
#include "lmzip/model/safetensors.h"

namespace lmzip::llm {
namespace {

namespace fs = std::filesystem;

// The message of the lmzip::Error that f() throws ("" and a test failure if none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no lmzip::Error thrown";
  return "";
}

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

// A copy of the tiny-llama fixture folder in a scratch folder.
struct FixtureCopy {
  lmzip::test::TempDir tmp;
  explicit FixtureCopy(const fs::path& data) {
    for (const char* f : {"config.json", "model.safetensors"}) {
      fs::copy_file(data / "fixtures" / "tiny-llama" / f, tmp / f);
      fs::permissions(tmp / f, fs::perms::owner_write, fs::perm_options::add);
    }
  }
  nlohmann::json config() const {
    std::ifstream in(tmp / "config.json");
    return nlohmann::json::parse(in);
  }
  void set_config(const nlohmann::json& j) const { std::ofstream(tmp / "config.json", std::ios::trunc) << j.dump(1); }
};

TEST(LlmErrors, TruncatedSafetensors) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  FixtureCopy fx(data);
  fs::resize_file(fx.tmp / "model.safetensors", fs::file_size(fx.tmp / "model.safetensors") - 100);
  const std::string e = error_of([&] { load_llama(fx.tmp.path()); });
  EXPECT_HAS(e, "model.safetensors");
}

TEST(LlmErrors, UnsupportedModelType) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  FixtureCopy fx(data);
  auto j = fx.config();
  j["model_type"] = "mamba";
  fx.set_config(j);
  const std::string e = error_of([&] { load_llama(fx.tmp.path()); });
  EXPECT_HAS(e, "config.json");
  EXPECT_HAS(e, "\"mamba\" is not supported");
}

TEST(LlmErrors, MissingConfigKeyAndUnsupportedFeatures) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  FixtureCopy fx(data);
  const auto original = fx.config();
  auto j = original;
  j.erase("hidden_size");
  fx.set_config(j);
  EXPECT_HAS(error_of([&] { load_llama(fx.tmp.path()); }), "config.json: config key \"hidden_size\" is missing");
  j = original;
  j["rope_parameters"] = {{"rope_type", "yarn"}, {"rope_theta", 10000.0}};
  fx.set_config(j);
  EXPECT_HAS(error_of([&] { load_llama(fx.tmp.path()); }), "rope scaling type \"yarn\" is not supported");
  j = original;
  j["attention_bias"] = true;
  fx.set_config(j);
  EXPECT_HAS(error_of([&] { load_llama(fx.tmp.path()); }), "attention_bias");
  fs::remove(fx.tmp / "config.json");
  EXPECT_HAS(error_of([&] { load_llama(fx.tmp.path()); }), "config.json: not found");
}

TEST(LlmErrors, MissingTensorAndShapeMismatch) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  FixtureCopy fx(data);
  {
    const model::SafetensorsFile st(data / "fixtures" / "tiny-llama" / "model.safetensors");
    std::vector<model::TensorToWrite> keep;
    for (const auto& t : st.tensors()) {
      if (t.name != "model.layers.1.mlp.up_proj.weight") keep.push_back({t.name, t.dtype, t.shape, t.data});
    }
    model::write_safetensors(fx.tmp / "model.safetensors", keep, {});
  }
  std::string e = error_of([&] { load_llama(fx.tmp.path()); });
  EXPECT_HAS(e, "model.safetensors: tensor model.layers.1.mlp.up_proj.weight is missing");

  fs::copy_file(data / "fixtures" / "tiny-llama" / "model.safetensors", fx.tmp / "model.safetensors",
                fs::copy_options::overwrite_existing);
  auto j = fx.config();
  j["intermediate_size"] = 170;
  fx.set_config(j);
  e = error_of([&] { load_llama(fx.tmp.path()); });
  EXPECT_HAS(e, "model.safetensors: tensor model.layers.0.mlp.gate_proj.weight: shape [172,64], expected [170,64]");
}

TEST(LlmErrors, UnknownExtraTensorAndBadDtype) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  FixtureCopy fx(data);
  const model::SafetensorsFile st(data / "fixtures" / "tiny-llama" / "model.safetensors");
  std::vector<model::TensorToWrite> ts;
  for (const auto& t : st.tensors()) ts.push_back({t.name, t.dtype, t.shape, t.data});
  const std::vector<std::uint8_t> bias(64 * 4, 0);
  ts.push_back({"model.layers.0.self_attn.o_proj.bias", model::DType::F32, {64}, bias});
  model::write_safetensors(fx.tmp / "model.safetensors", ts, {});
  EXPECT_HAS(error_of([&] { load_llama(fx.tmp.path()); }), "tensor model.layers.0.self_attn.o_proj.bias is not part of");

  ts.pop_back();
  const std::vector<std::uint8_t> ints(64 * 4, 0);
  for (auto& t : ts) {
    if (t.name == "model.norm.weight") {
      t.dtype = model::DType::I32;
      t.data = ints;
    }
  }
  model::write_safetensors(fx.tmp / "model.safetensors", ts, {});
  EXPECT_HAS(error_of([&] { load_llama(fx.tmp.path()); }), "tensor model.norm.weight: dtype I32 is not supported");
}

// A small GGUF written by lmzip, then re-encoded with one change.
gguf::Metadata metadata_of(const gguf::GgufFile& f) { return f.metadata(); }
std::vector<gguf::TensorToWrite> tensors_of(const gguf::GgufFile& f) {
  std::vector<gguf::TensorToWrite> out;
  for (const auto& t : f.tensors()) out.push_back({t.name, t.dims, t.type, Bytes(t.data.begin(), t.data.end())});
  return out;
}

LlamaConfig gguf_config() {  // dim 256: a multiple of Q4_K's 256-element blocks
  LlamaConfig c;
  c.dim = 256;
  c.hidden_dim = 64;
  c.n_layers = 1;
  c.n_heads = 4;
  c.n_kv_heads = 4;
  c.head_dim = 64;
  c.vocab_size = 8;
  c.max_seq_len = 16;
  return c;
}

TEST(LlmErrors, GgufUnsupportedTensorType) {
  lmzip::test::TempDir tmp;
  write_llama_gguf(random_llama(gguf_config(), 1), tmp / "ok.gguf", gguf::TensorType::F32);
  const gguf::GgufFile f(tmp / "ok.gguf");
  auto ts = tensors_of(f);
  for (auto& t : ts) {
    if (t.name == "blk.0.attn_q.weight") {
      t.type = gguf::TensorType::Q4_K;
      t.data.assign(*gguf::tensor_byte_size(t.type, t.dims), 0);
    }
  }
  gguf::write_gguf(tmp / "q4k.gguf", metadata_of(f), ts);
  const std::string e = error_of([&] { load_llama(tmp / "q4k.gguf"); });
  EXPECT_HAS(e, "q4k.gguf: tensor blk.0.attn_q.weight: type Q4_K is not supported");
}

TEST(LlmErrors, GgufUnsupportedArchMissingTensorAndBadDims) {
  lmzip::test::TempDir tmp;
  write_llama_gguf(random_llama(gguf_config(), 1), tmp / "ok.gguf", gguf::TensorType::F16);
  const gguf::GgufFile f(tmp / "ok.gguf");
  auto md = metadata_of(f);
  for (auto& [k, v] : md) {
    if (k == "general.architecture") v = gguf::Value::string("mamba");
  }
  gguf::write_gguf(tmp / "mamba.gguf", md, tensors_of(f));
  EXPECT_HAS(error_of([&] { load_llama(tmp / "mamba.gguf"); }), "mamba.gguf: architecture \"mamba\" is not supported");

  auto ts = tensors_of(f);
  ts.erase(std::remove_if(ts.begin(), ts.end(), [](const auto& t) { return t.name == "blk.0.ffn_up.weight"; }), ts.end());
  gguf::write_gguf(tmp / "missing.gguf", metadata_of(f), ts);
  EXPECT_HAS(error_of([&] { load_llama(tmp / "missing.gguf"); }), "missing.gguf: tensor blk.0.ffn_up.weight is missing");

  md = metadata_of(f);
  for (auto& [k, v] : md) {
    if (k == "llama.feed_forward_length") v = gguf::Value::u32(32);
  }
  gguf::write_gguf(tmp / "dims.gguf", md, tensors_of(f));
  EXPECT_HAS(error_of([&] { load_llama(tmp / "dims.gguf"); }),
             "dims.gguf: tensor blk.0.ffn_gate.weight: dims [256,64], expected [256,32]");
}

TEST(LlmErrors, Llama2cAndNonexistentFiles) {
  lmzip::test::TempDir tmp;
  lmzip::test::write_file(tmp / "junk.bin", Bytes{1, 2, 3});
  EXPECT_HAS(error_of([&] { load_llama(tmp / "junk.bin"); }), "junk.bin");
  EXPECT_HAS(error_of([&] { load_llama(tmp / "nothing.bin"); }), "nothing.bin");
  EXPECT_HAS(error_of([&] { write_llama_gguf(random_llama(gguf_config(), 1), tmp / "x.gguf", gguf::TensorType::Q4_K); }),
             "x.gguf: cannot write tensor type Q4_K");
}

}  // namespace
}  // namespace lmzip::llm
