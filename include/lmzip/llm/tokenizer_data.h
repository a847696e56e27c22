// lmzip/llm/tokenizer_data.h - the tokenizer.ggml.* metadata of a GGUF file, copied out as plain
// data (no behaviour: a tokenizer built from it lives elsewhere).
//
// GGUF keys (llama.cpp's gguf-py constants), each optional in the file:
//   tokenizer.ggml.model              string     "llama" (SentencePiece) | "gpt2" (byte-level BPE) | ...
//   tokenizer.ggml.pre                string     pre-tokenizer name ("llama-bpe", "qwen2", "default", ...)
//   tokenizer.ggml.tokens             [string]   the pieces, index = token id
//   tokenizer.ggml.scores             [float32]  SentencePiece scores (same length as tokens)
//   tokenizer.ggml.token_type         [int32]    1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte
//   tokenizer.ggml.merges             [string]   BPE merges "a b", in rank order
//   tokenizer.ggml.bos_token_id / eos_token_id / unknown_token_id / padding_token_id   uint32
//   tokenizer.ggml.add_bos_token / add_eos_token                                        bool
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lmzip::llm {

struct GgufTokenizerData {
  std::string model;                    // tokenizer.ggml.model ("" when absent)
  std::string pre;                      // tokenizer.ggml.pre ("" when absent)
  std::vector<std::string> tokens;      // (vocab) pieces
  std::vector<float> scores;            // (vocab) or empty
  std::vector<std::int32_t> token_type; // (vocab) or empty
  std::vector<std::string> merges;      // BPE merges, or empty
  int bos_id = -1;                      // -1: absent
  int eos_id = -1;
  int unk_id = -1;
  int pad_id = -1;
  bool add_bos = false;                 // absent: false
  bool add_eos = false;
  bool has_add_bos = false;             // whether add_bos_token was present in the file
  bool has_add_eos = false;

  bool operator==(const GgufTokenizerData&) const = default;
};

}  // namespace lmzip::llm
