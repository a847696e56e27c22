// The paper's 32x64 tiling of gray images (contract in lmzip/data/tiler.h).
#include "lmzip/data/tiler.h"

#include <cstring>
#include <string>

#include "lmzip/error.h"

namespace lmzip::data {

TileGrid tile_grid(std::uint32_t width, std::uint32_t height) {
  return TileGrid{height / kTileRows, width / kTileCols};
}

void extract_tile(const GrayImage& image, std::size_t index, Bytes& out) {
  const TileGrid grid = tile_grid(image);
  if (image.pixels.size() != static_cast<std::size_t>(image.width) * image.height) {
    throw Error("image has " + std::to_string(image.pixels.size()) + " pixels, expected " +
                std::to_string(image.width) + "x" + std::to_string(image.height));
  }
  if (index >= grid.count()) {
    throw Error("tile " + std::to_string(index) + " out of range (image has " +
                std::to_string(grid.count()) + " tiles)");
  }
  const std::size_t tile_row = index / grid.across;
  const std::size_t tile_col = index % grid.across;
  out.resize(kTileBytes);
  const std::uint8_t* top_left =
      image.pixels.data() + tile_row * kTileRows * image.width + tile_col * kTileCols;
  for (std::size_t i = 0; i < kTileRows; ++i) {
    std::memcpy(out.data() + i * kTileCols, top_left + i * image.width, kTileCols);
  }
}

std::vector<Bytes> tile_image(const GrayImage& image) {
  const std::size_t n = tile_grid(image).count();
  std::vector<Bytes> tiles(n);
  for (std::size_t t = 0; t < n; ++t) extract_tile(image, t, tiles[t]);
  return tiles;
}

}  // namespace lmzip::data
