// PNM reading: P2, P3, P5, P6 (8- and 16-bit), comments, and malformed files.
#include <gtest/gtest.h>

#include <string>

#include "lmzip/data/image.h"
#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::data {
namespace {

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

GrayImage read_text(const test::TempDir& dir, const std::string& name, const Bytes& content) {
  test::write_file(dir / name, content);
  return read_gray_image(dir / name);
}

TEST(PnmReader, P5Binary8Bit) {
  test::TempDir dir;
  Bytes f = bytes_of("P5\n3 2\n255\n");
  f.insert(f.end(), {0, 10, 255, 128, 7, 200});
  const GrayImage img = read_text(dir, "a.pgm", f);
  EXPECT_EQ(img.width, 3u);
  EXPECT_EQ(img.height, 2u);
  EXPECT_EQ(img.pixels, (Bytes{0, 10, 255, 128, 7, 200}));
}

TEST(PnmReader, P6BinaryRgbIsTruncatedMean) {
  test::TempDir dir;
  Bytes f = bytes_of("P6 2 1 255 ");  // header separated by spaces only
  f.insert(f.end(), {255, 255, 254, 1, 1, 0});
  const GrayImage img = read_text(dir, "a.ppm", f);
  EXPECT_EQ(img.pixels, (Bytes{(255 + 255 + 254) / 3, 0}));  // 254, floor(2/3) = 0
}

TEST(PnmReader, P2AsciiWithComments) {
  test::TempDir dir;
  const GrayImage img =
      read_text(dir, "a.pgm", bytes_of("P2\n# made by hand\n2 2 # size\n15\n0 15\n7\n8\n"));
  EXPECT_EQ(img.width, 2u);
  // maxval 15: samples kept as they are, not rescaled.
  EXPECT_EQ(img.pixels, (Bytes{0, 15, 7, 8}));
}

TEST(PnmReader, P3AsciiRgb) {
  test::TempDir dir;
  const GrayImage img = read_text(dir, "a.pnm", bytes_of("P3 2 1 255\n10 20 31  200 100 0\n"));
  EXPECT_EQ(img.pixels, (Bytes{20, 100}));  // floor(61/3) = 20, 300/3 = 100
}

TEST(PnmReader, SixteenBitKeepsHighByte) {
  test::TempDir dir;
  Bytes f = bytes_of("P5\n2 1\n65535\n");
  f.insert(f.end(), {0x12, 0x34, 0xFF, 0xFF});
  EXPECT_EQ(read_text(dir, "w.pgm", f).pixels, (Bytes{0x12, 0xFF}));
  Bytes g = bytes_of("P6 1 1 65535\n");
  g.insert(g.end(), {0x03, 0xFF, 0x04, 0x00, 0x05, 0x80});
  EXPECT_EQ(read_text(dir, "w.ppm", g).pixels, (Bytes{4}));
}

TEST(PnmReader, ErrorsNameTheFile) {
  test::TempDir dir;
  const auto expect_error = [&](const std::string& name, const Bytes& content) {
    test::write_file(dir / name, content);
    try {
      read_gray_image(dir / name);
      ADD_FAILURE() << name << ": no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  Bytes short_raster = bytes_of("P6\n4 4\n255\n");
  short_raster.insert(short_raster.end(), 20, 9);
  expect_error("short_raster.ppm", short_raster);
  expect_error("above_max.pgm", bytes_of("P2 2 1 10 3 11\n"));
  expect_error("no_height.pgm", bytes_of("P5 4"));
  expect_error("bad_number.pgm", bytes_of("P2 x 1 255 0"));
  expect_error("ascii_short.pgm", bytes_of("P2 3 1 255 0 1"));
  expect_error("unknown.pgm", bytes_of("Q5 garbage"));
}

TEST(ImageDispatch, MagicBytesNotExtension) {
  EXPECT_EQ(detect_image_format(Bytes{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}), ImageFormat::png);
  EXPECT_EQ(detect_image_format(Bytes{0xFF, 0xD8, 0xFF, 0xE0}), ImageFormat::jpeg);
  EXPECT_EQ(detect_image_format(bytes_of("P6\n")), ImageFormat::pnm);
  EXPECT_EQ(detect_image_format(bytes_of("P4\n")), ImageFormat::unknown);
  EXPECT_EQ(detect_image_format(bytes_of("GIF89a")), ImageFormat::unknown);
  EXPECT_EQ(detect_image_format(Bytes{}), ImageFormat::unknown);

  test::TempDir dir;
  Bytes f = bytes_of("P5 1 1 255\n");
  f.push_back(42);
  test::write_file(dir / "really_pnm.png", f);  // misleading extension
  EXPECT_EQ(read_gray_image(dir / "really_pnm.png").pixels, Bytes{42});
  test::write_file(dir / "what.png", bytes_of("GIF89a......"));
  EXPECT_THROW(read_gray_image(dir / "what.png"), Error);
  EXPECT_THROW(read_gray_image(dir / "missing.png"), Error);
}

TEST(ImageDispatch, GrayOfRgbIsTruncatedMean) {
  EXPECT_EQ(gray_of_rgb(255, 255, 255), 255);
  EXPECT_EQ(gray_of_rgb(1, 1, 0), 0);
  EXPECT_EQ(gray_of_rgb(2, 2, 1), 1);  // 5/3 = 1.67 -> 1, not rounded
  EXPECT_EQ(gray_of_rgb(255, 0, 0), 85);
  EXPECT_EQ(gray_of_rgb(0, 0, 255), 85);  // plain mean, not luma
}

}  // namespace
}  // namespace lmzip::data
