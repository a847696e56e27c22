// src/codecs/lm_codec.cpp - "lm:MODEL": lmzip's own compressor (model -> arithmetic coder, the
// .lmz container) behind the Codec interface, so that models enter `lmzip bench` as rows beside
// the classical codecs. A block is compressed as one archive of 2048-byte chunks (one chunk when
// the bench gives it a 2048-byte chunk), on one thread so that throughput is per core; the
// archive's fixed header is the H that chunked rows count once. parameter_count() gives the
// model's parameters for the paper's adjusted rate. A token model that needs a separate tokenizer
// is named "lm:MODEL@TOKENIZER" (e.g. lm:stories260K.bin@tok512.bin).
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "codecs/builtin.h"
#include "lmzip/archive/archive.h"
#include "lmzip/error.h"
#include "lmzip/model/open_model.h"

namespace lmzip::codecs {

namespace {

class LmCodec final : public Codec {
 public:
  LmCodec(std::string spec, std::string model_path, std::shared_ptr<const model::ByteModel> model)
      : spec_(std::move(spec)), model_path_(std::move(model_path)), model_(std::move(model)), identity_(model_->identity()) {}

  std::string name() const override { return "lm:" + spec_; }

  std::string description() const override {
    return fmt::format("lmzip {} ({} parameters, sha256 {}), chunks of {}, numerics v{}", identity_.name,
                       identity_.parameters, identity_.sha256.substr(0, 12), archive::kDefaultChunkSize,
                       identity_.numerics_version);
  }

  Bytes compress(ByteView raw) const override { return archive::compress_bytes(*model_, raw); }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    Bytes out = archive::decompress_bytes(*model_, packed, {}, name());
    if (out.size() != raw_size) {
      throw Error(fmt::format("{}: decoded {} bytes, expected {}", name(), out.size(), raw_size));
    }
    return out;
  }

  std::uint64_t parameter_count() const override { return identity_.parameters; }
  bool codes_in_chunks() const override { return true; }

  std::uint64_t model_file_bytes() const override {
    std::error_code ec;
    const auto size = std::filesystem::file_size(model_path_, ec);  // built-in names and folders are not files
    return ec ? 0 : static_cast<std::uint64_t>(size);
  }

 private:
  std::string spec_;
  std::string model_path_;
  std::shared_ptr<const model::ByteModel> model_;
  model::ModelIdentity identity_;
};

}  // namespace

std::unique_ptr<Codec> make_lm_codec(std::string_view model) {
  std::string spec(model), path(model);
  model::OpenOptions open;
  if (const auto at = spec.rfind('@'); at != std::string::npos && at > 0) {
    path = spec.substr(0, at);
    open.tokenizer = spec.substr(at + 1);
  }
  return std::make_unique<LmCodec>(spec, path, model::open_model(path, open));
}

}  // namespace lmzip::codecs
