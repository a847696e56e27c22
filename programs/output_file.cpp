#include "output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "lmzip/error.h"
#include "signal_cleanup.h"

namespace lmzip::cli {

namespace {

constexpr std::size_t kBufferSize = std::size_t{1} << 18;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int err) {
  throw Error(path.string() + ": " + what + ": " + std::strerror(err));
}

void write_all(int fd, const std::uint8_t* p, std::size_t n, const std::filesystem::path& path) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail(path, "write failed", errno);
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

}  // namespace

OutputFile::OutputFile(std::filesystem::path destination) : destination_(std::move(destination)) {
  const std::filesystem::path dir = destination_.parent_path().empty() ? "." : destination_.parent_path();
  temp_ = (dir / ("." + destination_.filename().string() + ".lmzip-tmp-XXXXXX")).string();
  SignalBlock block;
  fd_ = ::mkstemp(temp_.data());
  if (fd_ < 0) fail(destination_, "cannot create a temporary file", errno);
  set_cleanup_path(temp_.c_str());
}

OutputFile::~OutputFile() {
  if (fd_ < 0) return;
  SignalBlock block;
  ::close(fd_);
  ::unlink(temp_.c_str());
  set_cleanup_path(nullptr);
}

void OutputFile::write(ByteView bytes) {
  if (buffer_.size() + bytes.size() > kBufferSize) flush();
  if (bytes.size() >= kBufferSize) {
    write_all(fd_, bytes.data(), bytes.size(), destination_);
    return;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void OutputFile::flush() {
  write_all(fd_, buffer_.data(), buffer_.size(), destination_);
  buffer_.clear();
}

void OutputFile::commit(const std::optional<struct stat>& like) {
  flush();
  mode_t mode;
  if (like) {
    mode = like->st_mode & 07777;
    const struct timespec times[2] = {like->st_atim, like->st_mtim};
    ::futimens(fd_, times);  // best effort, as gzip
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  if (::fchmod(fd_, mode) != 0) fail(destination_, "cannot set permissions", errno);
  if (::fsync(fd_) != 0) fail(destination_, "fsync failed", errno);
  SignalBlock block;
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp_.c_str());
    set_cleanup_path(nullptr);
    fail(destination_, "close failed", err);
  }
  if (std::rename(temp_.c_str(), destination_.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp_.c_str());
    set_cleanup_path(nullptr);
    fail(destination_, "cannot rename the temporary file", err);
  }
  set_cleanup_path(nullptr);
}

void BufferedFdSink::write(ByteView bytes) {
  if (buffer_.size() + bytes.size() > kBufferSize) flush();
  if (bytes.size() >= kBufferSize) {
    sink_.write(bytes);
    return;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void BufferedFdSink::flush() {
  sink_.write(buffer_);
  buffer_.clear();
}

}  // namespace lmzip::cli
