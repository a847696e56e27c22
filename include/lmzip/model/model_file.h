// lmzip/model/model_file.h - byte-transformer model files, and weights held in memory.
//
// A model file is a safetensors file (lmzip/model/safetensors.h) with
//   metadata "format" = "lmzip-byte-transformer/1"
//            "config" = to_json(Config)            (lmzip/model/config.h)
//            "name"   = a display name (optional)
//   tensors  exactly those of tensor_specs(config) (lmzip/model/weights.h), all F32, with
//            their shapes, every value finite.
// A model's identity is the SHA-256 of the whole file (docs/model.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/model/config.h"
#include "lmzip/model/weights.h"

namespace lmzip::model {

inline constexpr std::string_view kModelFormat = "lmzip-byte-transformer/1";

class SafetensorsFile;

// An opened, checked model file. The weights point into a read-only mapping of the file (or, for
// a tensor not 4-byte aligned in a foreign file, into an aligned copy) that lives as long as the
// object; moving the object keeps weights() valid. Immutable: may be shared by threads.
class ModelFile {
 public:
  // Maps and checks `path`: safetensors layout, metadata, config, the exact set of tensors with
  // their shapes and dtype F32, finite values; hashes the whole file.
  // @throws lmzip::Error naming the file, and the tensor or metadata key at fault.
  explicit ModelFile(const std::filesystem::path& path);
  // The same checks on a file image in memory that outlives the object (the model embedded in
  // the program); `label` names it in errors and is path().
  ModelFile(ByteView image, const std::string& label);
  ~ModelFile();
  ModelFile(ModelFile&&) noexcept;
  ModelFile& operator=(ModelFile&&) noexcept;

  const std::filesystem::path& path() const { return path_; }
  const Config& config() const { return weights_.config; }
  const Weights& weights() const { return weights_; }
  // The "name" metadata, or the file name without its extension when there is none.
  const std::string& name() const { return name_; }
  // SHA-256 of the whole file, 64 lower-case hex digits (computed once, at open).
  const std::string& sha256() const { return sha256_; }
  std::uint64_t file_size() const { return file_size_; }

 private:
  std::filesystem::path path_;
  std::unique_ptr<SafetensorsFile> file_;  // the mapping behind weights_
  std::vector<float> realigned_;           // copies of misaligned tensors, if any
  Weights weights_;
  std::string name_;
  std::string sha256_;
  std::uint64_t file_size_ = 0;

  void check_and_point(const std::string& label);
};

// Weights in one owned float buffer (llm.c style: one allocation carved into the tensors, in the
// order of tensor_specs). Copying copies the buffer and re-points the view.
class OwnedWeights {
 public:
  // All parameters zero. @throws lmzip::Error if the config is invalid.
  explicit OwnedWeights(const Config& c);
  // A copy of the tensors of any view. @throws lmzip::Error if its config is invalid.
  explicit OwnedWeights(const Weights& w);
  OwnedWeights(const OwnedWeights& o);
  OwnedWeights& operator=(const OwnedWeights& o);
  OwnedWeights(OwnedWeights&&) noexcept = default;  // the buffer moves, the view stays valid
  OwnedWeights& operator=(OwnedWeights&&) noexcept = default;

  const Config& config() const { return view_.config; }
  const Weights& view() const { return view_; }
  operator const Weights&() const { return view_; }  // NOLINT: a view of owned weights is natural
  // The tensor named as in the file (e.g. "layers.0.attn.wq"), row-major.
  // @throws lmzip::Error for an unknown name.
  std::span<float> tensor(std::string_view name);
  std::span<const float> tensor(std::string_view name) const;
  // Every parameter, in the order of tensor_specs(config()).
  std::span<float> data() { return buffer_; }
  std::span<const float> data() const { return buffer_; }

 private:
  void point_view();
  std::vector<float> buffer_;  // (parameter_count)
  Weights view_;
};

// How random_weights() draws parameters.
struct InitOptions {
  // LayerNorm weights 1 + u(-0.5, 0.5) and biases u(-0.5, 0.5) instead of 1 and 0, so tests
  // exercise the LayerNorm parameters.
  bool perturb_layernorm = false;
};

// Seeded random weights, the same bytes on every machine: one splitmix64 stream seeded with
// `seed` is consumed through the tensors in the order of tensor_specs; each draw gives
// u = (x >> 11) * 2^-53 in [0, 1) and the parameter float((2u - 1) * a), computed in double:
//   embed.weight            a = 1 / sqrt(D)   (the forward multiplies by sqrt(D))
//   a matrix (out, in)      a = 1 / sqrt(in); its bias (mlp.up, mlp.down, head) the same a
//   LayerNorm               weight 1, bias 0 (no draws), unless options.perturb_layernorm
// (sqrt of an integer is correctly rounded in IEEE double, so a is exact everywhere.)
// @throws lmzip::Error if the config is invalid.
OwnedWeights random_weights(const Config& c, std::uint64_t seed, const InitOptions& options = {});

// Writes `weights` as a model file (through a temporary file + rename); `name` is stored as the
// "name" metadata unless empty. Equal inputs give byte-identical files.
// @throws lmzip::Error naming the file if the config is invalid, differs from weights.config, a
// value is not finite, or the file cannot be written.
void write_model_file(const std::filesystem::path& path, const Config& config, const Weights& weights,
                      std::string_view name = {});

}  // namespace lmzip::model
