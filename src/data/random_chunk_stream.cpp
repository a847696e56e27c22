// Random data sets: chunks of one seeded byte stream, generated one chunk at a time.
#include <memory>
#include <string>

#include "chunk_streams.h"
#include "lmzip/data/random_source.h"

namespace lmzip::data::detail {
namespace {

class RandomChunkStream final : public ChunkStream {
 public:
  RandomChunkStream(std::uint64_t bytes, std::uint64_t seed, std::size_t chunk_size)
      : rng_(seed), chunk_size_(chunk_size), total_chunks_(bytes / chunk_size) {
    SourceFile src;
    src.path = "random=" + std::to_string(bytes) + ":" + std::to_string(seed);
    src.size_bytes = bytes;
    sources_.push_back(std::move(src));
  }

  bool next(Chunk& out) override {
    SourceFile& src = sources_.front();
    if (src.chunks >= total_chunks_) return false;
    out.bytes.resize(chunk_size_);
    rng_.fill(out.bytes.data(), chunk_size_);
    out.source_index = 0;
    out.index_in_source = src.chunks++;
    return true;
  }

  const std::vector<SourceFile>& sources() const override { return sources_; }

 private:
  RandomSource rng_;
  std::size_t chunk_size_;
  std::uint64_t total_chunks_;
  std::vector<SourceFile> sources_;
};

}  // namespace

std::unique_ptr<ChunkStream> make_random_stream(std::uint64_t bytes, std::uint64_t seed,
                                                std::size_t chunk_size) {
  return std::make_unique<RandomChunkStream>(bytes, seed, chunk_size);
}

}  // namespace lmzip::data::detail
