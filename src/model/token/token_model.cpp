// token_model.cpp - TokenModel, and opening a Llama-family model with its tokenizer.
#include "lmzip/model/token_model.h"

#include <bit>
#include <fstream>

#include "lmzip/error.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/safetensors.h"
#include "lmzip/model/sha256.h"
#include "model/token/token_session.h"

namespace lmzip::model {

TokenModel::TokenModel(std::shared_ptr<const llm::LlamaModel> model, std::shared_ptr<const tokenizer::Tokenizer> tok,
                       std::string name, int window, int start)
    : model_(std::move(model)), tok_(std::move(tok)) {
  const auto& c = model_->config;
  if (tok_->vocab_size() > static_cast<std::size_t>(c.vocab_size)) {
    throw Error(name + ": the tokenizer has " + std::to_string(tok_->vocab_size()) + " tokens but the model only " +
                std::to_string(c.vocab_size) + ": the tokenizer does not match the model");
  }
  window_ = window > 0 ? window : std::min(c.max_seq_len, kDefaultTokenWindow);
  if (window_ < 2 || window_ > c.max_seq_len) {
    throw Error(name + ": window " + std::to_string(window_) + " must be in 2.." + std::to_string(c.max_seq_len));
  }
  start_ = start >= 0 ? start : c.bos_id >= 0 ? c.bos_id : tok_->bos_id() >= 0 ? tok_->bos_id() : tok_->eos_id();
  if (start_ < 0 || start_ >= c.vocab_size) {
    throw Error(name + ": the model and its tokenizer name no begin (BOS) or end (EOS) token to start a chunk from");
  }
  id_.name = name.size() > 255 ? name.substr(0, 255) : name;
  id_.parameters = model_->parameter_count();
  id_.numerics_version = kTokenNumericsVersion;
  id_.context = 0;  // any chunk length: windows restart when the cache is full
  // The config too: a Hugging Face model's weights digest does not cover config.json.
  std::string config = c.arch;
  for (int v : {c.dim, c.hidden_dim, c.n_layers, c.n_heads, c.n_kv_heads, c.head_dim, c.vocab_size, c.max_seq_len,
                static_cast<int>(c.qkv_bias), static_cast<int>(c.tied_embeddings)}) {
    config += " " + std::to_string(v);
  }
  for (float f : {c.rope_theta, c.rms_eps}) config += " " + std::to_string(std::bit_cast<std::uint32_t>(f));
  for (float f : c.rope_freq_factors) config += " " + std::to_string(std::bit_cast<std::uint32_t>(f));
  const std::string canonical = "lmzip-token-model/1\nmodel " + model_->sha256 + "\nconfig " + config + "\ntokenizer " +
                                tok_->fingerprint() + "\nstart " + std::to_string(start_) + "\nwindow " +
                                std::to_string(window_) + "\n";
  id_.sha256 = sha256_hex(ByteView(reinterpret_cast<const std::uint8_t*>(canonical.data()), canonical.size()));
}

ModelIdentity TokenModel::identity() const { return id_; }

std::unique_ptr<ModelSession> TokenModel::new_session() const { return std::make_unique<TokenSession>(*this); }

namespace {

bool starts_with_gguf(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  char magic[4] = {};
  return f.read(magic, 4) && std::string_view(magic, 4) == "GGUF";
}

bool is_lmzip_model_file(const std::filesystem::path& path) {
  try {
    SafetensorsFile f(path);
    auto it = f.metadata().find("format");
    return it != f.metadata().end() && it->second == kModelFormat;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

bool looks_like_token_model(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return true;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  if (path.filename() == "config.json" || starts_with_gguf(path)) return true;
  if (path.extension() == ".safetensors") {  // a Hugging Face weights file has config.json beside it
    return std::filesystem::exists(path.parent_path() / "config.json", ec) && !is_lmzip_model_file(path);
  }
  return path.extension() == ".bin";  // a llama2.c checkpoint
}

std::unique_ptr<tokenizer::Tokenizer> tokenizer_from_gguf(const llm::GgufTokenizerData& d, const std::string& label) {
  if (d.model == "llama") {
    tokenizer::SentencePieceSpec s;
    s.pieces = d.tokens;
    s.scores = d.scores;
    s.types.assign(d.token_type.begin(), d.token_type.end());
    s.bos = d.bos_id;
    s.eos = d.eos_id;
    s.unk = d.unk_id;
    if (s.scores.empty()) s.scores.assign(s.pieces.size(), 0.0f);
    return tokenizer::make_sentencepiece_bpe(std::move(s));
  }
  if (d.model == "gpt2") {
    tokenizer::ByteBpeSpec s;
    s.tokens = d.tokens;
    s.merges = d.merges;
    s.pre = d.pre == "llama-bpe" || d.pre == "llama3" ? tokenizer::PreTokenizer::Llama3
            : d.pre == "qwen2"                         ? tokenizer::PreTokenizer::Qwen2
                                                       : tokenizer::PreTokenizer::Gpt2;
    s.bos = d.bos_id;
    s.eos = d.eos_id;
    for (std::size_t i = 0; i < d.token_type.size() && i < d.tokens.size(); ++i) {
      if (d.token_type[i] == tokenizer::kControl || d.token_type[i] == tokenizer::kUserDefined) {
        s.specials.emplace_back(d.tokens[i], static_cast<tokenizer::TokenId>(i));
      }
    }
    return tokenizer::make_byte_bpe(std::move(s));
  }
  throw Error(label + ": tokenizer.ggml.model \"" + d.model + "\" is not supported (\"llama\" and \"gpt2\" are)");
}

std::shared_ptr<const TokenModel> open_token_model(const std::filesystem::path& path,
                                                   const std::optional<std::filesystem::path>& tokenizer) {
  auto model = std::make_shared<llm::LlamaModel>(llm::load_llama(path));
  std::shared_ptr<const tokenizer::Tokenizer> tok;
  const int vocab = model->config.vocab_size;
  if (tokenizer) {
    tok = tokenizer::load_tokenizer(*tokenizer, vocab);
  } else if (model->tokenizer) {
    tok = tokenizer_from_gguf(*model->tokenizer, path.string());
  } else {
    std::error_code ec;
    const auto dir = std::filesystem::is_directory(path, ec) ? path : path.parent_path();
    for (const char* name : {"tokenizer.json", "tokenizer.model"}) {
      if (std::filesystem::exists(dir / name, ec)) {
        tok = tokenizer::load_tokenizer(dir / name, vocab);
        break;
      }
    }
  }
  if (!tok) {
    throw Error(path.string() + ": no tokenizer found (none in the file, no tokenizer.json or tokenizer.model beside "
                "it); name one with --tokenizer");
  }
  std::string name = path.filename().string();
  if (name.empty() || name == "config.json") name = path.parent_path().filename().string();
  return std::make_shared<TokenModel>(std::move(model), std::move(tok), name);
}

}  // namespace lmzip::model
