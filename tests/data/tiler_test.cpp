// Tiling: 32x64 tiles, row-major tile order, partial border tiles dropped.
#include <gtest/gtest.h>

#include "data_test_util.h"
#include "lmzip/data/dataset.h"
#include "lmzip/data/tiler.h"
#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::data {
namespace {

std::uint8_t pixel_value(std::uint32_t x, std::uint32_t y) {
  return static_cast<std::uint8_t>((x * 3 + y * 7 + (x * y) % 11) & 0xFF);
}

GrayImage synthetic(std::uint32_t width, std::uint32_t height) {
  GrayImage img;
  img.width = width;
  img.height = height;
  for (std::uint32_t y = 0; y < height; ++y)
    for (std::uint32_t x = 0; x < width; ++x) img.pixels.push_back(pixel_value(x, y));
  return img;
}

TEST(Tiler, GridDropsPartialTiles) {
  const TileGrid g = tile_grid(130, 100);  // width 130, height 100
  EXPECT_EQ(g.down, 3u);                   // floor(100 / 32)
  EXPECT_EQ(g.across, 2u);                 // floor(130 / 64)
  EXPECT_EQ(g.count(), 6u);
  EXPECT_EQ(tile_grid(63, 1000).count(), 0u);
  EXPECT_EQ(tile_grid(768, 512).count(), 16u * 12u);
}

TEST(Tiler, TileBytesFollowTheFormula) {
  const GrayImage img = synthetic(130, 100);
  const std::vector<Bytes> tiles = tile_image(img);
  ASSERT_EQ(tiles.size(), 6u);
  for (std::size_t t = 0; t < tiles.size(); ++t) {
    ASSERT_EQ(tiles[t].size(), 2048u);
    const std::size_t r = t / 2, c = t % 2;  // row-major tile order, 2 tiles across
    for (std::size_t i = 0; i < 32; ++i)
      for (std::size_t j = 0; j < 64; ++j)
        ASSERT_EQ(tiles[t][i * 64 + j], pixel_value(64 * c + j, 32 * r + i))
            << "tile " << t << " row " << i << " col " << j;
  }
  // Tile 5 = tile row 2, tile column 1: its first byte is pixel (64, 64), its last (127, 95).
  EXPECT_EQ(tiles[5].front(), pixel_value(64, 64));
  EXPECT_EQ(tiles[5].back(), pixel_value(127, 95));
}

TEST(Tiler, BadIndexOrSizeThrows) {
  GrayImage img = synthetic(64, 32);
  Bytes out;
  EXPECT_NO_THROW(extract_tile(img, 0, out));
  EXPECT_THROW(extract_tile(img, 1, out), Error);
  img.pixels.pop_back();
  EXPECT_THROW(extract_tile(img, 0, out), Error);
}

TEST(Tiler, ImageStreamYieldsTilesInOrder) {
  test::TempDir dir;
  const GrayImage img = synthetic(130, 100);
  test::write_gray_png(dir / "synthetic.png", img.width, img.height, img.pixels);
  DatasetSpec spec;
  spec.modality = Modality::image;
  spec.paths = {dir.path()};
  auto stream = open_dataset(spec);
  const std::vector<Bytes> expected = tile_image(img);
  Chunk chunk;
  std::size_t n = 0;
  while (stream->next(chunk)) {
    ASSERT_LT(n, expected.size());
    EXPECT_EQ(chunk.bytes, expected[n]);
    EXPECT_EQ(chunk.source_index, 0u);
    EXPECT_EQ(chunk.index_in_source, n);
    ++n;
  }
  EXPECT_EQ(n, 6u);
  EXPECT_EQ(stream->sources().at(0).width, 130u);
  EXPECT_EQ(stream->sources().at(0).height, 100u);
  EXPECT_EQ(stream->sources().at(0).chunks, 6u);
}

}  // namespace
}  // namespace lmzip::data
