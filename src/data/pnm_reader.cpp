// read_pnm_gray: Netpbm P2/P3/P5/P6 -> GrayImage.
//
// Header: magic, width, height, maxval as ASCII decimals separated by whitespace, with '#'
// comments running to the end of the line. Binary formats (P5, P6) have exactly one whitespace
// byte after maxval, then the raster: 1 byte per sample when maxval < 256, else 2 bytes,
// big-endian. ASCII formats (P2, P3) list the samples as decimals. Only the first image of a
// multi-image file is read. Samples with maxval <= 255 are kept as they are; 16-bit samples keep
// their high byte. RGB (P3, P6) becomes gray by floor((R+G+B)/3).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "lmzip/data/image.h"
#include "lmzip/error.h"

namespace lmzip::data {
namespace {

class PnmParser {
 public:
  PnmParser(const std::filesystem::path& file, Bytes data) : file_(file), data_(std::move(data)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(file_.string() + ": " + what);
  }

  // Skips whitespace and comments.
  void skip_space() {
    while (pos_ < data_.size()) {
      const char c = static_cast<char>(data_[pos_]);
      if (c == '#') {
        while (pos_ < data_.size() && data_[pos_] != '\n' && data_[pos_] != '\r') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        ++pos_;
      } else {
        return;
      }
    }
  }

  // Reads one ASCII decimal. @throws on no digits, overflow past `max`, or end of data.
  std::uint32_t read_number(const char* what, std::uint32_t max) {
    skip_space();
    if (pos_ >= data_.size()) fail(std::string("truncated PNM (missing ") + what + ")");
    std::uint64_t value = 0;
    std::size_t digits = 0;
    while (pos_ < data_.size() && data_[pos_] >= '0' && data_[pos_] <= '9') {
      value = value * 10 + (data_[pos_] - '0');
      if (value > max) fail(std::string("corrupt PNM (") + what + " too large)");
      ++pos_;
      ++digits;
    }
    if (digits == 0) fail(std::string("corrupt PNM (") + what + " is not a number)");
    return static_cast<std::uint32_t>(value);
  }

  GrayImage parse() {
    if (data_.size() < 2 || data_[0] != 'P') fail("not a PNM file");
    const char kind = static_cast<char>(data_[1]);
    if (kind != '2' && kind != '3' && kind != '5' && kind != '6') {
      fail(std::string("unsupported PNM type P") + kind + " (only P2, P3, P5, P6)");
    }
    pos_ = 2;
    const bool rgb = kind == '3' || kind == '6';
    const bool binary = kind == '5' || kind == '6';
    GrayImage img;
    img.width = read_number("width", std::numeric_limits<std::uint32_t>::max());
    img.height = read_number("height", std::numeric_limits<std::uint32_t>::max());
    const std::uint32_t maxval = read_number("maxval", 65535);
    if (img.width == 0 || img.height == 0) fail("corrupt PNM (zero width or height)");
    if (maxval == 0) fail("corrupt PNM (maxval 0)");
    const std::size_t channels = rgb ? 3 : 1;
    const std::size_t pixels = static_cast<std::size_t>(img.width) * img.height;
    // Every sample takes at least one byte, so this bounds the allocation below by the file size.
    if (pixels > data_.size() || pixels * channels > data_.size() - pos_) {
      fail("truncated PNM (raster shorter than the header says)");
    }
    const std::size_t samples = pixels * channels;
    const bool wide = maxval > 255;

    if (binary) {
      // Exactly one whitespace byte ends the header.
      if (pos_ >= data_.size()) fail("truncated PNM (no raster)");
      ++pos_;
      const std::size_t need = samples * (wide ? 2 : 1);
      if (data_.size() - pos_ < need) fail("truncated PNM (raster shorter than the header says)");
    }
    Bytes values(samples);
    for (std::size_t i = 0; i < samples; ++i) {
      std::uint32_t v;
      if (binary) {
        v = wide ? (std::uint32_t{data_[pos_]} << 8 | data_[pos_ + 1]) : data_[pos_];
        pos_ += wide ? 2 : 1;
      } else {
        v = read_number("sample", 65535);
      }
      if (v > maxval) fail("corrupt PNM (sample " + std::to_string(v) + " above maxval)");
      values[i] = static_cast<std::uint8_t>(wide ? v >> 8 : v);
    }
    if (!rgb) {
      img.pixels = std::move(values);
    } else {
      img.pixels.resize(pixels);
      rgb_to_gray(values.data(), pixels, 3, img.pixels.data());
    }
    return img;
  }

 private:
  const std::filesystem::path& file_;
  Bytes data_;
  std::size_t pos_ = 0;
};

}  // namespace

GrayImage read_pnm_gray(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot open PNM file");
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(file.string() + ": read error");
  return PnmParser(file, std::move(data)).parse();
}

}  // namespace lmzip::data
