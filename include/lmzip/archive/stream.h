// lmzip/archive/stream.h - where archive bytes come from and go to.
//
// The compressor and decompressor stream: they never need a whole file in memory, and they work
// on pipes (stdin/stdout, unknown size) as well as on files. A source has a name, used in every
// error message ("FILE: chunk 17: checksum mismatch").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "lmzip/bytes.h"

namespace lmzip::archive {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to out.size() bytes into out. @return how many; 0 only at the end of the data.
  // @throws lmzip::Error naming the source on a read error.
  virtual std::size_t read(std::span<std::uint8_t> out) = 0;
  // The name for messages: a file name, "(stdin)", ...
  virtual const std::string& name() const = 0;
  // The total size, when known in advance (a regular file); else nullopt (a pipe).
  virtual std::optional<std::uint64_t> size() const { return std::nullopt; }
  // Random access (only when size() is known): reads exactly out.size() bytes at `offset`
  // without moving the position read() continues from.
  // @throws lmzip::Error if unsupported or on a read error or short read.
  virtual void read_at(std::uint64_t offset, std::span<std::uint8_t> out);
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // @throws lmzip::Error naming the destination (disk full, closed pipe, ...).
  virtual void write(ByteView bytes) = 0;
};

// A file (opened here) or an already open descriptor such as stdin.
class FileSource final : public ByteSource {
 public:
  // @throws lmzip::Error naming the file if it cannot be opened or is a folder.
  explicit FileSource(const std::filesystem::path& path);
  // Wraps `fd` (not closed by this object) under `name`, e.g. FileSource(0, "(stdin)").
  FileSource(int fd, std::string name);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::size_t read(std::span<std::uint8_t> out) override;
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return size_; }
  void read_at(std::uint64_t offset, std::span<std::uint8_t> out) override;

 private:
  int fd_ = -1;
  bool owned_ = false;
  std::string name_;
  std::optional<std::uint64_t> size_;
};

// Bytes in memory (not copied: the view must outlive the source). Seekable.
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(ByteView bytes, std::string name = "(memory)") : bytes_(bytes), name_(std::move(name)) {}
  std::size_t read(std::span<std::uint8_t> out) override;
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return bytes_.size(); }
  void read_at(std::uint64_t offset, std::span<std::uint8_t> out) override;

 private:
  ByteView bytes_;
  std::size_t pos_ = 0;
  std::string name_;
};

// Appends to a byte vector.
class MemorySink final : public ByteSink {
 public:
  void write(ByteView bytes) override { bytes_.insert(bytes_.end(), bytes.begin(), bytes.end()); }
  Bytes& bytes() { return bytes_; }

 private:
  Bytes bytes_;
};

// Discards everything (testing an archive).
class NullSink final : public ByteSink {
 public:
  void write(ByteView) override {}
};

// Writes to an open descriptor (not closed by this object), e.g. FdSink(1, "(stdout)").
class FdSink final : public ByteSink {
 public:
  FdSink(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  void write(ByteView bytes) override;

 private:
  int fd_;
  std::string name_;
};

}  // namespace lmzip::archive
