// write_model_file: a Weights view -> a byte-transformer safetensors file.
#include <cmath>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/safetensors.h"

namespace lmzip::model {

void write_model_file(const std::filesystem::path& path, const Config& config, const Weights& weights,
                      std::string_view name) {
  const std::string label = path.string();
  try {
    config.validate();
  } catch (const Error& e) {
    throw Error(label + ": " + e.what());
  }
  if (!(weights.config == config)) throw Error(label + ": the weights' config differs from the config to write");
  const auto specs = tensor_specs(config);
  const auto ptrs = tensor_pointers(weights);
  std::vector<TensorToWrite> tensors;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const std::uint64_t n = specs[i].size();
    for (std::uint64_t k = 0; k < n; ++k) {
      if (!std::isfinite(ptrs[i][k])) {
        throw Error(label + ": tensor " + specs[i].name + ": element " + std::to_string(k) + " is not finite");
      }
    }
    tensors.push_back({specs[i].name, DType::F32, specs[i].shape,
                       ByteView(reinterpret_cast<const std::uint8_t*>(ptrs[i]), n * sizeof(float))});
  }
  SafetensorsMetadata meta{{"format", std::string(kModelFormat)}, {"config", to_json(config)}};
  if (!name.empty()) meta["name"] = std::string(name);
  write_safetensors(path, tensors, meta);
}

}  // namespace lmzip::model
