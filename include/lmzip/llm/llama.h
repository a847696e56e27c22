// lmzip/llm/llama.h - Llama-architecture token models: one model definition for Llama 2/3,
// Mistral, Qwen2 (q/k/v biases), SmolLM, TinyLlama, loaded from three formats into the same
// float32 layout, run by one forward (lmzip/llm/forward.h). docs/llm.md has the details.
//
// The architecture (per layer, x the residual stream of width dim):
//   a = RMSNorm(x) * rms_att;  q = wq a (+ bq);  k = wk a (+ bk);  v = wv a (+ bv)
//   RoPE on q (n_heads heads) and k (n_kv_heads heads) of head_dim each, pairs (j, j + head_dim/2)
//   grouped-query attention: query head h reads kv head h / (n_heads / n_kv_heads), scale 1/sqrt(head_dim)
//   x += wo attn;  m = RMSNorm(x) * rms_ffn;  x += w_down (silu(w_gate m) * (w_up m))
//   logits = wcls (RMSNorm(x) * rms_final)
//
// ONE RoPE layout inside lmzip: Hugging Face's "rotate_half" (NEOX) pairs (j, j + head_dim/2).
// llama2.c checkpoints and GGUF arch "llama" store wq/wk rows permuted for interleaved pairs
// (2j, 2j+1) (llama.cpp convert_hf_to_gguf.py LlamaModel.permute); their loaders undo that
// permutation, and write_llama_gguf (lmzip/llm/gguf_io.h) re-applies it. GGUF arch "qwen2" is
// NEOX already and is stored as is.
//
// Formats (load_llama dispatches on the path):
//   - a directory, a config.json, or a *.safetensors file beside a config.json: Hugging Face
//     (config.json + model.safetensors, or model.safetensors.index.json + shards); dtypes F32,
//     F16, BF16; model_type "llama", "mistral", "qwen2".
//   - a file that starts with "GGUF": GGUF v3, arch "llama" or "qwen2"; tensor types F32, F16,
//     BF16, Q8_0 (dequantised to float32 at load).
//   - anything else: a llama2.c checkpoint (lmzip/model/llama2c.h).
// Every problem throws lmzip::Error naming the file and what is wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lmzip/llm/tokenizer_data.h"

namespace lmzip::llm {

struct LlamaConfig {
  std::string arch = "llama";  // "llama" | "qwen2" (the GGUF architecture it is written as)
  int dim = 0;                 // residual width (hidden_size)
  int hidden_dim = 0;          // FFN width (intermediate_size)
  int n_layers = 0;
  int n_heads = 0;             // query heads
  int n_kv_heads = 0;          // key/value heads (n_heads is a multiple)
  int head_dim = 0;            // usually dim / n_heads; even
  int vocab_size = 0;
  int max_seq_len = 0;         // max_position_embeddings / context_length / seq_len
  float rope_theta = 10000.0f;
  float rms_eps = 1e-5f;
  bool qkv_bias = false;       // wq, wk, wv have biases (Qwen2)
  bool tied_embeddings = false;  // wcls == token_embedding
  int bos_id = -1;             // -1: unknown
  int eos_id = -1;
  // Per-frequency divisors of the RoPE frequencies (head_dim / 2 floats; empty: none). Llama 3.1+
  // "llama3" rope scaling, computed from config.json's rope_scaling, or GGUF's rope_freqs.weight.
  std::vector<float> rope_freq_factors;

  int q_dim() const { return n_heads * head_dim; }
  int kv_dim() const { return n_kv_heads * head_dim; }
  bool operator==(const LlamaConfig&) const = default;
};

// Checks that every size is positive and consistent (n_heads % n_kv_heads, even head_dim, ...).
// @throws lmzip::Error starting with `label` (usually the file name).
void validate_config(const LlamaConfig& c, const std::string& label);

// Views into LlamaModel::data (float32, row-major; a matrix used as y = W x is [out, in]).
struct LlamaWeights {
  const float* token_embedding = nullptr;  // (vocab_size, dim)
  struct Layer {
    const float* rms_att = nullptr;  // (dim)
    const float* wq = nullptr;       // (q_dim, dim)     rows in rotate_half order within each head
    const float* bq = nullptr;       // (q_dim) or nullptr
    const float* wk = nullptr;       // (kv_dim, dim)    rows in rotate_half order within each head
    const float* bk = nullptr;       // (kv_dim) or nullptr
    const float* wv = nullptr;       // (kv_dim, dim)
    const float* bv = nullptr;       // (kv_dim) or nullptr
    const float* wo = nullptr;       // (dim, q_dim)
    const float* rms_ffn = nullptr;  // (dim)
    const float* w_gate = nullptr;   // (hidden_dim, dim)
    const float* w_up = nullptr;     // (hidden_dim, dim)
    const float* w_down = nullptr;   // (dim, hidden_dim)
  };
  std::vector<Layer> layers;         // (n_layers)
  const float* rms_final = nullptr;  // (dim)
  const float* wcls = nullptr;       // (vocab_size, dim); == token_embedding when tied
};

// A loaded model. Movable (the views stay valid: a moved vector keeps its buffer), not copyable.
struct LlamaModel {
  LlamaConfig config;
  std::vector<float> data;  // every weight, float32, in the layout of docs/llm.md
  LlamaWeights weights;
  // SHA-256 (hex) of the weights file: the .safetensors, .gguf or llama2.c .bin file; for sharded
  // Hugging Face models the digest of a manifest of the index and shard digests (docs/llm.md).
  // Empty for random_llama().
  std::string sha256;
  std::string source;  // "hf-safetensors" | "gguf" | "llama2c" | "random"
  std::optional<GgufTokenizerData> tokenizer;  // tokenizer.ggml.* of a GGUF file

  LlamaModel() = default;
  LlamaModel(const LlamaModel&) = delete;
  LlamaModel& operator=(const LlamaModel&) = delete;
  LlamaModel(LlamaModel&&) = default;
  LlamaModel& operator=(LlamaModel&&) = default;

  // Number of weights (token_embedding counted once when tied).
  std::uint64_t parameter_count() const;
};

// Allocates m.data for m.config (zeroed) and points m.weights into it (the layout of docs/llm.md).
// @throws lmzip::Error (via validate_config) starting with `label`.
void allocate_llama(LlamaModel& m, const std::string& label);

// Loads a model from a Hugging Face folder / config.json / .safetensors, a GGUF file or a
// llama2.c checkpoint (see the top of this file). @throws lmzip::Error naming the file.
LlamaModel load_llama(const std::filesystem::path& path);
LlamaModel load_llama_hf(const std::filesystem::path& dir_or_file);
LlamaModel load_llama_gguf(const std::filesystem::path& path);
LlamaModel load_llama2c(const std::filesystem::path& path);

// Random weights (for tests and speed measurements): matrices and embeddings uniform in
// [-0.02*sqrt(3), 0.02*sqrt(3)] (standard deviation 0.02), RMSNorm weights 1 + the same, biases
// the same; a fixed xoshiro256** stream seeded by `seed` (splitmix64), in layout order.
LlamaModel random_llama(const LlamaConfig& c, std::uint64_t seed);

// RoPE row orders. Within each head of head_dim rows, interleaved row (2j + a) is rotate_half row
// (a * head_dim/2 + j), j < head_dim/2, a in {0, 1}. `rows` holds n_heads * head_dim rows of
// `cols` floats (cols = 1 for a bias), permuted in place.
void permute_to_rotate_half(float* rows, int n_heads, int head_dim, std::size_t cols);  // loaders
void permute_to_interleaved(float* rows, int n_heads, int head_dim, std::size_t cols);  // GGUF writer

}  // namespace lmzip::llm
