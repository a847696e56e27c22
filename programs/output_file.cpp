#include "output_file.h"

#include "signal_cleanup.h"

namespace lmzip::cli {

namespace {

constexpr std::size_t kBufferSize = std::size_t{1} << 18;

}  // namespace

OutputFile::OutputFile(std::filesystem::path destination) {
  SignalBlock block;  // the temporary file exists only once the signal handler knows it
  file_.emplace(std::move(destination), ".lmzip-tmp-");
  set_cleanup_path(file_->temp_path().c_str());
}

OutputFile::~OutputFile() {
  SignalBlock block;
  file_.reset();  // removes the temporary file unless committed
  set_cleanup_path(nullptr);
}

void OutputFile::write(ByteView bytes) {
  if (buffer_.size() + bytes.size() > kBufferSize) flush();
  if (bytes.size() >= kBufferSize) {
    file_->write(bytes);
    return;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void OutputFile::flush() {
  file_->write(buffer_);
  buffer_.clear();
}

void OutputFile::commit(const std::optional<struct stat>& like) {
  flush();
  AtomicFile::CommitOptions o;
  if (like) {
    o.mode = like->st_mode & 07777;
    o.atime = like->st_atim;
    o.mtime = like->st_mtim;
  }
  SignalBlock block;
  try {
    file_->commit(o);
  } catch (...) {
    set_cleanup_path(nullptr);  // the failed commit removed the temporary file
    throw;
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
