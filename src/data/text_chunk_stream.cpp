// Text data sets: each file read block by block (never whole), partial last block dropped.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "chunk_streams.h"
#include "lmzip/error.h"

namespace lmzip::data::detail {
namespace {

class TextChunkStream final : public ChunkStream {
 public:
  TextChunkStream(std::vector<SourceFile> files, std::size_t chunk_size)
      : files_(std::move(files)), chunk_size_(chunk_size) {}

  bool next(Chunk& out) override {
    while (current_ < files_.size()) {
      SourceFile& src = files_[current_];
      if (!fp_) {
        fp_.reset(std::fopen(src.path.c_str(), "rb"));
        if (!fp_) {
          throw Error(src.path.string() + ": cannot open text file: " + std::strerror(errno));
        }
      }
      out.bytes.resize(chunk_size_);
      const std::size_t got = std::fread(out.bytes.data(), 1, chunk_size_, fp_.get());
      if (got == chunk_size_) {
        out.source_index = current_;
        out.index_in_source = src.chunks++;
        return true;
      }
      if (std::ferror(fp_.get())) {
        throw Error(src.path.string() + ": read error at chunk " + std::to_string(src.chunks));
      }
      fp_.reset();  // end of file: the partial block (got < chunk_size) is dropped
      ++current_;
    }
    return false;
  }

  const std::vector<SourceFile>& sources() const override { return files_; }

 private:
  std::vector<SourceFile> files_;
  std::size_t chunk_size_;
  std::size_t current_ = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> fp_{nullptr, &std::fclose};
};

}  // namespace

std::unique_ptr<ChunkStream> make_text_stream(std::vector<SourceFile> files, std::size_t chunk_size) {
  return std::make_unique<TextChunkStream>(std::move(files), chunk_size);
}

}  // namespace lmzip::data::detail
