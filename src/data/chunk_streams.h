// Internal: the ChunkStream implementations behind open_dataset (src/data only).
#pragma once

#include <memory>
#include <vector>

#include "lmzip/data/dataset.h"

namespace lmzip::data::detail {

// A data set read file by file, in list order: subclasses load one file at a time and cut its
// chunks; this class walks the files and numbers the chunks (source_index, index_in_source).
class PerFileChunkStream : public ChunkStream {
 public:
  explicit PerFileChunkStream(std::vector<SourceFile> files) : files_(std::move(files)) {}
  bool next(Chunk& out) final;
  const std::vector<SourceFile>& sources() const final { return files_; }

 protected:
  // Loads `src` (and records what it found in it). @throws lmzip::Error naming the file.
  virtual void open_file(SourceFile& src) = 0;
  // Fills out.bytes with the file's next chunk; src.chunks is the number taken so far.
  // @return false when the file has no further complete chunk.
  virtual bool next_in_file(SourceFile& src, Chunk& out) = 0;
  // Releases the file's memory before the next file is opened.
  virtual void close_file() = 0;

 private:
  std::vector<SourceFile> files_;
  std::size_t current_ = 0;
  bool open_ = false;
};

// Each file's consecutive chunk_size-byte blocks, read one block at a time; partial last dropped.
std::unique_ptr<ChunkStream> make_text_stream(std::vector<SourceFile> files, std::size_t chunk_size);

// Each image decoded to gray in turn, then its 32x64 tiles in row-major tile order.
std::unique_ptr<ChunkStream> make_image_stream(std::vector<SourceFile> files);

// Each audio file decoded to 8-bit 16 kHz mono in turn, then its chunk_size-byte blocks.
std::unique_ptr<ChunkStream> make_audio_stream(std::vector<SourceFile> files,
                                               std::size_t chunk_size);

// floor(bytes / chunk_size) chunks of RandomSource(seed)'s byte stream.
std::unique_ptr<ChunkStream> make_random_stream(std::uint64_t bytes, std::uint64_t seed,
                                                std::size_t chunk_size);

// Passes on at most max_chunks chunks of `inner`.
std::unique_ptr<ChunkStream> limit_chunks(std::unique_ptr<ChunkStream> inner,
                                          std::uint64_t max_chunks);

}  // namespace lmzip::data::detail
