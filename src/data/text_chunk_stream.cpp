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

class TextChunkStream final : public PerFileChunkStream {
 public:
  TextChunkStream(std::vector<SourceFile> files, std::size_t chunk_size)
      : PerFileChunkStream(std::move(files)), chunk_size_(chunk_size) {}

 protected:
  void open_file(SourceFile& src) override {
    fp_.reset(std::fopen(src.path.c_str(), "rb"));
    if (!fp_) throw Error(src.path.string() + ": cannot open text file: " + std::strerror(errno));
  }

  bool next_in_file(SourceFile& src, Chunk& out) override {
    out.bytes.resize(chunk_size_);
    const std::size_t got = std::fread(out.bytes.data(), 1, chunk_size_, fp_.get());
    if (got == chunk_size_) return true;
    if (std::ferror(fp_.get())) {
      throw Error(src.path.string() + ": read error at chunk " + std::to_string(src.chunks));
    }
    return false;  // end of file: the partial block (got < chunk_size) is dropped
  }

  void close_file() override { fp_.reset(); }

 private:
  std::size_t chunk_size_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> fp_{nullptr, &std::fclose};
};

}  // namespace

std::unique_ptr<ChunkStream> make_text_stream(std::vector<SourceFile> files, std::size_t chunk_size) {
  return std::make_unique<TextChunkStream>(std::move(files), chunk_size);
}

}  // namespace lmzip::data::detail
