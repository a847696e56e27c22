// llama2.c checkpoints as LlamaModels: lmzip::model::llama2c::read_checkpoint, then the tensors
// copied into the LlamaModel layout with wq / wk rows turned from interleaved to rotate_half RoPE
// order (llama2.c's export.py permutes Hugging Face rows the other way). llama2.c fixes
// rope_theta 10000 and RMSNorm eps 1e-5.
#include <cstring>

#include "lmzip/llm/llama.h"
#include "lmzip/model/llama2c.h"
#include "lmzip/model/sha256.h"
#include "tensors.h"

namespace lmzip::llm {

LlamaModel load_llama2c(const std::filesystem::path& path) {
  namespace l2 = model::llama2c;
  const l2::Checkpoint ck = l2::read_checkpoint(path);
  const l2::Config& k = ck.config;
  LlamaModel m;
  LlamaConfig& c = m.config;
  c.arch = "llama";
  c.dim = k.dim;
  c.hidden_dim = k.hidden_dim;
  c.n_layers = k.n_layers;
  c.n_heads = k.n_heads;
  c.n_kv_heads = k.n_kv_heads;
  c.head_dim = k.head_size();
  c.vocab_size = k.vocab_size;
  c.max_seq_len = k.seq_len;
  c.rope_theta = 10000.0f;
  c.rms_eps = 1e-5f;
  c.qkv_bias = false;
  c.tied_embeddings = k.shared_classifier;
  c.bos_id = l2::kBosToken;
  c.eos_id = 2;  // llama2.c's tokenizers are Llama 2's: <s> 1, </s> 2
  m.source = "llama2c";
  allocate_llama(m, path.string());

  const std::size_t dim = c.dim, hidden = c.hidden_dim, kv = c.kv_dim();
  auto copy = [](const float* src, const float* dst, std::size_t n) {
    std::memcpy(const_cast<float*>(dst), src, n * sizeof(float));
  };
  const l2::Weights& w = ck.weights;
  copy(w.token_embedding, m.weights.token_embedding, c.vocab_size * dim);
  for (int l = 0; l < c.n_layers; ++l) {
    const std::size_t L = l;
    const LlamaWeights::Layer& o = m.weights.layers[l];
    copy(w.rms_att + L * dim, o.rms_att, dim);
    copy(w.wq + L * dim * dim, o.wq, dim * dim);
    copy(w.wk + L * kv * dim, o.wk, kv * dim);
    copy(w.wv + L * kv * dim, o.wv, kv * dim);
    copy(w.wo + L * dim * dim, o.wo, dim * dim);
    copy(w.rms_ffn + L * dim, o.rms_ffn, dim);
    copy(w.w1 + L * hidden * dim, o.w_gate, hidden * dim);
    copy(w.w3 + L * hidden * dim, o.w_up, hidden * dim);
    copy(w.w2 + L * dim * hidden, o.w_down, dim * hidden);
    permute_to_rotate_half(const_cast<float*>(o.wq), c.n_heads, c.head_dim, dim);
    permute_to_rotate_half(const_cast<float*>(o.wk), c.n_kv_heads, c.head_dim, dim);
  }
  copy(w.rms_final, m.weights.rms_final, dim);
  if (!c.tied_embeddings) copy(w.wcls, m.weights.wcls, c.vocab_size * dim);
  for (const detail::TensorSlot& s : detail::tensor_slots(m)) detail::check_finite(s, path.string(), s.hf_name);
  m.sha256 = model::sha256_file(path);
  return m;
}

}  // namespace lmzip::llm
