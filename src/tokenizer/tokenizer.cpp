// load_tokenizer(): recognises a tokenizer file by name and content and hands it to its reader;
// Tokenizer::decode(); the llama2.c tok*.bin reader (via lmzip::model::llama2c).
#include "lmzip/tokenizer/tokenizer.h"

#include <string>

#include <nlohmann/json.hpp>

#include "lmzip/common/file_io.h"
#include "lmzip/error.h"
#include "lmzip/model/llama2c.h"
#include "loaders.h"

namespace lmzip::tokenizer {

Bytes Tokenizer::decode(std::span<const TokenId> ids) const {
  Bytes out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const Bytes b = token_bytes(ids[i], i);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

namespace {

// llama2.c's export writes sentencepiece's pieces with U+2581 turned back into spaces, and
// BOS/EOS as "\n<s>\n" / "\n</s>\n"; ids 0, 1, 2 are unk, bos, eos.
std::unique_ptr<Tokenizer> load_llama2c(const std::filesystem::path& path, std::optional<int> vocab_size) {
  const std::string name = path.string();
  if (!vocab_size) throw Error(name + ": a llama2.c tokenizer needs the model's vocab_size");
  const model::llama2c::Tokenizer tok = model::llama2c::read_tokenizer(path, *vocab_size);
  if (tok.vocab.size() < 3) throw Error(name + ": a llama2.c tokenizer needs unk, bos and eos (ids 0, 1, 2)");
  SentencePieceSpec spec;
  spec.pieces.reserve(tok.vocab.size());
  for (const std::string& v : tok.vocab) {
    std::string p;
    for (char c : v) {
      if (c == ' ') p += "\xE2\x96\x81";
      else p += c;
    }
    spec.pieces.push_back(std::move(p));
  }
  spec.scores = tok.scores;
  spec.unk = 0;
  spec.bos = 1;
  spec.eos = 2;
  try {
    return make_sentencepiece_bpe(std::move(spec));
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
}

std::unique_ptr<Tokenizer> load_json(const Bytes& data, const std::filesystem::path& path) {
  const std::string name = path.string();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(data.begin(), data.end());
  } catch (const nlohmann::json::exception& e) {
    throw Error(name + ": not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object()) throw Error(name + ": not a tokenizer (the JSON is not an object)");
  try {
    if (j.contains("model") && j["model"].is_object()) return load_tokenizer_json(j, name);
    return load_gpt2_encoder_json(j, path);
  } catch (const nlohmann::json::exception& e) {
    throw Error(name + ": unexpected tokenizer JSON (" + e.what() + ")");
  }
}

std::unique_ptr<Tokenizer> load_sentencepiece(const Bytes& data, const std::string& name) {
  SentencePieceSpec spec = parse_sentencepiece_model(data, name);
  try {
    return make_sentencepiece_bpe(std::move(spec));
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
}

}  // namespace

std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& path, std::optional<int> vocab_size) {
  const std::string name = path.string();
  const std::string ext = path.extension().string();
  if (ext == ".bin") return load_llama2c(path, vocab_size);
  const Bytes data = read_whole_file(path);
  if (ext == ".model") return load_sentencepiece(data, name);
  std::size_t first = 0;
  while (first < data.size() && (data[first] == ' ' || data[first] == '\t' || data[first] == '\n' || data[first] == '\r')) ++first;
  if (ext == ".json" || (first < data.size() && data[first] == '{')) return load_json(data, path);
  if (!data.empty() && data[0] == 0x0A) return load_sentencepiece(data, name);  // field 1 (pieces), length-delimited
  if (vocab_size) return load_llama2c(path, vocab_size);
  throw Error(name + ": not a recognised tokenizer (tokenizer.model, tokenizer.json, encoder.json or llama2.c tok*.bin)");
}

}  // namespace lmzip::tokenizer
