// write_llama_gguf: a LlamaModel as a llama.cpp-compatible GGUF v3 file (lmzip/llm/gguf_io.h).
#include <cstring>

#include "lmzip/error.h"
#include "lmzip/gguf/gguf.h"
#include "lmzip/llm/gguf_io.h"
#include "tensors.h"

namespace lmzip::llm {
namespace {

using gguf::TensorType;
using gguf::Value;
using gguf::ValueType;

std::uint32_t file_type(TensorType t) {  // llama.cpp's enum llama_ftype
  switch (t) {
    case TensorType::F32: return 0;
    case TensorType::F16: return 1;
    case TensorType::Q8_0: return 7;
    default: return 32;  // BF16
  }
}

void add_tokenizer(gguf::Metadata& md, const GgufTokenizerData& t) {
  auto add = [&md](const char* key, Value v) { md.emplace_back(key, std::move(v)); };
  auto string_array = [](const std::vector<std::string>& xs) {
    std::vector<Value> v;
    v.reserve(xs.size());
    for (const std::string& x : xs) v.push_back(Value::string(x));
    return Value::array(ValueType::STRING, std::move(v));
  };
  if (!t.model.empty()) add("tokenizer.ggml.model", Value::string(t.model));
  if (!t.pre.empty()) add("tokenizer.ggml.pre", Value::string(t.pre));
  if (!t.tokens.empty()) add("tokenizer.ggml.tokens", string_array(t.tokens));
  if (!t.scores.empty()) {
    std::vector<Value> v;
    for (float s : t.scores) v.push_back(Value::f32(s));
    add("tokenizer.ggml.scores", Value::array(ValueType::FLOAT32, std::move(v)));
  }
  if (!t.token_type.empty()) {
    std::vector<Value> v;
    for (std::int32_t s : t.token_type) v.push_back(Value::i32(s));
    add("tokenizer.ggml.token_type", Value::array(ValueType::INT32, std::move(v)));
  }
  if (!t.merges.empty()) add("tokenizer.ggml.merges", string_array(t.merges));
  if (t.bos_id >= 0) add("tokenizer.ggml.bos_token_id", Value::u32(static_cast<std::uint32_t>(t.bos_id)));
  if (t.eos_id >= 0) add("tokenizer.ggml.eos_token_id", Value::u32(static_cast<std::uint32_t>(t.eos_id)));
  if (t.unk_id >= 0) add("tokenizer.ggml.unknown_token_id", Value::u32(static_cast<std::uint32_t>(t.unk_id)));
  if (t.pad_id >= 0) add("tokenizer.ggml.padding_token_id", Value::u32(static_cast<std::uint32_t>(t.pad_id)));
  if (t.has_add_bos) add("tokenizer.ggml.add_bos_token", Value::boolean(t.add_bos));
  if (t.has_add_eos) add("tokenizer.ggml.add_eos_token", Value::boolean(t.add_eos));
}

}  // namespace

void write_llama_gguf(const LlamaModel& m, const std::filesystem::path& out, TensorType type,
                      const GgufTokenizerData* tok) {
  const std::string label = out.string();
  if (type != TensorType::F32 && type != TensorType::F16 && type != TensorType::BF16 && type != TensorType::Q8_0) {
    throw Error(label + ": cannot write tensor type " + gguf::tensor_type_name(type) + " (F32, F16, BF16, Q8_0 can)");
  }
  const LlamaConfig& c = m.config;
  validate_config(c, label);
  const std::string p = c.arch + ".";
  auto u32 = [](int v) { return Value::u32(static_cast<std::uint32_t>(v)); };
  gguf::Metadata md;
  md.emplace_back("general.architecture", Value::string(c.arch));
  md.emplace_back("general.name", Value::string("lmzip " + c.arch + " (" + m.source + ")"));
  md.emplace_back("general.file_type", Value::u32(file_type(type)));
  md.emplace_back(p + "context_length", u32(c.max_seq_len));
  md.emplace_back(p + "embedding_length", u32(c.dim));
  md.emplace_back(p + "block_count", u32(c.n_layers));
  md.emplace_back(p + "feed_forward_length", u32(c.hidden_dim));
  md.emplace_back(p + "attention.head_count", u32(c.n_heads));
  md.emplace_back(p + "attention.head_count_kv", u32(c.n_kv_heads));
  md.emplace_back(p + "attention.key_length", u32(c.head_dim));
  md.emplace_back(p + "attention.value_length", u32(c.head_dim));
  md.emplace_back(p + "attention.layer_norm_rms_epsilon", Value::f32(c.rms_eps));
  md.emplace_back(p + "rope.freq_base", Value::f32(c.rope_theta));
  md.emplace_back(p + "rope.dimension_count", u32(c.head_dim));
  md.emplace_back(p + "vocab_size", u32(c.vocab_size));
  if (!tok && m.tokenizer) tok = &*m.tokenizer;
  if (tok) {
    add_tokenizer(md, *tok);
  } else {  // no tokenizer: still record the config's special ids
    if (c.bos_id >= 0) md.emplace_back("tokenizer.ggml.bos_token_id", u32(c.bos_id));
    if (c.eos_id >= 0) md.emplace_back("tokenizer.ggml.eos_token_id", u32(c.eos_id));
  }

  std::vector<gguf::TensorToWrite> tensors;
  // tensor_slots needs a mutable model only to hand out pointers; nothing is written through them.
  for (const detail::TensorSlot& s : detail::tensor_slots(const_cast<LlamaModel&>(m))) {
    gguf::TensorToWrite t;
    t.name = s.gguf_name;
    t.dims.assign(s.shape.rbegin(), s.shape.rend());
    std::vector<float> v(s.data, s.data + s.count());
    if (c.arch == "llama" && s.rope_heads > 0) {
      permute_to_interleaved(v.data(), s.rope_heads, c.head_dim, s.shape.size() == 2 ? s.shape[1] : 1);
    }
    t.type = s.shape.size() == 1 ? TensorType::F32 : type;
    if (t.type == TensorType::Q8_0 && t.dims[0] % 32 != 0) t.type = TensorType::F16;
    t.data = gguf::encode_tensor(v, t.type);
    tensors.push_back(std::move(t));
  }
  if (!c.rope_freq_factors.empty()) {
    gguf::TensorToWrite t;
    t.name = "rope_freqs.weight";
    t.dims = {c.rope_freq_factors.size()};
    t.data = gguf::encode_tensor(c.rope_freq_factors, TensorType::F32);
    tensors.push_back(std::move(t));
  }
  gguf::write_gguf(out, md, tensors);
}

}  // namespace lmzip::llm
