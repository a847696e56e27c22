// lmzip/model/llama2c.h - llama2.c checkpoints and tokenizers, and a plain float32 Llama forward.
//
// This is the float32 *reference* path for Llama-family models in the llama2.c format (e.g.
// karpathy/tinyllamas stories260K). It is written to be obviously correct, not fast, and it is
// not the coding path (it uses std::exp / std::sqrt freely). docs/llama2c.md has the details.
//
// Checkpoint file (all little-endian):
//   7 x int32  dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len
//              (vocab_size < 0 means the classifier wcls is stored separately; its magnitude is
//              the vocabulary size; vocab_size > 0 means wcls is the token embedding)
//   float32 tensors, back to back, in this order (head_size = dim / n_heads,
//   kv_dim = n_kv_heads * head_size):
//     token_embedding (vocab_size, dim)
//     rms_att         (n_layers, dim)
//     wq              (n_layers, dim, dim)        [out, in]
//     wk              (n_layers, kv_dim, dim)
//     wv              (n_layers, kv_dim, dim)
//     wo              (n_layers, dim, dim)
//     rms_ffn         (n_layers, dim)
//     w1              (n_layers, hidden_dim, dim)
//     w2              (n_layers, dim, hidden_dim)
//     w3              (n_layers, hidden_dim, dim)
//     rms_final       (dim)
//     freq_cis_real   (seq_len, head_size / 2)    skipped (RoPE is recomputed)
//     freq_cis_imag   (seq_len, head_size / 2)    skipped
//     wcls            (vocab_size, dim)           only when the header's vocab_size < 0
//   The file must end exactly there.
//
// Tokenizer file (tok*.bin):
//   int32 max_token_length, then for each of the model's vocab_size tokens:
//   float32 score, int32 len, len bytes (the piece, not NUL-terminated).
//
// Every malformed input (bad header, truncated file, trailing bytes, a tokenizer whose token
// count differs from the model's vocab_size) throws lmzip::Error naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace lmzip::model::llama2c {

// The 7-int32 header, decoded.
struct Config {
  int dim = 0;         // transformer width
  int hidden_dim = 0;  // FFN width
  int n_layers = 0;
  int n_heads = 0;     // query heads
  int n_kv_heads = 0;  // key/value heads (< n_heads: grouped-query attention)
  int vocab_size = 0;  // always positive here
  int seq_len = 0;     // maximum sequence length (KV cache size)
  bool shared_classifier = true;  // header vocab_size > 0: wcls == token_embedding

  int head_size() const { return dim / n_heads; }
  int kv_dim() const { return n_kv_heads * head_size(); }
};

// Views into Checkpoint::data (no ownership). Shapes are row-major; a matrix used as
// y = W x is stored [out, in].
struct Weights {
  const float* token_embedding = nullptr;  // (vocab_size, dim)
  const float* rms_att = nullptr;          // (n_layers, dim)
  const float* wq = nullptr;               // (n_layers, dim, dim)
  const float* wk = nullptr;               // (n_layers, kv_dim, dim)
  const float* wv = nullptr;               // (n_layers, kv_dim, dim)
  const float* wo = nullptr;               // (n_layers, dim, dim)
  const float* rms_ffn = nullptr;          // (n_layers, dim)
  const float* w1 = nullptr;               // (n_layers, hidden_dim, dim)
  const float* w2 = nullptr;               // (n_layers, dim, hidden_dim)
  const float* w3 = nullptr;               // (n_layers, hidden_dim, dim)
  const float* rms_final = nullptr;        // (dim)
  const float* wcls = nullptr;             // (vocab_size, dim); == token_embedding if shared
};

// A loaded checkpoint: the config, the float32 payload, and views into it.
// Movable (the views stay valid: a moved vector keeps its buffer), not copyable.
struct Checkpoint {
  Config config;
  std::vector<float> data;  // every float after the header, in file order
  Weights weights;

  Checkpoint() = default;
  Checkpoint(const Checkpoint&) = delete;
  Checkpoint& operator=(const Checkpoint&) = delete;
  Checkpoint(Checkpoint&&) = default;
  Checkpoint& operator=(Checkpoint&&) = default;
};

// Reads a llama2.c checkpoint. @throws lmzip::Error naming the file.
Checkpoint read_checkpoint(const std::filesystem::path& path);

// Activations and the KV cache for one sequence.
struct RunState {
  std::vector<float> x;            // (dim) residual stream
  std::vector<float> xb;           // (dim) normed input / attention output
  std::vector<float> xb2;          // (dim) projection output
  std::vector<float> hb;           // (hidden_dim) FFN gate
  std::vector<float> hb2;          // (hidden_dim) FFN up
  std::vector<float> q;            // (dim) query for the current position
  std::vector<float> k;            // (kv_dim) key for the current position
  std::vector<float> v;            // (kv_dim) value for the current position
  std::vector<float> att;          // (n_heads, seq_len) attention scores
  std::vector<float> logits;       // (vocab_size)
  std::vector<float> key_cache;    // (n_layers, seq_len, kv_dim)
  std::vector<float> value_cache;  // (n_layers, seq_len, kv_dim)
};

// Allocates (zeroed) every buffer of a RunState for `config`.
void build_run_state(RunState& state, const Config& config);
// Releases every buffer of a RunState (the pair of build_run_state).
void free_run_state(RunState& state);

// Runs the model on `token` at position `pos` (0 <= pos < seq_len), appending to the KV cache.
// Positions must be fed in order 0, 1, 2, ... Returns state.logits (vocab_size floats).
// @throws lmzip::Error if token or pos is out of range.
const std::vector<float>& forward(const Checkpoint& checkpoint, RunState& state, int token, int pos);

// A llama2.c tokenizer (decoding only, for now).
struct Tokenizer {
  std::vector<std::string> vocab;  // (vocab_size) pieces
  std::vector<float> scores;       // (vocab_size) merge scores
  int max_token_length = 0;

  // The bytes token `token` stands for after `prev_token`, as run.c's decode(): a leading
  // space is dropped right after BOS (token 1), and a "<0xNN>" piece is the single byte 0xNN.
  // @throws lmzip::Error if a token is out of range.
  std::string decode(int prev_token, int token) const;
};

// Reads a tokenizer for a model with `vocab_size` tokens.
// @throws lmzip::Error naming the file (truncated, trailing bytes, bad lengths).
Tokenizer read_tokenizer(const std::filesystem::path& path, int vocab_size);

inline constexpr int kBosToken = 1;

// What run.c's safe_printf() prints for a decoded piece: nothing for a single byte that is
// neither printable nor whitespace (a lone control or raw byte), the piece otherwise.
std::string_view printable_piece(std::string_view piece);

// Greedy (temperature 0) generation from BOS exactly as run.c `-t 0 -n steps` with no prompt:
// at most `steps` forward passes (clamped to seq_len), the argmax token (lowest id on ties)
// each time, stopping when the model picks BOS. Returns what run.c prints on stdout: the
// printable pieces followed by the final "\n" that run.c prints after its loop.
std::string generate_greedy(const Checkpoint& checkpoint, const Tokenizer& tokenizer, int steps);

}  // namespace lmzip::model::llama2c
