// open_model.cpp - models by name: the built-in adaptive models, and (later) model files.
#include "lmzip/model/open_model.h"

#include <filesystem>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model/adaptive.h"

namespace lmzip::model {

std::vector<std::string> builtin_model_names() {
  std::vector<std::string> names;
  for (int k = 0; k <= AdaptiveOrderModel::kMaxOrder; ++k) names.push_back(AdaptiveOrderModel::builtin_name(k));
  return names;
}

std::shared_ptr<const ByteModel> open_model(std::string_view spec) {
  for (int k = 0; k <= AdaptiveOrderModel::kMaxOrder; ++k) {
    if (spec == AdaptiveOrderModel::builtin_name(k)) return std::make_shared<AdaptiveOrderModel>(k);
  }
  const std::string path(spec);
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) {
    std::string names;
    for (const auto& n : builtin_model_names()) names += (names.empty() ? "" : ", ") + n;
    throw Error((path.empty() ? std::string("(empty model name)") : path) +
                ": no such model (built-in models: " + names + "; or the path of a model file)");
  }
  // The model-file branch: the transformer loader replaces this.
  throw Error(path + ": transformer model files are not supported yet");
}

}  // namespace lmzip::model
