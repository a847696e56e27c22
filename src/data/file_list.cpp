// list_files: expanding a data set's paths into its sorted list of input files.
//
// Order: all files found (named directly or inside folders) sorted by their path string as
// given/walked (generic form, byte-wise comparison); exact duplicates are kept once. Folders
// are walked recursively without following symlinked folders; symlinks to files are taken.
#include <algorithm>
#include <cctype>
#include <string>
#include <system_error>

#include "lmzip/data/dataset.h"
#include "lmzip/error.h"

namespace lmzip::data {
namespace fs = std::filesystem;

namespace {

std::string lower_extension(const fs::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

std::uint64_t file_size_or_throw(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) throw Error(file.string() + ": cannot read file size: " + ec.message());
  return size;
}

// Appends the usable files under `folder`. @return how many were added.
std::size_t walk_folder(Modality m, const fs::path& folder, std::vector<SourceFile>& out) {
  std::size_t added = 0;
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, ec), end;
  if (ec) throw Error(folder.string() + ": cannot list folder: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec) || type_ec) continue;  // symlinks to files count
    if (!has_modality_extension(m, it->path())) continue;
    out.push_back({it->path(), file_size_or_throw(it->path())});
    ++added;
  }
  if (ec) throw Error(folder.string() + ": cannot list folder: " + ec.message());
  return added;
}

}  // namespace

bool has_modality_extension(Modality m, const fs::path& file) {
  const std::string ext = lower_extension(file);
  switch (m) {
    case Modality::text: return true;
    case Modality::image:
      return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".ppm" || ext == ".pgm" ||
             ext == ".pnm";
    case Modality::audio: return ext == ".wav" || ext == ".flac";
    case Modality::random: return false;
  }
  return false;
}

std::vector<SourceFile> list_files(const DatasetSpec& spec) {
  std::vector<SourceFile> files;
  if (spec.modality == Modality::random) return files;
  if (spec.paths.empty()) {
    throw Error(std::string("data set '") + std::string(to_string(spec.modality)) +
                "' names no file or folder");
  }
  for (const fs::path& p : spec.paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      throw Error(p.string() + ": no such file or folder");
    }
    if (fs::is_regular_file(st)) {
      files.push_back({p, file_size_or_throw(p)});
    } else if (fs::is_directory(st)) {
      if (walk_folder(spec.modality, p, files) == 0) {
        throw Error(p.string() + ": folder holds no " + std::string(to_string(spec.modality)) +
                    " file" +
                    (spec.modality == Modality::image ? " (.png .jpg .jpeg .ppm .pgm .pnm)"
                     : spec.modality == Modality::audio ? " (.wav .flac)"
                                                        : ""));
      }
    } else {
      throw Error(p.string() + ": not a regular file or folder");
    }
  }
  std::sort(files.begin(), files.end(), [](const SourceFile& a, const SourceFile& b) {
    return a.path.generic_string() < b.path.generic_string();
  });
  files.erase(std::unique(files.begin(), files.end(),
                          [](const SourceFile& a, const SourceFile& b) {
                            return a.path.generic_string() == b.path.generic_string();
                          }),
              files.end());
  return files;
}

}  // namespace lmzip::data
