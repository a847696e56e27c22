// lmzip/tokenizer/tokenizer.h - subword tokenizers that reproduce reference token ids exactly.
//
// Two families (docs/tokenizer.md has the details and the references each was checked against):
//
//  * "sentencepiece-bpe" (Llama 2, llama2.c tok*.bin): the text is normalised (every space U+0020
//    becomes U+2581 "▁", a dummy "▁" is put in front when add_dummy_prefix), split into UTF-8
//    characters, and the adjacent pair whose concatenation is a vocabulary piece with the highest
//    score is merged (ties: leftmost) until no pair is; a piece that is not in the vocabulary
//    becomes one <0xNN> byte token per UTF-8 byte (byte fallback). Same ids as sentencepiece's
//    SentencePieceProcessor::Encode for valid UTF-8 text that has no U+2581 in it.
//  * "byte-bpe" (GPT-2, Llama 3, Qwen2): special tokens are split out, the rest is cut into
//    pre-tokens by the family's regex (implemented by hand, see pretokenize.h), each pre-token's
//    bytes are mapped to the 256 "byte-level" characters and merged by merge rank. Same ids as
//    transformers' GPT2Tokenizer / Hugging Face tokenizers for valid UTF-8 text.
//
// Losslessness: for every byte string x, decode(encode(x)) == x, with these exceptions (the
// compressor checks and stores such a chunk raw): a SentencePiece vocabulary without byte
// pieces (unknown characters become <unk>), remove_extra_whitespaces (spaces are dropped).
// To be lossless where sentencepiece is not, invalid UTF-8 bytes and a literal U+2581 in the
// input are encoded as <0xNN> byte tokens (sentencepiece maps the first to U+FFFD and the
// second to a space).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lmzip/bytes.h"

namespace lmzip::tokenizer {

using TokenId = std::int32_t;

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // Number of token ids (the largest id + 1).
  virtual std::size_t vocab_size() const = 0;
  // "sentencepiece-bpe" or "byte-bpe".
  virtual std::string_view kind() const = 0;
  // Token ids of arbitrary bytes (no BOS added). Valid UTF-8 text gives exactly the reference ids.
  virtual std::vector<TokenId> encode(ByteView text) const = 0;
  // The bytes of token `id` when it is the `index`-th token of a sequence (index 0 matters for
  // SentencePiece: the dummy-prefix space of the first token is dropped, as sentencepiece decode
  // does). Concatenating token_bytes(ids[i], i) for i = 0.. gives decode(ids).
  // SentencePiece control pieces (<s>, </s>) give no bytes and <unk> gives " U+2047 "; byte-level
  // specials give their own text ("<|endoftext|>"). @throws lmzip::Error if id is out of range.
  virtual Bytes token_bytes(TokenId id, std::size_t index) const = 0;
  // The concatenation of token_bytes(ids[i], i). @throws lmzip::Error if an id is out of range.
  Bytes decode(std::span<const TokenId> ids) const;
  // Special tokens (or -1 when the vocabulary has none).
  virtual TokenId bos_id() const = 0;
  virtual TokenId eos_id() const = 0;
  // SHA-256 (64 lower-case hex digits) of a canonical serialisation of everything that determines
  // encode/decode (kind, pieces, scores, types, merges, options): two tokenizers with equal
  // fingerprints tokenize identically, whichever file they came from.
  virtual std::string fingerprint() const = 0;
};

// Loads a tokenizer file, recognised by name and content:
//   *.model           SentencePiece ModelProto (protobuf; model_type BPE, identity normalizer)
//   tokenizer.json    Hugging Face tokenizers, model.type "BPE": byte-level (ByteLevel
//                     pre-tokenizer, or a Split with the Llama 3 / Qwen2 regex) or
//                     SentencePiece-style (byte_fallback, "▁" normalizer / Metaspace)
//   encoder.json      GPT-2 vocabulary; its merges are read from vocab.bpe (or merges.txt) beside it
//   *.bin             llama2.c tok*.bin; needs `vocab_size` (the model's vocabulary size)
// @throws lmzip::Error naming the file (unreadable, malformed, unsupported variant).
std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& path,
                                          std::optional<int> vocab_size = {});

// SentencePiece piece types (sentencepiece_model.proto).
enum PieceType : int { kNormal = 1, kUnknown = 2, kControl = 3, kUserDefined = 4, kUnused = 5, kByte = 6 };

// A SentencePiece BPE vocabulary as raw tables (what GGUF's tokenizer.ggml.* metadata holds).
struct SentencePieceSpec {
  std::vector<std::string> pieces;  // (vocab) pieces, spaces written as U+2581
  std::vector<float> scores;        // (vocab) merge priority, larger first
  // (vocab) PieceType values; empty: inferred (unk -> 2, bos/eos -> 3, "<0xNN>" -> 6, else 1).
  std::vector<int> types;
  bool add_dummy_prefix = true;
  bool remove_extra_whitespaces = false;
  TokenId bos = -1, eos = -1, unk = -1;  // unk -1: the first kUnknown piece, if any
};
// Of duplicate pieces the first is used. @throws lmzip::Error ("sentencepiece: ...") on
// inconsistent tables (sizes, types or ids out of range, a byte piece that is not <0xNN>, no
// unknown piece while some byte piece is missing).
std::unique_ptr<Tokenizer> make_sentencepiece_bpe(SentencePieceSpec spec);

// The regex split of each byte-level family (pretokenize.h, docs/tokenizer.md).
enum class PreTokenizer { Gpt2, Llama3, Qwen2 };

// A byte-level BPE vocabulary as raw tables.
struct ByteBpeSpec {
  std::vector<std::string> tokens;  // (vocab) in byte-level-unicode form as in encoder.json
  std::vector<std::string> merges;  // "a b", highest priority first
  PreTokenizer pre = PreTokenizer::Gpt2;
  TokenId bos = -1, eos = -1;
  // Strings split out of the text before pre-tokenization (leftmost, then longest match) and
  // encoded as the given id; their bytes are the string itself (e.g. "<|endoftext|>").
  std::vector<std::pair<std::string, TokenId>> specials;
  // A pre-token that is itself a token is emitted as it is, without merging (Hugging Face's
  // BPE ignore_merges). Unset: true for Llama3 (as its tokenizer.json and llama.cpp), else false.
  std::optional<bool> ignore_merges;
};
// Empty token strings are unused ids; of duplicate tokens the first is used.
// @throws lmzip::Error ("byte-bpe: ...") on inconsistent tables (a merge whose parts or result
// are not tokens, a byte without a token, an empty special, an id out of range).
std::unique_ptr<Tokenizer> make_byte_bpe(ByteBpeSpec spec);

}  // namespace lmzip::tokenizer
