// Audio data sets: one decoded file (8-bit, 16 kHz, mono) at a time, yielding its blocks.
#include <algorithm>
#include <memory>

#include "chunk_streams.h"
#include "lmzip/data/audio.h"

namespace lmzip::data::detail {
namespace {

class AudioChunkStream final : public ChunkStream {
 public:
  AudioChunkStream(std::vector<SourceFile> files, std::size_t chunk_size)
      : files_(std::move(files)), chunk_size_(chunk_size) {}

  bool next(Chunk& out) override {
    while (current_ < files_.size()) {
      SourceFile& src = files_[current_];
      if (!loaded_) {
        AudioInfo info;
        samples_ = read_audio_u8(src.path, info);  // throws lmzip::Error naming the file
        src.sample_rate = info.original_rate;
        src.channels = info.channels;
        src.resampled = info.resampled;
        loaded_ = true;
      }
      const std::size_t offset = static_cast<std::size_t>(src.chunks) * chunk_size_;
      if (samples_.size() - offset >= chunk_size_) {  // whole blocks only
        out.bytes.assign(samples_.begin() + static_cast<std::ptrdiff_t>(offset),
                         samples_.begin() + static_cast<std::ptrdiff_t>(offset + chunk_size_));
        out.source_index = current_;
        out.index_in_source = src.chunks++;
        return true;
      }
      samples_ = Bytes{};
      loaded_ = false;
      ++current_;
    }
    return false;
  }

  const std::vector<SourceFile>& sources() const override { return files_; }

 private:
  std::vector<SourceFile> files_;
  std::size_t chunk_size_;
  std::size_t current_ = 0;
  bool loaded_ = false;
  Bytes samples_;
};

}  // namespace

std::unique_ptr<ChunkStream> make_audio_stream(std::vector<SourceFile> files,
                                               std::size_t chunk_size) {
  return std::make_unique<AudioChunkStream>(std::move(files), chunk_size);
}

}  // namespace lmzip::data::detail
