// open_dataset: picks the stream for the modality and applies the max_chunks limit.
#include <memory>
#include <string>

#include "chunk_streams.h"
#include "lmzip/data/tiler.h"
#include "lmzip/error.h"

namespace lmzip::data {
namespace detail {
namespace {

class LimitedChunkStream final : public ChunkStream {
 public:
  LimitedChunkStream(std::unique_ptr<ChunkStream> inner, std::uint64_t max_chunks)
      : inner_(std::move(inner)), left_(max_chunks) {}

  bool next(Chunk& out) override {
    if (left_ == 0) return false;
    if (!inner_->next(out)) {
      left_ = 0;
      return false;
    }
    --left_;
    return true;
  }

  const std::vector<SourceFile>& sources() const override { return inner_->sources(); }

 private:
  std::unique_ptr<ChunkStream> inner_;
  std::uint64_t left_;
};

}  // namespace

bool PerFileChunkStream::next(Chunk& out) {
  while (current_ < files_.size()) {
    SourceFile& src = files_[current_];
    if (!open_) {
      open_file(src);
      open_ = true;
    }
    if (next_in_file(src, out)) {
      out.source_index = current_;
      out.index_in_source = src.chunks++;
      return true;
    }
    close_file();
    open_ = false;
    ++current_;
  }
  return false;
}

std::unique_ptr<ChunkStream> limit_chunks(std::unique_ptr<ChunkStream> inner,
                                          std::uint64_t max_chunks) {
  return std::make_unique<LimitedChunkStream>(std::move(inner), max_chunks);
}

}  // namespace detail

std::unique_ptr<ChunkStream> open_dataset(const DatasetSpec& spec) {
  if (spec.chunk_size == 0) throw Error("chunk size must be positive");
  if (spec.modality == Modality::image && spec.chunk_size != kTileBytes) {
    throw Error("image chunks are 32x64 tiles of 2048 bytes; chunk size " +
                std::to_string(spec.chunk_size) + " is not possible");
  }
  std::unique_ptr<ChunkStream> stream;
  switch (spec.modality) {
    case Modality::text:
      stream = detail::make_text_stream(list_files(spec), spec.chunk_size);
      break;
    case Modality::image: stream = detail::make_image_stream(list_files(spec)); break;
    case Modality::audio:
      stream = detail::make_audio_stream(list_files(spec), spec.chunk_size);
      break;
    case Modality::random:
      stream = detail::make_random_stream(spec.random_bytes, spec.seed, spec.chunk_size);
      break;
  }
  if (spec.max_chunks > 0) stream = detail::limit_chunks(std::move(stream), spec.max_chunks);
  return stream;
}

}  // namespace lmzip::data
