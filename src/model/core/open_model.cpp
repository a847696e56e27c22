// open_model.cpp - models by name: the built-in adaptive models, and byte-transformer files
// (safetensors, docs/model.md) run by the int8 engine under the numerics contract.
#include "lmzip/model/open_model.h"

#include <filesystem>
#include <memory>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model/adaptive.h"
#include "lmzip/model/int8/int8_transformer.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/token_model.h"
#include "model/core/embedded_model.h"

namespace lmzip::model {

namespace {

// The transformer of a checked model file, run by the int8 engine (which copies what it needs).
std::shared_ptr<const ByteModel> transformer_of(const ModelFile& file) {
  ModelIdentity id;
  id.name = file.name();
  id.sha256 = file.sha256();
  if (id.name.size() > 255) id.name.resize(255);  // the archive stores at most 255 bytes
  id.parameters = file.config().parameter_count();
  return std::make_shared<int8::Int8Transformer>(file.weights(), id);
}

// The embedded files, checked once; the default model first.
const std::vector<std::unique_ptr<const ModelFile>>& embedded_files() {
  static const auto files = [] {
    std::vector<std::unique_ptr<const ModelFile>> v;
    for (const ByteView image : embedded_model_images()) {
      v.push_back(std::make_unique<const ModelFile>(image, "(embedded model " + std::to_string(v.size()) + ")"));
    }
    return v;
  }();
  return files;
}

}  // namespace

std::string embedded_model_name() { return embedded_files().front()->name(); }

std::vector<std::string> embedded_model_names() {
  std::vector<std::string> names;
  for (const auto& f : embedded_files()) names.push_back(f->name());
  return names;
}

const ModelFile* embedded_model_file(std::string_view name) {
  for (const auto& f : embedded_files()) {
    if (name == f->name()) return f.get();
  }
  return nullptr;
}

std::vector<std::string> builtin_model_names() {
  std::vector<std::string> names = embedded_model_names();
  for (int k = 0; k <= AdaptiveOrderModel::kMaxOrder; ++k) names.push_back(AdaptiveOrderModel::builtin_name(k));
  return names;
}

std::shared_ptr<const ByteModel> open_model(std::string_view spec, const OpenOptions& options) {
  auto byte_model = [&](std::shared_ptr<const ByteModel> m) {
    if (options.tokenizer) {
      throw Error(std::string(spec) + ": is a byte model; --tokenizer applies to token models (GGUF, Hugging Face, llama2.c)");
    }
    return m;
  };
  for (int k = 0; k <= AdaptiveOrderModel::kMaxOrder; ++k) {
    if (spec == AdaptiveOrderModel::builtin_name(k)) return byte_model(std::make_shared<AdaptiveOrderModel>(k));
  }
  if (const ModelFile* f = embedded_model_file(spec)) return byte_model(transformer_of(*f));
  const std::string path(spec);
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) {
    std::string names;
    for (const auto& n : builtin_model_names()) names += (names.empty() ? "" : ", ") + n;
    throw Error((path.empty() ? std::string("(empty model name)") : path) +
                ": no such model (built-in models: " + names + "; or the path of a model file)");
  }
  if (looks_like_token_model(path)) {
    std::optional<std::filesystem::path> tok;
    if (options.tokenizer) tok = *options.tokenizer;
    return open_token_model(path, tok);
  }
  // A transformer file: the engine copies (quantises) what it needs, so the mapping can go.
  return byte_model(transformer_of(ModelFile(path)));
}

}  // namespace lmzip::model
