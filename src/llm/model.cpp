// LlamaModel: config checks, the weight layout, the tensor table, random weights, RoPE row
// permutations and the load_llama() dispatch (lmzip/llm/llama.h, docs/llm.md).
#include <cmath>
#include <cstring>
#include <fstream>

#include "lmzip/data/random_source.h"
#include "lmzip/error.h"
#include "lmzip/llm/llama.h"
#include "tensors.h"

namespace lmzip::llm {

void validate_config(const LlamaConfig& c, const std::string& label) {
  auto bad = [&](const std::string& why) {
    return Error(label + ": unsupported Llama config (" + why + "): dim " + std::to_string(c.dim) +
                 ", hidden_dim " + std::to_string(c.hidden_dim) + ", n_layers " + std::to_string(c.n_layers) +
                 ", n_heads " + std::to_string(c.n_heads) + ", n_kv_heads " + std::to_string(c.n_kv_heads) +
                 ", head_dim " + std::to_string(c.head_dim) + ", vocab_size " + std::to_string(c.vocab_size) +
                 ", max_seq_len " + std::to_string(c.max_seq_len));
  };
  if (c.arch != "llama" && c.arch != "qwen2") throw bad("arch \"" + c.arch + "\", expected llama or qwen2");
  if (c.dim <= 0 || c.hidden_dim <= 0 || c.n_layers <= 0 || c.n_heads <= 0 || c.n_kv_heads <= 0 ||
      c.head_dim <= 0 || c.vocab_size <= 0 || c.max_seq_len <= 0) {
    throw bad("every size must be positive");
  }
  constexpr int kMax = 1 << 20;
  if (c.dim > kMax || c.hidden_dim > kMax || c.n_layers > 4096 || c.n_heads > 4096 ||
      c.head_dim > 4096 || c.vocab_size > (1 << 24) || c.max_seq_len > (1 << 24) ||
      static_cast<long>(c.n_heads) * c.head_dim > kMax) {
    throw bad("implausibly large");
  }
  if (c.n_heads % c.n_kv_heads != 0) throw bad("n_heads must be a multiple of n_kv_heads");
  if (c.head_dim % 2 != 0) throw bad("head_dim must be even for RoPE");
  if (!(c.rope_theta > 1.0f) || !std::isfinite(c.rope_theta)) {
    throw bad("rope_theta " + std::to_string(c.rope_theta) + " must be > 1");
  }
  if (!(c.rms_eps > 0.0f) || !std::isfinite(c.rms_eps)) throw bad("rms_eps must be positive");
  if (!c.rope_freq_factors.empty()) {
    if (static_cast<int>(c.rope_freq_factors.size()) != c.head_dim / 2) {
      throw bad("rope_freq_factors has " + std::to_string(c.rope_freq_factors.size()) +
                " values, head_dim / 2 = " + std::to_string(c.head_dim / 2));
    }
    for (float f : c.rope_freq_factors) {
      if (!(f > 0.0f) || !std::isfinite(f)) throw bad("rope_freq_factors must be positive and finite");
    }
  }
}

namespace {

// Float counts of each tensor, in layout order.
struct Layout {
  std::uint64_t embed, per_layer, total;
};

Layout layout_of(const LlamaConfig& c) {
  const std::uint64_t dim = c.dim, hidden = c.hidden_dim, q = c.q_dim(), kv = c.kv_dim();
  std::uint64_t layer = dim + q * dim + kv * dim * 2 + dim * q + dim + hidden * dim * 3;
  if (c.qkv_bias) layer += q + 2 * kv;
  const std::uint64_t embed = static_cast<std::uint64_t>(c.vocab_size) * dim;
  const std::uint64_t total = embed + layer * c.n_layers + dim + (c.tied_embeddings ? 0 : embed);
  return {embed, layer, total};
}

}  // namespace

void allocate_llama(LlamaModel& m, const std::string& label) {
  const LlamaConfig& c = m.config;
  validate_config(c, label);
  const Layout lay = layout_of(c);
  if (lay.total > (std::uint64_t(1) << 37)) throw Error(label + ": model too large (" + std::to_string(lay.total) + " weights)");
  m.data.assign(lay.total, 0.0f);
  const std::uint64_t dim = c.dim, hidden = c.hidden_dim, q = c.q_dim(), kv = c.kv_dim();
  float* p = m.data.data();
  auto take = [&p](std::uint64_t n) {
    float* t = p;
    p += n;
    return t;
  };
  LlamaWeights& w = m.weights;
  w.token_embedding = take(lay.embed);
  w.layers.assign(c.n_layers, {});
  for (auto& L : w.layers) {
    L.rms_att = take(dim);
    L.wq = take(q * dim);
    if (c.qkv_bias) L.bq = take(q);
    L.wk = take(kv * dim);
    if (c.qkv_bias) L.bk = take(kv);
    L.wv = take(kv * dim);
    if (c.qkv_bias) L.bv = take(kv);
    L.wo = take(dim * q);
    L.rms_ffn = take(dim);
    L.w_gate = take(hidden * dim);
    L.w_up = take(hidden * dim);
    L.w_down = take(dim * hidden);
  }
  w.rms_final = take(dim);
  w.wcls = c.tied_embeddings ? w.token_embedding : take(lay.embed);
}

std::uint64_t LlamaModel::parameter_count() const { return layout_of(config).total; }

namespace detail {

std::vector<TensorSlot> tensor_slots(LlamaModel& m) {
  const LlamaConfig& c = m.config;
  const std::uint64_t dim = c.dim, hidden = c.hidden_dim, q = c.q_dim(), kv = c.kv_dim(),
                      vocab = c.vocab_size;
  auto mut = [](const float* p) { return const_cast<float*>(p); };
  std::vector<TensorSlot> s;
  s.push_back({"model.embed_tokens.weight", "token_embd.weight", mut(m.weights.token_embedding), {vocab, dim}, 0});
  for (int l = 0; l < c.n_layers; ++l) {
    const auto& L = m.weights.layers[l];
    const std::string h = "model.layers." + std::to_string(l) + ".", g = "blk." + std::to_string(l) + ".";
    s.push_back({h + "input_layernorm.weight", g + "attn_norm.weight", mut(L.rms_att), {dim}, 0});
    s.push_back({h + "self_attn.q_proj.weight", g + "attn_q.weight", mut(L.wq), {q, dim}, c.n_heads});
    if (L.bq) s.push_back({h + "self_attn.q_proj.bias", g + "attn_q.bias", mut(L.bq), {q}, c.n_heads});
    s.push_back({h + "self_attn.k_proj.weight", g + "attn_k.weight", mut(L.wk), {kv, dim}, c.n_kv_heads});
    if (L.bk) s.push_back({h + "self_attn.k_proj.bias", g + "attn_k.bias", mut(L.bk), {kv}, c.n_kv_heads});
    s.push_back({h + "self_attn.v_proj.weight", g + "attn_v.weight", mut(L.wv), {kv, dim}, 0});
    if (L.bv) s.push_back({h + "self_attn.v_proj.bias", g + "attn_v.bias", mut(L.bv), {kv}, 0});
    s.push_back({h + "self_attn.o_proj.weight", g + "attn_output.weight", mut(L.wo), {dim, q}, 0});
    s.push_back({h + "post_attention_layernorm.weight", g + "ffn_norm.weight", mut(L.rms_ffn), {dim}, 0});
    s.push_back({h + "mlp.gate_proj.weight", g + "ffn_gate.weight", mut(L.w_gate), {hidden, dim}, 0});
    s.push_back({h + "mlp.up_proj.weight", g + "ffn_up.weight", mut(L.w_up), {hidden, dim}, 0});
    s.push_back({h + "mlp.down_proj.weight", g + "ffn_down.weight", mut(L.w_down), {dim, hidden}, 0});
  }
  s.push_back({"model.norm.weight", "output_norm.weight", mut(m.weights.rms_final), {dim}, 0});
  if (!c.tied_embeddings) s.push_back({"lm_head.weight", "output.weight", mut(m.weights.wcls), {vocab, dim}, 0});
  return s;
}

std::string shape_string(const std::vector<std::uint64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

void check_finite(const TensorSlot& slot, const std::string& label, const std::string& name) {
  const std::uint64_t n = slot.count();
  for (std::uint64_t i = 0; i < n; ++i) {
    if (!std::isfinite(slot.data[i])) {
      throw Error(label + ": tensor " + name + ": value " + std::to_string(slot.data[i]) + " at index " +
                  std::to_string(i) + " is not finite");
    }
  }
}

}  // namespace detail

namespace {

void permute_heads(float* rows, int n_heads, int head_dim, std::size_t cols, bool to_rotate_half) {
  const int half = head_dim / 2;
  std::vector<float> tmp(static_cast<std::size_t>(head_dim) * cols);
  for (int h = 0; h < n_heads; ++h) {
    float* base = rows + static_cast<std::size_t>(h) * head_dim * cols;
    std::memcpy(tmp.data(), base, tmp.size() * sizeof(float));
    for (int a = 0; a < 2; ++a) {
      for (int j = 0; j < half; ++j) {
        const std::size_t rh = static_cast<std::size_t>(a * half + j), il = static_cast<std::size_t>(2 * j + a);
        const std::size_t dst = to_rotate_half ? rh : il, src = to_rotate_half ? il : rh;
        std::memcpy(base + dst * cols, tmp.data() + src * cols, cols * sizeof(float));
      }
    }
  }
}

}  // namespace

void permute_to_rotate_half(float* rows, int n_heads, int head_dim, std::size_t cols) {
  permute_heads(rows, n_heads, head_dim, cols, true);
}
void permute_to_interleaved(float* rows, int n_heads, int head_dim, std::size_t cols) {
  permute_heads(rows, n_heads, head_dim, cols, false);
}

LlamaModel random_llama(const LlamaConfig& c, std::uint64_t seed) {
  LlamaModel m;
  m.config = c;
  m.source = "random";
  allocate_llama(m, "random_llama");
  data::RandomSource rng(seed);  // xoshiro256** seeded by splitmix64
  const float a = 0.02f * std::sqrt(3.0f);
  auto uniform = [&] { return (static_cast<float>(rng.next_u64() >> 40) * 0x1.0p-24f * 2.0f - 1.0f) * a; };
  for (const detail::TensorSlot& s : detail::tensor_slots(m)) {
    const bool norm = s.shape.size() == 1 && s.hf_name.find("norm") != std::string::npos;
    const std::uint64_t n = s.count();
    for (std::uint64_t i = 0; i < n; ++i) s.data[i] = norm ? 1.0f + uniform() : uniform();
  }
  return m;
}

LlamaModel load_llama(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return load_llama_hf(path);
  const std::string name = path.filename().string();
  const std::string ext = path.extension().string();
  if (name == "config.json" || name == "model.safetensors.index.json" || ext == ".safetensors") {
    return load_llama_hf(path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the model file");
  char magic[4] = {};
  in.read(magic, 4);
  if (in.gcount() == 4 && std::memcmp(magic, "GGUF", 4) == 0) return load_llama_gguf(path);
  return load_llama2c(path);
}

}  // namespace lmzip::llm
