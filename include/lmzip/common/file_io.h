// lmzip/common/file_io.h - whole-file reads and atomic writes.
//
// Outputs are never written in place: write_file_atomically() writes a temporary file in the
// destination folder and renames it over the destination only when everything was written, so
// an error (or a crash) never leaves a partial output behind.
#pragma once

#include <filesystem>
#include <string_view>

#include "lmzip/bytes.h"

namespace lmzip {

// @throws lmzip::Error naming the file.
Bytes read_whole_file(const std::filesystem::path& path);

// Writes `content` to `path` through a temporary file + rename.
// @throws lmzip::Error naming the file; the temporary file is removed and `path` is untouched.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace lmzip
