// JPEG reading: files written here with libjpeg (gray, RGB, CMYK), plus truncated and corrupt ones.
#include <gtest/gtest.h>

#include <cstdio>

#include <jpeglib.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "lmzip/data/image.h"
#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::data {
namespace {

// Writes a JPEG of `components` interleaved samples per pixel (1 gray, 3 RGB, 4 CMYK).
void write_jpeg(const std::filesystem::path& path, int width, int height, int components,
                J_COLOR_SPACE space, const Bytes& samples, int quality) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  std::FILE* fp = std::fopen(path.c_str(), "wb");
  ASSERT_NE(fp, nullptr);
  jpeg_stdio_dest(&cinfo, fp);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = components;
  cinfo.in_color_space = space;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPLE*>(samples.data()) +
                   static_cast<std::size_t>(cinfo.next_scanline) * width * components;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::fclose(fp);
}

// A smooth gradient, which JPEG at quality 100 keeps within a couple of levels.
std::uint8_t smooth(int x, int y) { return static_cast<std::uint8_t>(40 + x + 2 * y); }

TEST(JpegReader, GrayQuality100IsNearlyExact) {
  test::TempDir dir;
  const int w = 80, h = 48;
  Bytes px;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) px.push_back(smooth(x, y));
  const auto file = dir / "gray.jpg";
  write_jpeg(file, w, h, 1, JCS_GRAYSCALE, px, 100);
  const GrayImage img = read_gray_image(file);
  ASSERT_EQ(img.width, 80u);
  ASSERT_EQ(img.height, 48u);
  ASSERT_EQ(img.pixels.size(), px.size());
  for (std::size_t i = 0; i < px.size(); ++i) {
    ASSERT_NEAR(img.pixels[i], px[i], 2) << "pixel " << i;
  }
}

TEST(JpegReader, RgbBecomesTruncatedMean) {
  test::TempDir dir;
  const int w = 64, h = 32;
  Bytes rgb;
  Bytes expected;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int r = 30 + 2 * x, g = 200 - y, b = 90 + x + y;
      rgb.insert(rgb.end(), {static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(g),
                             static_cast<std::uint8_t>(b)});
      expected.push_back(static_cast<std::uint8_t>((r + g + b) / 3));
    }
  }
  const auto file = dir / "rgb.jpeg";
  write_jpeg(file, w, h, 3, JCS_RGB, rgb, 100);
  const GrayImage img = read_gray_image(file);
  ASSERT_EQ(img.width, 64u);
  ASSERT_EQ(img.height, 32u);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_NEAR(img.pixels[i], expected[i], 3) << "pixel " << i;
  }
}

TEST(JpegReader, CmykIsRejected) {
  test::TempDir dir;
  Bytes cmyk(16 * 16 * 4, 77);
  const auto file = dir / "print.jpg";
  write_jpeg(file, 16, 16, 4, JCS_CMYK, cmyk, 90);
  try {
    read_gray_image(file);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("print.jpg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("CMYK"), std::string::npos) << msg;
  }
}

Bytes gray_jpeg_bytes(const test::TempDir& dir) {
  Bytes px;
  for (int i = 0; i < 96 * 96; ++i) px.push_back(static_cast<std::uint8_t>(i * 31 % 251));
  write_jpeg(dir / "noise.jpg", 96, 96, 1, JCS_GRAYSCALE, px, 95);
  return test::read_file(dir / "noise.jpg");
}

TEST(JpegReader, TruncatedFileNamesTheFile) {
  test::TempDir dir;
  const Bytes good = gray_jpeg_bytes(dir);
  const auto file = dir / "cut_short.jpg";
  test::write_file(file, ByteView(good).first(good.size() * 2 / 3));
  try {
    read_gray_image(file);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cut_short.jpg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("JPEG"), std::string::npos) << msg;
  }
}

TEST(JpegReader, GarbageAfterMagicNamesTheFile) {
  test::TempDir dir;
  Bytes bad = {0xFF, 0xD8, 0xFF, 0x00, 'n', 'o', 't', ' ', 'a', ' ', 'j', 'p', 'e', 'g'};
  const auto file = dir / "fake.jpg";
  test::write_file(file, bad);
  try {
    read_gray_image(file);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("fake.jpg"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lmzip::data
