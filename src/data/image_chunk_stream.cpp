// Image data sets: one decoded gray image at a time, yielding its 32x64 tiles.
#include <memory>

#include "chunk_streams.h"
#include "lmzip/data/image.h"
#include "lmzip/data/tiler.h"

namespace lmzip::data::detail {
namespace {

class ImageChunkStream final : public ChunkStream {
 public:
  explicit ImageChunkStream(std::vector<SourceFile> files) : files_(std::move(files)) {}

  bool next(Chunk& out) override {
    while (current_ < files_.size()) {
      SourceFile& src = files_[current_];
      if (!loaded_) {
        image_ = read_gray_image(src.path);  // throws lmzip::Error naming the file
        src.width = image_.width;
        src.height = image_.height;
        tiles_ = tile_grid(image_).count();
        loaded_ = true;
      }
      if (src.chunks < tiles_) {
        extract_tile(image_, static_cast<std::size_t>(src.chunks), out.bytes);
        out.source_index = current_;
        out.index_in_source = src.chunks++;
        return true;
      }
      image_ = GrayImage{};  // release the pixels before decoding the next file
      loaded_ = false;
      ++current_;
    }
    return false;
  }

  const std::vector<SourceFile>& sources() const override { return files_; }

 private:
  std::vector<SourceFile> files_;
  std::size_t current_ = 0;
  bool loaded_ = false;
  GrayImage image_;
  std::size_t tiles_ = 0;
};

}  // namespace

std::unique_ptr<ChunkStream> make_image_stream(std::vector<SourceFile> files) {
  return std::make_unique<ImageChunkStream>(std::move(files));
}

}  // namespace lmzip::data::detail
