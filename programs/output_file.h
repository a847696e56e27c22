// An output that appears only when complete: a buffered lmzip::AtomicFile (common/file_io.h)
// whose temporary file is registered with signal_cleanup.h while it exists, so an error (the
// destructor) or Ctrl-C (the signal handler) removes it and leaves no partial output; commit()
// gives the result the input's permissions and times, as gzip does.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <sys/stat.h>

#include "lmzip/archive/stream.h"
#include "lmzip/common/file_io.h"

namespace lmzip::cli {

class OutputFile final : public archive::ByteSink {
 public:
  // @throws lmzip::Error naming the destination if the temporary file cannot be created.
  explicit OutputFile(std::filesystem::path destination);
  ~OutputFile() override;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(ByteView bytes) override;
  // Writes out the buffer (before reading the temporary file back).
  void flush();
  const std::string& temp_path() const { return file_->temp_path(); }
  // Flushes, applies `like`'s permission bits and times (else 0666 & ~umask), syncs and renames.
  // @throws lmzip::Error naming the destination.
  void commit(const std::optional<struct stat>& like);

 private:
  std::optional<AtomicFile> file_;
  Bytes buffer_;
};

// Buffers small writes to a descriptor such as stdout.
class BufferedFdSink final : public archive::ByteSink {
 public:
  BufferedFdSink(int fd, std::string name) : sink_(fd, std::move(name)) {}
  ~BufferedFdSink() override = default;
  void write(ByteView bytes) override;
  void flush();

 private:
  archive::FdSink sink_;
  Bytes buffer_;
};

}  // namespace lmzip::cli
