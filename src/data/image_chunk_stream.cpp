// Image data sets: one decoded gray image at a time, yielding its 32x64 tiles.
#include <memory>

#include "chunk_streams.h"
#include "lmzip/data/image.h"
#include "lmzip/data/tiler.h"

namespace lmzip::data::detail {
namespace {

class ImageChunkStream final : public PerFileChunkStream {
 public:
  explicit ImageChunkStream(std::vector<SourceFile> files) : PerFileChunkStream(std::move(files)) {}

 protected:
  void open_file(SourceFile& src) override {
    image_ = read_gray_image(src.path);  // throws lmzip::Error naming the file
    src.width = image_.width;
    src.height = image_.height;
    tiles_ = tile_grid(image_).count();
  }

  bool next_in_file(SourceFile& src, Chunk& out) override {
    if (src.chunks >= tiles_) return false;
    extract_tile(image_, static_cast<std::size_t>(src.chunks), out.bytes);
    return true;
  }

  void close_file() override { image_ = GrayImage{}; }  // release the pixels before the next file

 private:
  GrayImage image_;
  std::size_t tiles_ = 0;
};

}  // namespace

std::unique_ptr<ChunkStream> make_image_stream(std::vector<SourceFile> files) {
  return std::make_unique<ImageChunkStream>(std::move(files));
}

}  // namespace lmzip::data::detail
