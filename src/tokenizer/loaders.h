// src/tokenizer/loaders.h - the file readers behind load_tokenizer() (tokenizer.cpp).
//
// Each takes the file's bytes (or parsed JSON) and its name; every error message starts with
// that name.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "lmzip/bytes.h"
#include "lmzip/tokenizer/tokenizer.h"

namespace lmzip::tokenizer {

// A SentencePiece ModelProto (sentencepiece_model_proto.cpp).
SentencePieceSpec parse_sentencepiece_model(ByteView data, const std::string& name);

// A Hugging Face tokenizer.json (tokenizer_json.cpp).
std::unique_ptr<Tokenizer> load_tokenizer_json(const nlohmann::json& j, const std::string& name);

// A GPT-2 encoder.json; the merges come from vocab.bpe (or merges.txt) in the same folder.
std::unique_ptr<Tokenizer> load_gpt2_encoder_json(const nlohmann::json& j, const std::filesystem::path& path);

}  // namespace lmzip::tokenizer
