// lmzip/data/tiler.h - cutting a gray image into the paper's 32x64 tiles.
//
// Tiles are kTileRows = 32 rows by kTileCols = 64 columns, non-overlapping, starting at the
// top-left pixel. Tile (r, c) covers rows 32r .. 32r+31 and columns 64c .. 64c+63. Tiles are
// numbered in row-major tile order: index = r * tiles_across + c. Partial tiles at the right and
// bottom borders are dropped. A tile is flattened row by row into 32 * 64 = 2048 bytes:
//     tile[i * 64 + j] = pixel(64c + j, 32r + i),   0 <= i < 32, 0 <= j < 64.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/data/dataset.h"
#include "lmzip/data/image.h"

namespace lmzip::data {

inline constexpr std::size_t kTileBytes = kTileRows * kTileCols;  // 2048

struct TileGrid {
  std::size_t down = 0;    // floor(height / 32)
  std::size_t across = 0;  // floor(width / 64)
  std::size_t count() const { return down * across; }
};

TileGrid tile_grid(std::uint32_t width, std::uint32_t height);
inline TileGrid tile_grid(const GrayImage& image) { return tile_grid(image.width, image.height); }

// Writes tile number `index` (row-major tile order) of `image` into `out` (resized to 2048).
// @throws lmzip::Error if index >= tile_grid(image).count() or pixels.size() != width * height.
void extract_tile(const GrayImage& image, std::size_t index, Bytes& out);

// All tiles of the image, in order.
std::vector<Bytes> tile_image(const GrayImage& image);

}  // namespace lmzip::data
