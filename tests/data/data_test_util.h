// Helpers for the data tests: writing small synthetic PNG, JPEG and WAV files with the real
// libraries, so the readers are checked against files made independently of them.
#pragma once

#include <png.h>
#include <sndfile.h>

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "lmzip/bytes.h"

namespace lmzip::test {

struct PngSpec {
  std::uint32_t width = 0, height = 0;
  int color_type = PNG_COLOR_TYPE_GRAY;
  int bit_depth = 8;
  bool interlaced = false;
  std::vector<png_color> palette;  // PNG_COLOR_TYPE_PALETTE
  std::vector<png_byte> trns;      // palette alpha entries (tRNS), if any
};

inline int png_channels(int color_type) {
  switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return 1;
    case PNG_COLOR_TYPE_PALETTE: return 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB: return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
  }
  return 0;
}

namespace detail {
inline bool write_png_rows(std::FILE* fp, const PngSpec& s, std::vector<png_bytep>& rows) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_init_io(png, fp);
  png_set_IHDR(png, info, s.width, s.height, s.bit_depth, s.color_type,
               s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!s.palette.empty()) {
    png_set_PLTE(png, info, s.palette.data(), static_cast<int>(s.palette.size()));
  }
  if (!s.trns.empty()) {
    png_set_tRNS(png, info, s.trns.data(), static_cast<int>(s.trns.size()), nullptr);
  }
  png_write_info(png, info);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}
}  // namespace detail

// Writes a PNG whose samples (one value per channel, row-major, each < 2^bit_depth or a palette
// index) are given unpacked; the helper packs sub-byte depths MSB first and writes 16-bit
// big-endian, as the PNG format says.
inline void write_png(const std::filesystem::path& path, const PngSpec& s,
                      const std::vector<std::uint16_t>& samples) {
  const int ch = png_channels(s.color_type);
  const std::size_t per_row = static_cast<std::size_t>(s.width) * ch;
  if (samples.size() != per_row * s.height) throw std::runtime_error("write_png: sample count");
  const std::size_t rowbytes = (per_row * s.bit_depth + 7) / 8;
  std::vector<png_byte> raster(rowbytes * s.height, 0);
  std::vector<png_bytep> rows(s.height);
  for (std::uint32_t y = 0; y < s.height; ++y) {
    png_bytep row = raster.data() + y * rowbytes;
    rows[y] = row;
    for (std::size_t i = 0; i < per_row; ++i) {
      const std::uint16_t v = samples[y * per_row + i];
      if (s.bit_depth == 16) {
        row[2 * i] = static_cast<png_byte>(v >> 8);
        row[2 * i + 1] = static_cast<png_byte>(v & 0xFF);
      } else if (s.bit_depth == 8) {
        row[i] = static_cast<png_byte>(v);
      } else {
        const std::size_t bit = i * s.bit_depth;
        const int shift = 8 - s.bit_depth - static_cast<int>(bit % 8);
        row[bit / 8] = static_cast<png_byte>(row[bit / 8] | (v << shift));
      }
    }
  }
  std::FILE* fp = std::fopen(path.c_str(), "wb");
  if (!fp) throw std::runtime_error("write_png: cannot open " + path.string());
  const bool ok = detail::write_png_rows(fp, s, rows);
  std::fclose(fp);
  if (!ok) throw std::runtime_error("write_png: libpng failed");
}

// Writes an 8-bit gray PNG of the given pixels (width * height bytes, row-major).
inline void write_gray_png(const std::filesystem::path& path, std::uint32_t width,
                           std::uint32_t height, const Bytes& pixels) {
  PngSpec s;
  s.width = width;
  s.height = height;
  write_png(path, s, std::vector<std::uint16_t>(pixels.begin(), pixels.end()));
}

// Writes a WAV (or FLAC with SF_FORMAT_FLAC) of interleaved int16 frames with libsndfile.
inline void write_audio(const std::filesystem::path& path, int rate, int channels,
                        const std::vector<std::int16_t>& interleaved,
                        int format = SF_FORMAT_WAV | SF_FORMAT_PCM_16) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) throw std::runtime_error("write_audio: " + std::string(sf_strerror(nullptr)));
  const sf_count_t frames = static_cast<sf_count_t>(interleaved.size()) / channels;
  const sf_count_t wrote = sf_writef_short(f, interleaved.data(), frames);
  sf_close(f);
  if (wrote != frames) throw std::runtime_error("write_audio: short write");
}

}  // namespace lmzip::test
