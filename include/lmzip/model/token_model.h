// lmzip/model/token_model.h - a subword language model (Llama family + its tokenizer) as a
// compressor model.
//
// A chunk is coded as tokens, not bytes (docs/format.md, "Coding a chunk with a token model"):
//   1. ids = tokenizer.encode(chunk); the encoder keeps the shortest prefix ids[0..k) whose
//      bytes (token_bytes(ids[i], i), concatenated) reach the chunk's length, and requires them
//      to equal the chunk exactly; otherwise the chunk cannot be coded (it is stored raw).
//   2. The model reads the start token (BOS, else EOS) at position 0, then ids[0], ids[1], ...;
//      each id is coded with the table of the logits before it: e_v = exp_v1(l_v - max l), the
//      whole vocabulary, quantised by coding::quantize to total 2^precision.
//   3. The KV cache holds `window` positions. When it is full the model starts a new window: the
//      cache is cleared and the start token is read again at position 0 (no carried context).
//   4. The decoder decodes ids and appends their bytes until the chunk's length is reached; a
//      token that would pass it, or more than 2 x length + 8 tokens, is a corrupt payload.
// The encoder computes the logits of a window in one batched pass (llm::forward_block), the
// decoder one token at a time (llm::forward): the numerics contract of docs/llm.md makes them
// bit-identical, on every machine.
//
// Identity: the archive names the pair (model, tokenizer). Its SHA-256 is that of the text
//   "lmzip-token-model/1\nmodel <weights sha256>\nconfig <arch and sizes>\ntokenizer <fingerprint>\n"
//   "start <id>\nwindow <W>\n"   (src/model/token/token_model.cpp spells out the config line)
// so a different tokenizer, start token or window is a different model to the archive.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "lmzip/llm/llama.h"
#include "lmzip/model/byte_model.h"
#include "lmzip/tokenizer/tokenizer.h"

namespace lmzip::model {

inline constexpr std::uint32_t kTokenNumericsVersion = 1;  // docs/llm.md, "Numerics"
inline constexpr int kDefaultTokenWindow = 2048;

class TokenModel final : public ByteModel {
 public:
  // `window` 0: min(model max_seq_len, kDefaultTokenWindow). `start` -1: the model's BOS, else
  // the tokenizer's BOS, else its EOS. @throws lmzip::Error (prefixed with `name`) when there is no
  // start token, or the tokenizer has ids the model does not (the tokenizer does not match).
  TokenModel(std::shared_ptr<const llm::LlamaModel> model, std::shared_ptr<const tokenizer::Tokenizer> tok,
             std::string name, int window = 0, int start = -1);

  ModelIdentity identity() const override;
  // Sessions code whole chunks (encode_chunk / decode_chunk); their byte interface
  // (next_table / feed) throws: a token model has no table per byte.
  std::unique_ptr<ModelSession> new_session() const override;

  const llm::LlamaModel& llama() const { return *model_; }
  const tokenizer::Tokenizer& tokenizer() const { return *tok_; }
  int start_token() const { return start_; }
  int window() const { return window_; }

 private:
  std::shared_ptr<const llm::LlamaModel> model_;
  std::shared_ptr<const tokenizer::Tokenizer> tok_;
  ModelIdentity id_;
  int window_ = 0;
  int start_ = -1;
};

// True when `path` is a model file or folder that open_token_model() reads (GGUF, a Hugging
// Face folder / config.json, a llama2.c checkpoint), not an lmzip byte-transformer file.
bool looks_like_token_model(const std::filesystem::path& path);

// Opens a Llama-family model (llm::load_llama) and its tokenizer: `tokenizer` when given, else
// the GGUF's own tokenizer.ggml.* tables, else tokenizer.json / tokenizer.model beside the
// model. @throws lmzip::Error naming the file when no tokenizer is found (llama2.c checkpoints
// need --tokenizer), or it does not match the model.
std::shared_ptr<const TokenModel> open_token_model(const std::filesystem::path& model,
                                                   const std::optional<std::filesystem::path>& tokenizer = {});

// The tokenizer that a GGUF's metadata describes (SentencePiece for tokenizer.ggml.model
// "llama", byte-level BPE for "gpt2"). @throws lmzip::Error starting with `label`.
std::unique_ptr<tokenizer::Tokenizer> tokenizer_from_gguf(const llm::GgufTokenizerData& data, const std::string& label);

}  // namespace lmzip::model
