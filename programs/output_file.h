// An output that appears only when complete: bytes go to a temporary file beside the
// destination, renamed over it by commit(). Until then the temporary file is registered with
// signal_cleanup.h, so an error (the destructor) or Ctrl-C (the signal handler) removes it and
// leaves no partial output. Like lmzip::AtomicFile (common/file_io.h), plus the path the signal
// handler needs, buffering, and the input's permissions and modification time.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <sys/stat.h>

#include "lmzip/archive/stream.h"

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
  const std::string& temp_path() const { return temp_; }
  // Flushes, applies `like`'s permission bits and times (else 0666 & ~umask), syncs and renames.
  // @throws lmzip::Error naming the destination.
  void commit(const std::optional<struct stat>& like);

 private:
  std::filesystem::path destination_;
  std::string temp_;
  int fd_ = -1;
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
