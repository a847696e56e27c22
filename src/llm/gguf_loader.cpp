// GGUF v3 (arch "llama" or "qwen2") as a LlamaModel: llama.cpp's metadata keys and tensor names
// (tensors.h), tensors F32 / F16 / BF16 / Q8_0 dequantised by gguf::to_float32; arch "llama" wq / wk
// rows turned from interleaved to rotate_half RoPE order; tokenizer.ggml.* copied out.
#include <cstring>

#include "lmzip/error.h"
#include "lmzip/gguf/gguf.h"
#include "lmzip/llm/llama.h"
#include "lmzip/model/sha256.h"
#include "tensors.h"

namespace lmzip::llm {
namespace {

int as_int(const gguf::GgufFile& f, const std::string& key) {
  const std::uint64_t v = f.get_uint(key);
  if (v > (1u << 30)) throw Error(f.path().string() + ": metadata key " + key + ": " + std::to_string(v) + " is out of range");
  return static_cast<int>(v);
}
int as_int(const gguf::GgufFile& f, const std::string& key, int fallback) {
  return f.find(key) ? as_int(f, key) : fallback;
}

std::vector<std::string> strings(const gguf::GgufFile& f, const char* key) {
  std::vector<std::string> out;
  if (const gguf::Value* v = f.find(key)) {
    for (const gguf::Value& e : v->as_array()) out.push_back(e.as_string());
  }
  return out;
}

GgufTokenizerData read_tokenizer(const gguf::GgufFile& f) {
  GgufTokenizerData t;
  if (f.find("tokenizer.ggml.model")) t.model = f.get_string("tokenizer.ggml.model");
  if (f.find("tokenizer.ggml.pre")) t.pre = f.get_string("tokenizer.ggml.pre");
  t.tokens = strings(f, "tokenizer.ggml.tokens");
  t.merges = strings(f, "tokenizer.ggml.merges");
  if (const gguf::Value* v = f.find("tokenizer.ggml.scores")) {
    for (const gguf::Value& e : v->as_array()) t.scores.push_back(static_cast<float>(e.as_float()));
  }
  if (const gguf::Value* v = f.find("tokenizer.ggml.token_type")) {
    for (const gguf::Value& e : v->as_array()) t.token_type.push_back(static_cast<std::int32_t>(e.as_int()));
  }
  t.bos_id = as_int(f, "tokenizer.ggml.bos_token_id", -1);
  t.eos_id = as_int(f, "tokenizer.ggml.eos_token_id", -1);
  t.unk_id = as_int(f, "tokenizer.ggml.unknown_token_id", -1);
  t.pad_id = as_int(f, "tokenizer.ggml.padding_token_id", -1);
  if ((t.has_add_bos = f.find("tokenizer.ggml.add_bos_token") != nullptr)) t.add_bos = f.get_bool("tokenizer.ggml.add_bos_token");
  if ((t.has_add_eos = f.find("tokenizer.ggml.add_eos_token") != nullptr)) t.add_eos = f.get_bool("tokenizer.ggml.add_eos_token");
  const std::size_t n = t.tokens.size();
  if ((!t.scores.empty() && t.scores.size() != n) || (!t.token_type.empty() && t.token_type.size() != n)) {
    throw Error(f.path().string() + ": tokenizer.ggml.scores / token_type lengths differ from tokenizer.ggml.tokens (" +
                std::to_string(n) + ")");
  }
  return t;
}

}  // namespace

LlamaModel load_llama_gguf(const std::filesystem::path& path) {
  const gguf::GgufFile f(path);
  const std::string label = path.string();
  const std::string arch = f.get_string("general.architecture");
  if (arch != "llama" && arch != "qwen2") {
    throw Error(label + ": architecture \"" + arch + "\" is not supported (llama, qwen2 are)");
  }
  const std::string p = arch + ".";
  LlamaModel m;
  LlamaConfig& c = m.config;
  c.arch = arch;
  c.dim = as_int(f, p + "embedding_length");
  c.hidden_dim = as_int(f, p + "feed_forward_length");
  c.n_layers = as_int(f, p + "block_count");
  c.n_heads = as_int(f, p + "attention.head_count");
  c.n_kv_heads = as_int(f, p + "attention.head_count_kv", c.n_heads);
  c.head_dim = as_int(f, p + "attention.key_length", c.n_heads > 0 ? c.dim / c.n_heads : 0);
  if (as_int(f, p + "attention.value_length", c.head_dim) != c.head_dim) {
    throw Error(label + ": " + p + "attention.value_length differs from key_length (not supported)");
  }
  if (as_int(f, p + "rope.dimension_count", c.head_dim) != c.head_dim) {
    throw Error(label + ": " + p + "rope.dimension_count " + std::to_string(as_int(f, p + "rope.dimension_count")) +
                " differs from the head dimension " + std::to_string(c.head_dim) + " (partial RoPE is not supported)");
  }
  c.max_seq_len = as_int(f, p + "context_length");
  c.rms_eps = static_cast<float>(f.get_float(p + "attention.layer_norm_rms_epsilon"));
  c.rope_theta = f.find(p + "rope.freq_base") ? static_cast<float>(f.get_float(p + "rope.freq_base")) : 10000.0f;
  if (f.find(p + "rope.scaling.type")) {
    const std::string type = f.get_string(p + "rope.scaling.type");
    if (type != "none") throw Error(label + ": rope scaling type \"" + type + "\" is not supported (none is; Llama 3 uses rope_freqs.weight)");
  }
  const gguf::TensorInfo* embd = f.find_tensor("token_embd.weight");
  if (!embd) throw Error(label + ": tensor token_embd.weight is missing");
  if (embd->dims.size() != 2) throw Error(label + ": tensor token_embd.weight: dims " + detail::shape_string(embd->dims) + ", expected 2 dims");
  c.vocab_size = as_int(f, p + "vocab_size", static_cast<int>(std::min<std::uint64_t>(embd->dims[1], 1u << 30)));
  c.qkv_bias = arch == "qwen2" || f.find_tensor("blk.0.attn_q.bias") != nullptr;
  c.tied_embeddings = f.find_tensor("output.weight") == nullptr;
  if (const gguf::TensorInfo* rf = f.find_tensor("rope_freqs.weight")) {
    c.rope_freq_factors = gguf::to_float32(*rf, label);
  }
  if (f.find("tokenizer.ggml.tokens") || f.find("tokenizer.ggml.model")) {
    m.tokenizer = read_tokenizer(f);
  }
  c.bos_id = as_int(f, "tokenizer.ggml.bos_token_id", -1);
  c.eos_id = as_int(f, "tokenizer.ggml.eos_token_id", -1);
  m.source = "gguf";
  allocate_llama(m, label);

  std::size_t expected = c.rope_freq_factors.empty() ? 0 : 1;
  for (const detail::TensorSlot& s : detail::tensor_slots(m)) {
    const gguf::TensorInfo* t = f.find_tensor(s.gguf_name);
    if (!t) throw Error(label + ": tensor " + s.gguf_name + " is missing");
    const std::vector<std::uint64_t> dims(s.shape.rbegin(), s.shape.rend());  // GGUF: [in, out]
    if (t->dims != dims) {
      throw Error(label + ": tensor " + s.gguf_name + ": dims " + detail::shape_string(t->dims) + ", expected " +
                  detail::shape_string(dims) + " from the metadata");
    }
    const std::vector<float> v = gguf::to_float32(*t, label);
    std::memcpy(s.data, v.data(), v.size() * sizeof(float));
    if (arch == "llama" && s.rope_heads > 0) {
      permute_to_rotate_half(s.data, s.rope_heads, c.head_dim, s.shape.size() == 2 ? s.shape[1] : 1);
    }
    detail::check_finite(s, label, s.gguf_name);
    ++expected;
  }
  if (f.tensors().size() != expected) {
    for (const gguf::TensorInfo& t : f.tensors()) {
      bool known = t.name == "rope_freqs.weight";
      for (const detail::TensorSlot& s : detail::tensor_slots(m)) known = known || s.gguf_name == t.name;
      if (!known) throw Error(label + ": tensor " + t.name + " is not part of a " + arch + " model (unsupported variant?)");
    }
  }
  m.sha256 = model::sha256_hex(f.bytes());
  return m;
}

}  // namespace lmzip::llm
