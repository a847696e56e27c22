// lmzip/llm/forward.h - the deterministic float32 forward of a LlamaModel (the coding path).
//
// Bit-identical logits on every machine (x86-64 with or without AVX2/AVX-512, ARM), for every
// kernel path, and for forward() vs forward_block() with any block size (docs/llm.md, "Numerics"):
//   - float32 + - * / and sqrt only, no FMA (-ffp-contract=off; SIMD code never calls fmadd);
//   - every dot product is the canonical 16-lane sum of numerics.h: lane u accumulates the
//     products w[j] * x[j], j = u (mod 16), in increasing j from +0, then lanes are combined by
//     the halving tree 8, 4, 2, 1 (the same for every matmul, bias added after);
//   - exp is lmzip::model::int8::exp_v1 (softmax, SiLU), RoPE cos/sin come from the libm-free
//     table of lmzip/model/int8/rope_table.h;
//   - each token's computation reads only its own row and the KV cache of earlier positions.
#pragma once

#include <span>
#include <vector>

#include "lmzip/llm/llama.h"
#include "lmzip/model/int8/kernel_path.h"

namespace lmzip::llm {

// Activations and the KV cache of one sequence. The activation buffers hold up to `capacity`
// token rows (forward_block runs longer spans in blocks of that many tokens).
struct RunState {
  int max_seq_len = 0;  // positions the KV cache holds
  int capacity = 0;     // token rows per block
  model::int8::KernelPath kernels = model::int8::KernelPath::reference;  // resolved, never automatic
  std::vector<float> x;            // (capacity, dim) residual stream
  std::vector<float> xb;           // (capacity, max(dim, q_dim)) normed input / attention output
  std::vector<float> xb2;          // (capacity, dim) projection output
  std::vector<float> q;            // (capacity, q_dim)
  std::vector<float> k;            // (capacity, kv_dim)
  std::vector<float> v;            // (capacity, kv_dim)
  std::vector<float> hb;           // (capacity, hidden_dim) gate, then silu(gate) * up
  std::vector<float> hb2;          // (capacity, hidden_dim) up
  std::vector<float> att;          // (max_seq_len) attention weights of one head
  std::vector<float> logits;       // (capacity, vocab_size)
  std::vector<float> key_cache;    // (n_layers, max_seq_len, kv_dim)
  std::vector<float> value_cache;  // (n_layers, max_seq_len, kv_dim)
  std::vector<float> rope_cos;     // (max_seq_len, head_dim / 2)
  std::vector<float> rope_sin;     // (max_seq_len, head_dim / 2)
};

// Allocates (zeroed) every buffer for config `c`. max_seq_len 0 means c.max_seq_len (a smaller
// value saves memory for models with long contexts); capacity is the block size of
// forward_block. `kernels` is resolved (automatic -> LMZIP_KERNELS or the best this CPU runs);
// every path gives the same bits.
// @throws lmzip::Error for a bad size or an unsupported kernel path.
void build_run_state(RunState& s, const LlamaConfig& c, int max_seq_len = 0, int capacity = 64,
                     model::int8::KernelPath kernels = model::int8::KernelPath::automatic);
// Releases every buffer (the pair of build_run_state).
void free_run_state(RunState& s);

// The logits (vocab_size floats, in s.logits) of `token` at position `pos`; positions must be fed
// in order 0, 1, 2, ... (the KV cache gets this position's keys and values).
// @throws lmzip::Error if token or pos is out of range.
const float* forward(const LlamaModel& m, RunState& s, int token, int pos);

// The logits of tokens[0 .. n) at positions pos0 .. pos0 + n - 1, as n rows of vocab_size in
// logits_out (resized), bit-identical to n calls of forward(); the weights are read once per block
// of s.capacity tokens. Appends to the KV cache like forward().
// @throws lmzip::Error if a token or a position is out of range.
void forward_block(const LlamaModel& m, RunState& s, std::span<const int> tokens, int pos0,
                   std::vector<float>& logits_out);

}  // namespace lmzip::llm
