// ModelFile: opens a byte-transformer safetensors file and checks it against its own config.
#include "lmzip/model/model_file.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model/safetensors.h"
#include "lmzip/model/sha256.h"

namespace lmzip::model {

static_assert(std::endian::native == std::endian::little, "model files hold little-endian floats");

namespace {

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

Config read_config(const SafetensorsFile& f, const std::string& label) {
  const auto& meta = f.metadata();
  auto format = meta.find("format");
  if (format == meta.end()) {
    throw Error(label + ": no \"format\" metadata; not an lmzip model file (expected \"" + std::string(kModelFormat) + "\")");
  }
  if (format->second != kModelFormat) {
    throw Error(label + ": metadata format is \"" + format->second + "\", expected \"" + std::string(kModelFormat) + "\"");
  }
  auto config = meta.find("config");
  if (config == meta.end()) throw Error(label + ": no \"config\" metadata");
  try {
    return config_from_json(config->second);
  } catch (const Error& e) {
    throw Error(label + ": metadata config: " + e.what());
  }
}

// Checks the set of tensors against the config: each expected one present, F32, right shape;
// nothing else.
void check_tensors(const SafetensorsFile& f, const std::vector<TensorSpec>& specs, const std::string& label) {
  for (const auto& s : specs) {
    const SafetensorsTensor* t = f.find(s.name);
    if (!t) throw Error(label + ": tensor " + s.name + " is missing");
    if (t->dtype != DType::F32) {
      throw Error(label + ": tensor " + s.name + ": dtype " + std::string(dtype_name(t->dtype)) + ", expected F32");
    }
    if (t->shape != s.shape) {
      throw Error(label + ": tensor " + s.name + ": shape " + shape_text(t->shape) + ", expected " + shape_text(s.shape));
    }
  }
  if (f.tensors().size() != specs.size()) {
    for (const auto& t : f.tensors()) {
      bool known = false;
      for (const auto& s : specs) known = known || s.name == t.name;
      if (!known) throw Error(label + ": unexpected tensor " + t.name + " (not part of the config's model)");
    }
  }
}

void check_finite(const float* p, std::uint64_t n, const std::string& label, const std::string& name) {
  for (std::uint64_t i = 0; i < n; ++i) {
    if (!std::isfinite(p[i])) {
      throw Error(label + ": tensor " + name + ": element " + std::to_string(i) + " is not finite (" +
                  std::to_string(p[i]) + ")");
    }
  }
}

}  // namespace

ModelFile::ModelFile(const std::filesystem::path& path) : path_(path) {
  file_ = std::make_unique<SafetensorsFile>(path);
  check_and_point(path.string());
}

ModelFile::ModelFile(ByteView image, const std::string& label) : path_(label) {
  file_ = std::make_unique<SafetensorsFile>(image, label);
  check_and_point(label);
}

void ModelFile::check_and_point(const std::string& label) {
  const Config config = read_config(*file_, label);
  const std::vector<TensorSpec> specs = tensor_specs(config);
  check_tensors(*file_, specs, label);

  // Point at the mapping; a tensor that is not 4-byte aligned (possible in a foreign file whose
  // header length is not padded) is copied once into realigned_ (sized first: never reallocated).
  std::uint64_t misaligned = 0;
  for (const auto& s : specs) {
    if (reinterpret_cast<std::uintptr_t>(file_->find(s.name)->data.data()) % alignof(float) != 0) misaligned += s.size();
  }
  realigned_.resize(static_cast<std::size_t>(misaligned));
  std::vector<const float*> ptrs;
  std::size_t used = 0;
  for (const auto& s : specs) {
    const ByteView data = file_->find(s.name)->data;
    const float* p = reinterpret_cast<const float*>(data.data());
    if (reinterpret_cast<std::uintptr_t>(data.data()) % alignof(float) != 0) {
      if (!data.empty()) std::memcpy(realigned_.data() + used, data.data(), data.size());
      p = realigned_.data() + used;
      used += static_cast<std::size_t>(s.size());
    }
    check_finite(p, s.size(), label, s.name);
    ptrs.push_back(p);
  }
  weights_ = make_weights(config, ptrs);

  const auto& meta = file_->metadata();
  auto name = meta.find("name");
  name_ = name != meta.end() ? name->second : path_.stem().string();
  sha256_ = sha256_hex(file_->bytes());
  file_size_ = file_->bytes().size();
}

ModelFile::~ModelFile() = default;
ModelFile::ModelFile(ModelFile&&) noexcept = default;
ModelFile& ModelFile::operator=(ModelFile&&) noexcept = default;

}  // namespace lmzip::model
