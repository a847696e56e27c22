// streams.cpp - file, memory and descriptor sources and sinks.
#include "lmzip/archive/stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lmzip/error.h"

namespace lmzip::archive {

void ByteSource::read_at(std::uint64_t, std::span<std::uint8_t>) {
  throw Error(name() + ": random access is not possible on this input");
}

namespace {

std::optional<std::uint64_t> regular_file_size(int fd) {
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) return static_cast<std::uint64_t>(st.st_size);
  return std::nullopt;
}

}  // namespace

FileSource::FileSource(const std::filesystem::path& path) : owned_(true), name_(path.string()) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(name_ + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw Error(name_ + ": is a directory");
  }
  size_ = regular_file_size(fd_);
}

FileSource::FileSource(int fd, std::string name) : fd_(fd), owned_(false), name_(std::move(name)) {
  // Random access uses absolute offsets: only a descriptor at the start of a file is one.
  if (::lseek(fd_, 0, SEEK_CUR) == 0) size_ = regular_file_size(fd_);
}

FileSource::~FileSource() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

std::size_t FileSource::read(std::span<std::uint8_t> out) {
  // One successful read() is enough: on a pipe, waiting to fill `out` could wait for data the
  // writer has not sent yet (callers that need a full buffer loop).
  for (;;) {
    const ssize_t n = ::read(fd_, out.data(), out.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throw Error(name_ + ": read error: " + std::strerror(errno));
  }
}

void FileSource::read_at(std::uint64_t offset, std::span<std::uint8_t> out) {
  if (!size_) ByteSource::read_at(offset, out);
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(name_ + ": read error: " + std::strerror(errno));
    }
    if (n == 0) throw Error(name_ + ": unexpected end of file (the file shrank while being read?)");
    done += static_cast<std::size_t>(n);
  }
}

std::size_t MemorySource::read(std::span<std::uint8_t> out) {
  const std::size_t n = std::min(out.size(), bytes_.size() - pos_);
  std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
  pos_ += n;
  return n;
}

void MemorySource::read_at(std::uint64_t offset, std::span<std::uint8_t> out) {
  if (offset > bytes_.size() || out.size() > bytes_.size() - offset) throw Error(name_ + ": read past the end");
  std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
}

void FdSink::write(ByteView bytes) {
  const std::uint8_t* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(name_ + ": write error: " + std::strerror(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace lmzip::archive
