// Audio data sets: one decoded file (8-bit, 16 kHz, mono) at a time, yielding its blocks.
#include <memory>

#include "chunk_streams.h"
#include "lmzip/data/audio.h"

namespace lmzip::data::detail {
namespace {

class AudioChunkStream final : public PerFileChunkStream {
 public:
  AudioChunkStream(std::vector<SourceFile> files, std::size_t chunk_size)
      : PerFileChunkStream(std::move(files)), chunk_size_(chunk_size) {}

 protected:
  void open_file(SourceFile& src) override {
    AudioInfo info;
    samples_ = read_audio_u8(src.path, info);  // throws lmzip::Error naming the file
    src.sample_rate = info.original_rate;
    src.channels = info.channels;
    src.resampled = info.resampled;
  }

  bool next_in_file(SourceFile& src, Chunk& out) override {
    const std::size_t offset = static_cast<std::size_t>(src.chunks) * chunk_size_;
    if (samples_.size() - offset < chunk_size_) return false;  // whole blocks only
    out.bytes.assign(samples_.begin() + static_cast<std::ptrdiff_t>(offset),
                     samples_.begin() + static_cast<std::ptrdiff_t>(offset + chunk_size_));
    return true;
  }

  void close_file() override { samples_ = Bytes{}; }

 private:
  std::size_t chunk_size_;
  Bytes samples_;
};

}  // namespace

std::unique_ptr<ChunkStream> make_audio_stream(std::vector<SourceFile> files,
                                               std::size_t chunk_size) {
  return std::make_unique<AudioChunkStream>(std::move(files), chunk_size);
}

}  // namespace lmzip::data::detail
