// src/codecs/png_codec.cpp - "png" and "png-64": the block as an 8-bit grayscale PNG (libpng).
//
// Shape: the paper's reshape (image_shape.h). "png" uses width 32 (the paper's code: a 2048-byte
// chunk becomes 32 x 64, which is not the ImageNet tile's true geometry); "png-64" uses width 64,
// so an image chunk keeps its true 64-pixel rows. Settings: bit depth 8, PNG_COLOR_TYPE_GRAY, no
// interlace, no ancillary chunks, zlib level 9 (memLevel 8, window 15 as libpng's defaults), and
// PNG_ALL_FILTERS: libpng picks a filter per row by its minimum-sum-of-absolute-differences
// heuristic, and then (its default) uses zlib strategy Z_FILTERED.
//
// libpng reports errors by calling an error function that must not return; it is a C library, so
// that function longjmp()s back to the setjmp() in write_png()/read_png(). Those two functions
// hold only trivially destructible locals; all C++ objects live in their callers, and the I/O
// callbacks never let a C++ exception escape into libpng.
#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"
#include "codecs/image_shape.h"

namespace lmzip::codecs {

namespace {

constexpr std::size_t kMaxRows = 0x7fffffff;  // PNG's limit on image height (2^31 - 1)

// State shared with libpng's callbacks through png_get_error_ptr / png_get_io_ptr.
struct PngJob {
  // Writing.
  Bytes* out = nullptr;
  // Reading.
  const std::uint8_t* in = nullptr;
  std::size_t in_size = 0;
  std::size_t in_pos = 0;
  // Both: the image (caller-owned buffer of width * height bytes) and the first error message.
  std::uint8_t* pixels = nullptr;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  char error[256] = {};
};

void set_error(PngJob* job, const char* message) {
  if (job->error[0] == '\0') std::snprintf(job->error, sizeof job->error, "%s", message);
}

[[noreturn]] void on_error(png_structp png, png_const_charp message) {
  set_error(static_cast<PngJob*>(png_get_error_ptr(png)), message);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

void on_write(png_structp png, png_bytep data, std::size_t length) {
  auto* job = static_cast<PngJob*>(png_get_io_ptr(png));
  bool ok = true;
  try {
    job->out->insert(job->out->end(), data, data + length);
  } catch (...) {
    ok = false;
  }
  if (!ok) png_error(png, "out of memory");
}

void on_flush(png_structp) {}

void on_read(png_structp png, png_bytep data, std::size_t length) {
  auto* job = static_cast<PngJob*>(png_get_io_ptr(png));
  if (length > job->in_size - job->in_pos) png_error(png, "truncated data");
  std::memcpy(data, job->in + job->in_pos, length);
  job->in_pos += length;
}

// Encodes job->pixels (width x height) into *job->out. Returns false with job->error set.
bool write_png(PngJob* job) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, job, on_error, on_warning);
  if (png == nullptr) {
    set_error(job, "png_create_write_struct failed");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    set_error(job, "png_create_info_struct failed");
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, job, on_write, on_flush);
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);  // libpng's default caps images at 10^6 rows
  png_set_IHDR(png, info, job->width, job->height, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, 9);
  png_set_compression_mem_level(png, 8);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_ALL_FILTERS);
  png_write_info(png, info);
  for (std::uint32_t y = 0; y < job->height; ++y) {
    png_write_row(png, job->pixels + static_cast<std::size_t>(y) * job->width);
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

// Decodes job->in into job->pixels, which must hold job->width x job->height bytes; the PNG must
// have exactly that shape. Returns false with job->error set.
bool read_png(PngJob* job) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, job, on_error, on_warning);
  if (png == nullptr) {
    set_error(job, "png_create_read_struct failed");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    set_error(job, "png_create_info_struct failed");
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, job, on_read);
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);  // as when writing
  png_set_benign_errors(png, 0);  // treat "benign" errors in the data as errors
  png_read_info(png, info);
  png_uint_32 width = 0;
  png_uint_32 height = 0;
  int bit_depth = 0;
  int color_type = 0;
  int interlace = 0;
  png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, nullptr, nullptr);
  if (width != job->width || height != job->height || bit_depth != 8 || color_type != PNG_COLOR_TYPE_GRAY ||
      interlace != PNG_INTERLACE_NONE) {
    std::snprintf(job->error, sizeof job->error,
                  "unexpected image %ux%u, bit depth %d, color type %d, interlace %d (expected %ux%u 8-bit gray)",
                  static_cast<unsigned>(width), static_cast<unsigned>(height), bit_depth, color_type, interlace,
                  static_cast<unsigned>(job->width), static_cast<unsigned>(job->height));
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  for (std::uint32_t y = 0; y < job->height; ++y) {
    png_read_row(png, job->pixels + static_cast<std::size_t>(y) * job->width, nullptr);
  }
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

class PngCodec final : public Codec {
 public:
  explicit PngCodec(int width) : width_(static_cast<std::size_t>(width)) {}

  std::string name() const override { return width_ == 32 ? "png" : "png-" + std::to_string(width_); }

  std::string description() const override {
    return std::string("libpng ") + png_get_libpng_ver(nullptr) + " (zlib " + zlibVersion() +
           "), 8-bit gray, width " + std::to_string(width_) +
           ", zlib level 9 (strategy Z_FILTERED), adaptive filters (PNG_ALL_FILTERS), zero-padded last row";
  }

  Bytes compress(ByteView raw) const override {
    detail::ImageShape shape = checked_shape(raw.size());
    Bytes pixels = detail::pad_to_image(raw, shape);
    Bytes out;
    out.reserve(raw.size() + raw.size() / 64 + 128);
    PngJob job;
    job.out = &out;
    job.pixels = pixels.data();
    job.width = static_cast<std::uint32_t>(shape.width);
    job.height = static_cast<std::uint32_t>(shape.height);
    if (!write_png(&job)) detail::throw_failure(name(), std::string("libpng failed: ") + job.error);
    return out;
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    if (packed.empty()) detail::throw_corrupt(name(), "empty input");
    detail::ImageShape shape = checked_shape(raw_size);
    Bytes pixels(shape.pixels());
    PngJob job;
    job.in = packed.data();
    job.in_size = packed.size();
    job.pixels = pixels.data();
    job.width = static_cast<std::uint32_t>(shape.width);
    job.height = static_cast<std::uint32_t>(shape.height);
    if (!read_png(&job)) detail::throw_corrupt(name(), job.error);
    if (job.in_pos != packed.size()) {
      detail::throw_corrupt(name(), std::to_string(packed.size() - job.in_pos) + " trailing bytes after IEND");
    }
    if (!detail::padding_is_zero(pixels, raw_size)) detail::throw_corrupt(name(), "non-zero padding after the data");
    pixels.resize(raw_size);
    return pixels;
  }

 private:
  detail::ImageShape checked_shape(std::size_t n) const {
    detail::ImageShape shape = detail::image_shape_for(n, width_);
    if (shape.height > kMaxRows) {
      detail::throw_failure(name(), std::to_string(n) + " bytes need more rows than a PNG can hold");
    }
    return shape;
  }

  std::size_t width_;
};

}  // namespace

std::unique_ptr<Codec> make_png_codec(int width) {
  if (width <= 0 || width > 1 << 20) throw Error("png: invalid image width " + std::to_string(width));
  return std::make_unique<PngCodec>(width);
}

}  // namespace lmzip::codecs
