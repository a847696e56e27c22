// Hugging Face tokenizer.json (model.type "BPE") and GPT-2 encoder.json + vocab.bpe readers.
//
// tokenizer.json comes in two shapes that lmzip supports:
//  * byte-level: a "ByteLevel" pre-tokenizer (GPT-2: its own regex) or a Sequence of a "Split"
//    with the Llama 3 / Qwen2 regex (behavior "Isolated") and ByteLevel(use_regex false).
//    Every added token is split out of the text first, as tokenizers does. An NFC normalizer
//    (Qwen2) is accepted and not applied, so that encoding stays lossless (ids differ from
//    tokenizers' only for text that is not in NFC).
//  * SentencePiece-style (Llama 2 converted): spaces written as U+2581 by a normalizer
//    (Replace " " -> "▁", Prepend "▁") or a Metaspace pre-tokenizer, byte_fallback. It becomes a
//    SentencePiece BPE whose piece scores are minus the rank of the first merge that makes the
//    piece (equivalent when, as in converted files, the merges list every split of every piece).
//    Added tokens are not split out of the text (as sentencepiece).
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lmzip/common/file_io.h"
#include "lmzip/error.h"
#include "loaders.h"

namespace lmzip::tokenizer {

namespace {

using json = nlohmann::json;

constexpr const char* kGpt2Regex = R"re('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)re";
constexpr const char* kLlama3Regex =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
constexpr const char* kQwen2Regex =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
constexpr const char* kSpaceSymbol = "\xE2\x96\x81";

[[noreturn]] void fail(const std::string& name, const std::string& msg) { throw Error(name + ": " + msg); }

// {"token": id, ...} -> tokens by id (unused ids are empty strings).
std::vector<std::string> vocab_table(const json& vocab, const std::string& name, const char* what) {
  if (!vocab.is_object() || vocab.empty()) fail(name, std::string(what) + " is not a non-empty object of token ids");
  std::vector<std::string> tokens;
  for (const auto& [token, idj] : vocab.items()) {
    if (!idj.is_number_integer() || idj.get<std::int64_t>() < 0 || idj.get<std::int64_t>() > (1 << 24)) {
      fail(name, std::string(what) + ": token \"" + token + "\" has a bad id " + idj.dump());
    }
    const auto id = idj.get<std::size_t>();
    if (id >= tokens.size()) tokens.resize(id + 1);
    if (!tokens[id].empty()) fail(name, std::string(what) + ": id " + std::to_string(id) + " is given twice");
    if (token.empty()) fail(name, std::string(what) + ": empty token " + std::to_string(id));
    tokens[id] = token;
  }
  return tokens;
}

// ["a b", ...] or [["a", "b"], ...] -> "a b" strings.
std::vector<std::string> merge_strings(const json& merges, const std::string& name) {
  if (!merges.is_array()) fail(name, "model.merges is not an array");
  std::vector<std::string> out;
  out.reserve(merges.size());
  for (const json& m : merges) {
    if (m.is_string()) out.push_back(m.get<std::string>());
    else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) out.push_back(m[0].get<std::string>() + " " + m[1].get<std::string>());
    else fail(name, "model.merges has a bad entry " + m.dump());
  }
  return out;
}

struct Added {
  std::string content;
  TokenId id;
  bool special;
};

std::vector<Added> added_tokens(const json& j, const std::string& name) {
  std::vector<Added> out;
  if (!j.contains("added_tokens") || j["added_tokens"].is_null()) return out;
  if (!j["added_tokens"].is_array()) fail(name, "added_tokens is not an array");
  for (const json& a : j["added_tokens"]) {
    if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer() || !a.contains("content") || !a["content"].is_string()) {
      fail(name, "added_tokens has a bad entry " + a.dump());
    }
    out.push_back({a["content"].get<std::string>(), a["id"].get<TokenId>(), a.value("special", false)});
  }
  return out;
}

std::string type_of(const json& c) { return c.is_object() && c.contains("type") && c["type"].is_string() ? c["type"].get<std::string>() : ""; }

// The components of a normalizer / pre-tokenizer / decoder, Sequences flattened.
void flatten(const json& c, const char* seq_key, std::vector<const json*>& out) {
  if (c.is_null()) return;
  if (type_of(c) == "Sequence" && c.contains(seq_key) && c[seq_key].is_array()) {
    for (const json& e : c[seq_key]) flatten(e, seq_key, out);
  } else {
    out.push_back(&c);
  }
}
std::vector<const json*> components(const json& j, const char* key, const char* seq_key) {
  std::vector<const json*> out;
  if (j.contains(key)) flatten(j[key], seq_key, out);
  return out;
}

TokenId find_added(const std::vector<Added>& added, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    for (const Added& a : added) {
      if (a.content == n) return a.id;
    }
  }
  return -1;
}

std::unique_ptr<Tokenizer> byte_level_json(const json& j, const json& model, const std::string& name) {
  ByteBpeSpec spec;
  bool split = false, byte_level_regex = false;
  for (const json* c : components(j, "pre_tokenizer", "pretokenizers")) {
    const std::string t = type_of(*c);
    if (t == "ByteLevel") {
      if (c->value("add_prefix_space", false)) fail(name, "ByteLevel add_prefix_space is not supported");
      byte_level_regex = byte_level_regex || c->value("use_regex", true);
    } else if (t == "Split") {
      const json& p = c->contains("pattern") ? (*c)["pattern"] : json();
      if (!p.is_object() || !p.contains("Regex") || !p["Regex"].is_string()) fail(name, "Split pre-tokenizer without a Regex pattern is not supported");
      if (c->value("behavior", std::string()) != "Isolated" || c->value("invert", false)) fail(name, "Split pre-tokenizer must be Isolated and not inverted");
      const std::string re = p["Regex"].get<std::string>();
      if (re == kLlama3Regex) spec.pre = PreTokenizer::Llama3;
      else if (re == kQwen2Regex) spec.pre = PreTokenizer::Qwen2;
      else if (re == kGpt2Regex) spec.pre = PreTokenizer::Gpt2;
      else fail(name, "pre-tokenizer regex " + json(re).dump() + " is not the GPT-2, Llama 3 or Qwen2 one");
      if (split) fail(name, "more than one Split pre-tokenizer");
      split = true;
    } else {
      fail(name, "pre-tokenizer \"" + t + "\" is not supported with a byte-level BPE");
    }
  }
  if (split == byte_level_regex) fail(name, split ? "both a Split regex and a ByteLevel regex" : "byte-level BPE without a pre-tokenizer regex");
  for (const json* c : components(j, "normalizer", "normalizers")) {
    if (type_of(*c) != "NFC") fail(name, "normalizer \"" + type_of(*c) + "\" is not supported with a byte-level BPE");
  }
  spec.tokens = vocab_table(model["vocab"], name, "model.vocab");
  spec.merges = merge_strings(model["merges"], name);
  const std::vector<Added> added = added_tokens(j, name);
  for (const Added& a : added) {
    if (a.id < 0) fail(name, "added token \"" + a.content + "\" has id " + std::to_string(a.id));
    const auto id = static_cast<std::size_t>(a.id);
    if (id < spec.tokens.size() && !spec.tokens[id].empty() && spec.tokens[id] != a.content) {
      fail(name, "added token \"" + a.content + "\" has the id of token \"" + spec.tokens[id] + "\"");
    }
    spec.specials.emplace_back(a.content, a.id);
  }
  if (model.contains("ignore_merges") && model["ignore_merges"].is_boolean()) spec.ignore_merges = model["ignore_merges"].get<bool>();
  if (spec.pre == PreTokenizer::Gpt2) {
    spec.bos = spec.eos = find_added(added, {"<|endoftext|>"});
  } else {
    spec.bos = find_added(added, {"<|begin_of_text|>", "<s>"});
    spec.eos = find_added(added, {"<|end_of_text|>", "</s>", "<|endoftext|>"});
  }
  try {
    return make_byte_bpe(std::move(spec));
  } catch (const Error& e) {
    fail(name, e.what());
  }
}

std::unique_ptr<Tokenizer> sentencepiece_json(const json& j, const json& model, const std::string& name) {
  SentencePieceSpec spec;
  spec.add_dummy_prefix = false;
  bool escapes = false;
  for (const json* c : components(j, "normalizer", "normalizers")) {
    const std::string t = type_of(*c);
    if (t == "Prepend" && c->value("prepend", std::string()) == kSpaceSymbol) {
      spec.add_dummy_prefix = true;
    } else if (t == "Replace" && c->contains("pattern") && (*c)["pattern"].value("String", std::string()) == " " &&
               c->value("content", std::string()) == kSpaceSymbol) {
      escapes = true;
    } else {
      fail(name, "normalizer \"" + t + "\" is not supported with a SentencePiece-style BPE");
    }
  }
  for (const json* c : components(j, "pre_tokenizer", "pretokenizers")) {
    if (type_of(*c) != "Metaspace" || c->value("replacement", std::string()) != kSpaceSymbol) {
      fail(name, "pre-tokenizer \"" + type_of(*c) + "\" is not supported with a SentencePiece-style BPE");
    }
    escapes = true;
    const std::string scheme = c->value("prepend_scheme", std::string(c->value("add_prefix_space", true) ? "always" : "never"));
    spec.add_dummy_prefix = scheme != "never";
  }
  if (!escapes) fail(name, "BPE tokenizer is neither byte-level (ByteLevel) nor SentencePiece-style (spaces as U+2581)");

  spec.pieces = vocab_table(model["vocab"], name, "model.vocab");
  const std::vector<std::string> merges = merge_strings(model["merges"], name);
  const std::size_t n = spec.pieces.size();
  std::map<std::string_view, TokenId> ids;
  for (std::size_t i = 0; i < n; ++i) {
    if (!spec.pieces[i].empty()) ids.emplace(spec.pieces[i], static_cast<TokenId>(i));
  }
  // Score: minus the rank of the first merge that makes the piece; pieces no merge makes rank last.
  spec.scores.assign(n, -static_cast<float>(merges.size() + 1));
  std::vector<bool> scored(n, false);
  for (std::size_t r = 0; r < merges.size(); ++r) {
    const std::size_t sp = merges[r].find(' ');
    if (sp == std::string::npos) fail(name, "model.merges entry \"" + merges[r] + "\" is not two tokens");
    const std::string merged = merges[r].substr(0, sp) + merges[r].substr(sp + 1);
    const auto it = ids.find(merged);
    if (it == ids.end()) fail(name, "model.merges entry \"" + merges[r] + "\" makes \"" + merged + "\", which is not a token");
    if (!scored[it->second]) {
      scored[it->second] = true;
      spec.scores[it->second] = -static_cast<float>(r);
    }
  }
  const bool byte_fallback = model.value("byte_fallback", false);
  const std::string unk = model.contains("unk_token") && model["unk_token"].is_string() ? model["unk_token"].get<std::string>() : "";
  spec.types.assign(n, kNormal);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& p = spec.pieces[i];
    if (p.empty()) spec.types[i] = kControl;  // an unused id: never produced
    else if (!unk.empty() && p == unk) spec.types[i] = kUnknown;
    else if (byte_fallback && p.size() == 6 && p.starts_with("<0x") && p.back() == '>') spec.types[i] = kByte;
  }
  // Added tokens: control pieces (those past the vocabulary are appended, e.g. "<pad>").
  const std::vector<Added> added = added_tokens(j, name);
  for (const Added& a : added) {
    if (a.id < 0 || a.id > (1 << 24)) fail(name, "added token \"" + a.content + "\" has id " + std::to_string(a.id));
    const auto id = static_cast<std::size_t>(a.id);
    if (id >= spec.pieces.size()) {
      spec.pieces.resize(id + 1);
      spec.scores.resize(id + 1, 0.0f);
      spec.types.resize(id + 1, kControl);
    }
    if (spec.pieces[id].empty()) spec.pieces[id] = a.content;
    else if (spec.pieces[id] != a.content) fail(name, "added token \"" + a.content + "\" has the id of piece \"" + spec.pieces[id] + "\"");
    if (a.special && spec.types[id] == kNormal) spec.types[id] = kControl;
  }
  spec.bos = find_added(added, {"<s>"});
  spec.eos = find_added(added, {"</s>"});
  try {
    return make_sentencepiece_bpe(std::move(spec));
  } catch (const Error& e) {
    fail(name, e.what());
  }
}

}  // namespace

std::unique_ptr<Tokenizer> load_tokenizer_json(const json& j, const std::string& name) {
  const json& model = j["model"];
  if (!model.is_object()) fail(name, "\"model\" is not an object");
  const std::string type = model.value("type", std::string("BPE"));
  if (type != "BPE") fail(name, "model.type \"" + type + "\" is not supported (BPE is)");
  if (!model.contains("vocab") || !model.contains("merges")) fail(name, "model has no vocab or merges");
  bool byte_level = false;
  for (const json* c : components(j, "pre_tokenizer", "pretokenizers")) byte_level = byte_level || type_of(*c) == "ByteLevel";
  for (const json* c : components(j, "decoder", "decoders")) byte_level = byte_level || type_of(*c) == "ByteLevel";
  return byte_level ? byte_level_json(j, model, name) : sentencepiece_json(j, model, name);
}

std::unique_ptr<Tokenizer> load_gpt2_encoder_json(const json& j, const std::filesystem::path& path) {
  const std::string name = path.string();
  ByteBpeSpec spec;
  spec.tokens = vocab_table(j, name, "encoder");
  std::filesystem::path merges_path = path.parent_path() / "vocab.bpe";
  if (!std::filesystem::exists(merges_path)) merges_path = path.parent_path() / "merges.txt";
  if (!std::filesystem::exists(merges_path)) {
    fail(name, "GPT-2 encoder needs its merges: " + (path.parent_path() / "vocab.bpe").string() + " (or merges.txt) not found");
  }
  const Bytes text = read_whole_file(merges_path);
  std::istringstream in(std::string(text.begin(), text.end()));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.starts_with("#version")) continue;
    spec.merges.push_back(line);
  }
  spec.pre = PreTokenizer::Gpt2;
  for (std::size_t i = 0; i < spec.tokens.size(); ++i) {
    if (spec.tokens[i] == "<|endoftext|>") {
      spec.bos = spec.eos = static_cast<TokenId>(i);
      spec.specials.emplace_back(spec.tokens[i], static_cast<TokenId>(i));
    }
  }
  try {
    return make_byte_bpe(std::move(spec));
  } catch (const Error& e) {
    fail(name + " + " + merges_path.filename().string(), e.what());
  }
}

}  // namespace lmzip::tokenizer
