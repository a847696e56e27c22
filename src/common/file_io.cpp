#include "lmzip/common/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lmzip/error.h"

namespace lmzip {

Bytes read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open for reading: " + std::strerror(errno));
  Bytes out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path.string() + ": read error");
  return out;
}

namespace {

[[noreturn]] void fail_errno(const std::filesystem::path& path, const std::string& what, int err) {
  throw Error(path.string() + ": " + what + ": " + std::strerror(err));
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path path, std::string_view tag) : path_(std::move(path)) {
  std::filesystem::path dir = path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path();
  tmp_ = (dir / ("." + path_.filename().string() + std::string(tag) + "XXXXXX")).string();
  fd_ = ::mkstemp(tmp_.data());
  if (fd_ < 0) fail_errno(path_, "cannot create a temporary file", errno);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

void AtomicFile::write(ByteView bytes) {
  const std::uint8_t* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno(path_, "write failed", errno);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void AtomicFile::commit(const CommitOptions& options) {
  mode_t mode = 0;
  if (options.mode) {
    mode = *options.mode;
  } else {
    const mode_t mask = ::umask(0);  // mkstemp makes 0600; give the usual 0666 & ~umask
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  if (options.atime && options.mtime) {
    const struct timespec times[2] = {*options.atime, *options.mtime};
    ::futimens(fd_, times);  // best effort, as gzip
  }
  if (::fchmod(fd_, mode) != 0) fail_errno(path_, "cannot set permissions", errno);
  if (::fsync(fd_) != 0) fail_errno(path_, "fsync failed", errno);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp_.c_str());
    fail_errno(path_, "close failed", err);
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp_.c_str());
    fail_errno(path_, "rename failed", err);
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  AtomicFile out(path);
  out.write(ByteView(reinterpret_cast<const std::uint8_t*>(content.data()), content.size()));
  out.commit();
}

}  // namespace lmzip
