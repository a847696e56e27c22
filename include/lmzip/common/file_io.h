// lmzip/common/file_io.h - whole-file reads and atomic writes.
//
// Outputs are never written in place: write_file_atomically() writes a temporary file in the
// destination folder and renames it over the destination only when everything was written, so
// an error (or a crash) never leaves a partial output behind.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "lmzip/bytes.h"

namespace lmzip {

// @throws lmzip::Error naming the file.
Bytes read_whole_file(const std::filesystem::path& path);

// Writes `content` to `path` through a temporary file + rename.
// @throws lmzip::Error naming the file; the temporary file is removed and `path` is untouched.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// A streamed output: bytes go to a temporary file beside `path`; commit() renames it over
// `path`. If the object dies without commit() (an error, an exception), the temporary file is
// removed and `path` is untouched.
class AtomicFile {
 public:
  // @throws lmzip::Error naming the file if the temporary file cannot be created.
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // @throws lmzip::Error naming the file (disk full, I/O error).
  void write(ByteView bytes);
  // Flushes, syncs and renames. @throws lmzip::Error naming the file.
  void commit();

 private:
  std::filesystem::path path_;
  std::string tmp_;
  int fd_ = -1;
};

}  // namespace lmzip
