// lmzip/llm/gguf_io.h - lmzip's own Llama -> GGUF converter (the reader is load_llama_gguf in
// lmzip/llm/llama.h).
//
// write_llama_gguf writes GGUF v3 with llama.cpp's names and metadata (gguf-py constants):
//   general.architecture  "llama" | "qwen2";  general.file_type (0 F32, 1 F16, 7 Q8_0, 32 BF16)
//   <arch>.context_length, embedding_length, block_count, feed_forward_length,
//   <arch>.attention.head_count, head_count_kv, key_length, value_length,
//   <arch>.attention.layer_norm_rms_epsilon (f32), <arch>.rope.freq_base (f32),
//   <arch>.rope.dimension_count, <arch>.vocab_size
//   tokenizer.ggml.* (lmzip/llm/tokenizer_data.h) when a tokenizer is given or the model has one
//   tensors token_embd, blk.N.{attn_norm, attn_q, attn_k, attn_v, attn_output, ffn_norm,
//   ffn_gate, ffn_up, ffn_down}.weight, blk.N.attn_{q,k,v}.bias, output_norm, output (absent when
//   tied), rope_freqs (Llama 3 rope scaling), GGUF dims [in, out].
// Matrices get `type`; 1-D tensors (norms, biases, rope_freqs) stay F32 as in llama.cpp; a Q8_0
// matrix whose rows are not a multiple of 32 is written F16 (llama.cpp's fallback). Arch "llama"
// wq / wk (and biases) rows are permuted to the interleaved RoPE order llama.cpp expects.
#pragma once

#include <filesystem>

#include "lmzip/gguf/tensor_type.h"
#include "lmzip/llm/llama.h"

namespace lmzip::llm {

// @param type F32, F16, BF16 or Q8_0. @param tok the tokenizer to embed; nullptr: m.tokenizer if
// any. @throws lmzip::Error naming `out` (another type, I/O failure).
void write_llama_gguf(const LlamaModel& m, const std::filesystem::path& out, gguf::TensorType type,
                      const GgufTokenizerData* tok = nullptr);

}  // namespace lmzip::llm
