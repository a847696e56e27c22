// model_match.cpp - which model decodes an archive, and the refusal when it is the wrong one.
#include <algorithm>

#include "lmzip/archive/archive.h"
#include "lmzip/error.h"
#include "lmzip/model/open_model.h"

namespace lmzip::archive {

namespace {

bool is_builtin(const std::string& name) {
  const auto names = model::builtin_model_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string how_to_decode(const ArchiveHeader& header) {
  return is_builtin(header.model.name) ? "decompress with -m " + header.model.name
                                       : "decompress with -m <the model file " + header.model.name + ">";
}

std::string describe(const model::ModelIdentity& id) { return id.name + " (sha256 " + id.sha256 + ")"; }

}  // namespace

void check_model(const ArchiveHeader& header, const model::ByteModel& model, const std::string& archive_name) {
  const model::ModelIdentity given = model.identity();
  if (given.sha256 != header.model.sha256) {
    throw Error(archive_name + ": made with model " + describe(header.model) + ", but model " + describe(given) +
                " was given; " + how_to_decode(header));
  }
  if (given.numerics_version != header.model.numerics_version) {
    throw Error(archive_name + ": made with numerics version " + std::to_string(header.model.numerics_version) +
                " of model " + header.model.name + ", but this lmzip computes version " +
                std::to_string(given.numerics_version) + "; decompress with an lmzip that supports version " +
                std::to_string(header.model.numerics_version));
  }
  if (given.context != 0 && header.chunk_size > given.context) {
    throw Error(archive_name + ": chunk size " + std::to_string(header.chunk_size) + " exceeds the context of model " +
                given.name + " (" + std::to_string(given.context) + " bytes): corrupt archive");
  }
}

std::shared_ptr<const model::ByteModel> model_for_archive(const ArchiveHeader& header, const std::string& archive_name,
                                                          const std::optional<std::string>& spec,
                                                          std::string_view default_spec, const model::OpenOptions& open) {
  if (spec) {
    auto m = model::open_model(*spec, open);
    check_model(header, *m, archive_name);
    return m;
  }
  std::shared_ptr<const model::ByteModel> builtin;
  if (is_builtin(header.model.name)) {
    builtin = model::open_model(header.model.name);
    if (builtin->identity().sha256 == header.model.sha256) {
      check_model(header, *builtin, archive_name);
      return builtin;
    }
  }
  std::shared_ptr<const model::ByteModel> fallback;
  try {
    fallback = model::open_model(default_spec);
  } catch (const Error&) {
    // The default model is not available here; the archive's model must then be named.
  }
  if (fallback && fallback->identity().sha256 == header.model.sha256) {
    check_model(header, *fallback, archive_name);
    return fallback;
  }
  if (builtin) {
    throw Error(archive_name + ": made with model " + describe(header.model) + ", but this lmzip's built-in " +
                header.model.name + " is a different version (sha256 " + builtin->identity().sha256 +
                "); decompress with the lmzip that made it");
  }
  throw Error(archive_name + ": made with model " + describe(header.model) + ", which is not built in; " +
              how_to_decode(header));
}

}  // namespace lmzip::archive
