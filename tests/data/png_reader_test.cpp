// PNG reading: every colour type and bit depth, written with libpng here, checked pixel by pixel
// against the gray formula computed independently from the written samples.
#include <gtest/gtest.h>

#include <string>

#include "data_test_util.h"
#include "lmzip/data/image.h"
#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::data {
namespace {

using test::PngSpec;

struct PngCase {
  const char* name;
  int color_type;
  int bit_depth;
  bool interlaced;
  bool trns;  // palette only: add a tRNS chunk, which must not change the gray values
};

void PrintTo(const PngCase& c, std::ostream* os) { *os << c.name; }

std::uint16_t pattern(std::uint32_t x, std::uint32_t y, int c, int bit_depth) {
  const std::uint32_t h = (x * 7u + y * 13u + static_cast<std::uint32_t>(c) * 29u + 3u) * 2654435761u;
  return static_cast<std::uint16_t>((h >> 9) & ((1u << bit_depth) - 1u));
}

// The reduction to 8 bits that the reader promises: sub-byte gray scaled to 0..255 (bit
// replication equals v * 255 / (2^b - 1)), 16-bit -> high byte.
unsigned to8(unsigned v, int bit_depth) {
  if (bit_depth == 16) return v >> 8;
  if (bit_depth == 8) return v;
  return v * 255u / ((1u << bit_depth) - 1u);
}

class PngReaderTest : public ::testing::TestWithParam<PngCase> {};

TEST_P(PngReaderTest, GrayValuesFollowTheFormula) {
  const PngCase& pc = GetParam();
  test::TempDir dir;
  PngSpec s;
  s.width = 37;
  s.height = 11;
  s.color_type = pc.color_type;
  s.bit_depth = pc.bit_depth;
  s.interlaced = pc.interlaced;
  const int ch = test::png_channels(pc.color_type);
  const bool palette = pc.color_type == PNG_COLOR_TYPE_PALETTE;
  if (palette) {
    const unsigned entries = 1u << pc.bit_depth;
    for (unsigned i = 0; i < entries; ++i) {
      s.palette.push_back(png_color{static_cast<png_byte>(i * 53 + 7), static_cast<png_byte>(255 - i * 11),
                                    static_cast<png_byte>(i * i + 100)});
      if (pc.trns) s.trns.push_back(static_cast<png_byte>(i * 17));
    }
  }
  std::vector<std::uint16_t> samples;
  for (std::uint32_t y = 0; y < s.height; ++y)
    for (std::uint32_t x = 0; x < s.width; ++x)
      for (int c = 0; c < ch; ++c) samples.push_back(pattern(x, y, c, pc.bit_depth));
  const auto file = dir / (std::string(pc.name) + ".png");
  test::write_png(file, s, samples);

  const GrayImage img = read_gray_image(file);
  ASSERT_EQ(img.width, s.width);
  ASSERT_EQ(img.height, s.height);
  ASSERT_EQ(img.pixels.size(), std::size_t{s.width} * s.height);
  const bool color = (pc.color_type & PNG_COLOR_MASK_COLOR) != 0;
  for (std::uint32_t y = 0; y < s.height; ++y) {
    for (std::uint32_t x = 0; x < s.width; ++x) {
      const std::size_t at = (std::size_t{y} * s.width + x) * ch;
      unsigned expected;
      if (palette) {
        const png_color& p = s.palette[samples[at]];
        expected = (unsigned{p.red} + p.green + p.blue) / 3;
      } else if (color) {
        expected = (to8(samples[at], pc.bit_depth) + to8(samples[at + 1], pc.bit_depth) +
                    to8(samples[at + 2], pc.bit_depth)) / 3;
      } else {
        expected = to8(samples[at], pc.bit_depth);
      }
      ASSERT_EQ(img.pixels[std::size_t{y} * s.width + x], expected) << "pixel " << x << "," << y;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllColourTypes, PngReaderTest,
    ::testing::Values(
        PngCase{"gray1", PNG_COLOR_TYPE_GRAY, 1, false, false},
        PngCase{"gray2", PNG_COLOR_TYPE_GRAY, 2, false, false},
        PngCase{"gray4", PNG_COLOR_TYPE_GRAY, 4, false, false},
        PngCase{"gray8", PNG_COLOR_TYPE_GRAY, 8, false, false},
        PngCase{"gray16", PNG_COLOR_TYPE_GRAY, 16, false, false},
        PngCase{"grayalpha8", PNG_COLOR_TYPE_GRAY_ALPHA, 8, false, false},
        PngCase{"grayalpha16", PNG_COLOR_TYPE_GRAY_ALPHA, 16, false, false},
        PngCase{"rgb8", PNG_COLOR_TYPE_RGB, 8, false, false},
        PngCase{"rgb16", PNG_COLOR_TYPE_RGB, 16, false, false},
        PngCase{"rgba8", PNG_COLOR_TYPE_RGB_ALPHA, 8, false, false},
        PngCase{"rgba16", PNG_COLOR_TYPE_RGB_ALPHA, 16, false, false},
        PngCase{"palette1", PNG_COLOR_TYPE_PALETTE, 1, false, false},
        PngCase{"palette2", PNG_COLOR_TYPE_PALETTE, 2, false, false},
        PngCase{"palette4", PNG_COLOR_TYPE_PALETTE, 4, false, true},
        PngCase{"palette8", PNG_COLOR_TYPE_PALETTE, 8, false, true},
        PngCase{"gray1_interlaced", PNG_COLOR_TYPE_GRAY, 1, true, false},
        PngCase{"gray16_interlaced", PNG_COLOR_TYPE_GRAY, 16, true, false},
        PngCase{"rgb8_interlaced", PNG_COLOR_TYPE_RGB, 8, true, false},
        PngCase{"rgba16_interlaced", PNG_COLOR_TYPE_RGB_ALPHA, 16, true, false},
        PngCase{"palette4_interlaced", PNG_COLOR_TYPE_PALETTE, 4, true, true}),
    [](const ::testing::TestParamInfo<PngCase>& info) { return std::string(info.param.name); });

TEST(PngReader, GrayTrnsIsNotApplied) {
  // A gray tRNS colour must not turn into alpha or change the value.
  test::TempDir dir;
  const auto file = dir / "trns.png";
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  std::FILE* fp = std::fopen(file.c_str(), "wb");
  ASSERT_NE(fp, nullptr);
  png_init_io(png, fp);
  png_set_IHDR(png, info, 4, 1, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_color_16 trans{};
  trans.gray = 200;
  png_set_tRNS(png, info, nullptr, 0, &trans);
  png_write_info(png, info);
  png_byte row[4] = {0, 100, 200, 255};
  png_write_row(png, row);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(fp);
  const GrayImage img = read_png_gray(file);
  EXPECT_EQ(img.pixels, (Bytes{0, 100, 200, 255}));
}

Bytes small_rgb_png(const test::TempDir& dir) {
  PngSpec s;
  s.width = 64;
  s.height = 64;
  s.color_type = PNG_COLOR_TYPE_RGB;
  std::vector<std::uint16_t> samples;
  for (int i = 0; i < 64 * 64 * 3; ++i) samples.push_back(pattern(i, i / 7, 0, 8));
  test::write_png(dir / "good.png", s, samples);
  return test::read_file(dir / "good.png");
}

TEST(PngReader, TruncatedFileNamesTheFile) {
  test::TempDir dir;
  const Bytes good = small_rgb_png(dir);
  const auto file = dir / "kodim_cut.png";
  test::write_file(file, ByteView(good).first(good.size() / 2));
  try {
    read_gray_image(file);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("kodim_cut.png"), std::string::npos) << msg;
    EXPECT_NE(msg.find("truncated PNG"), std::string::npos) << msg;
  }
}

TEST(PngReader, CorruptDataNamesTheFile) {
  test::TempDir dir;
  Bytes bad = small_rgb_png(dir);
  // Flip bytes inside the image data (after the 8-byte signature and the 25-byte IHDR chunk):
  // the IDAT CRC no longer matches.
  for (std::size_t i = 60; i < 80 && i < bad.size(); ++i) bad[i] ^= 0x5A;
  const auto file = dir / "flipped.png";
  test::write_file(file, bad);
  try {
    read_gray_image(file);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("flipped.png"), std::string::npos) << msg;
    EXPECT_NE(msg.find("PNG"), std::string::npos) << msg;
  }
}

TEST(PngReader, HeaderOnlyFileIsTruncated) {
  test::TempDir dir;
  const Bytes good = small_rgb_png(dir);
  const auto file = dir / "sig_only.png";
  test::write_file(file, ByteView(good).first(8));
  EXPECT_THROW(read_gray_image(file), Error);
}

}  // namespace
}  // namespace lmzip::data
