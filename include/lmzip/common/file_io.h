// lmzip/common/file_io.h - whole-file reads and atomic writes.
//
// Outputs are never written in place: write_file_atomically() writes a temporary file in the
// destination folder and renames it over the destination only when everything was written, so
// an error (or a crash) never leaves a partial output behind.
#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

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
  // The temporary file is ".<file name><tag>XXXXXX" in the destination's folder.
  // @throws lmzip::Error naming the file if the temporary file cannot be created.
  explicit AtomicFile(std::filesystem::path path, std::string_view tag = ".tmp-");
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // @throws lmzip::Error naming the file (disk full, I/O error).
  void write(ByteView bytes);
  struct CommitOptions {
    std::optional<mode_t> mode;          // permission bits; default 0666 & ~umask
    std::optional<struct timespec> atime, mtime;  // set both (best effort) when given
  };
  // Sets the mode (and times), syncs, closes and renames. After a failure the temporary file is
  // gone and the destination untouched. @throws lmzip::Error naming the file.
  void commit(const CommitOptions& options);
  void commit() { commit(CommitOptions{}); }

  const std::string& temp_path() const { return tmp_; }

 private:
  std::filesystem::path path_;
  std::string tmp_;
  int fd_ = -1;
};

}  // namespace lmzip
