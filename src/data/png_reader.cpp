// read_png_gray: PNG -> GrayImage with libpng.
//
// libpng reports errors by calling an error function that must not return; ours records the
// message and longjmps back to the setjmp in decode(), which turns it into lmzip::Error.
// To keep setjmp/longjmp well defined in C++, every object with a destructor lives in the caller
// (read_png_gray) or was constructed before setjmp, and the frames that longjmp skips are
// libpng's own C frames.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "lmzip/data/image.h"
#include "lmzip/error.h"

namespace lmzip::data {
namespace {

struct ReadContext {
  std::FILE* fp = nullptr;
  bool hit_eof = false;   // a read came up short: the file is truncated
  char message[256] = {};  // libpng's error message
};

void on_png_error(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<ReadContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof ctx->message, "%s", msg ? msg : "unknown error");
  png_longjmp(png, 1);
}

void on_png_warning(png_structp, png_const_charp) {}  // warnings (e.g. bad ancillary CRC) ignored

void read_png_data(png_structp png, png_bytep out, png_size_t length) {
  auto* ctx = static_cast<ReadContext*>(png_get_io_ptr(png));
  if (std::fread(out, 1, length, ctx->fp) != length) {
    ctx->hit_eof = std::feof(ctx->fp) != 0;
    png_error(png, ctx->hit_eof ? "unexpected end of file" : "read error");
  }
}

// Everything decoded, before the gray conversion.
struct Decoded {
  png_uint_32 width = 0, height = 0;
  unsigned channels = 0;  // 1 gray or 3 RGB (after the transformations below)
  std::vector<png_byte> samples;
  std::vector<png_bytep> rows;
};

// @return true on success, false after a libpng error (message in ctx).
bool decode(png_structp png, png_infop info, ReadContext& ctx, Decoded& out) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_read_fn(png, &ctx, &read_png_data);
  png_read_info(png, info);

  const int color_type = png_get_color_type(png, info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);  // tRNS becomes alpha,
  if (color_type == PNG_COLOR_TYPE_GRAY) png_set_expand_gray_1_2_4_to_8(png);
  png_set_strip_16(png);      // 16 -> 8 bits: high byte
  png_set_strip_alpha(png);   // ... and every alpha channel is dropped here
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  out.width = png_get_image_width(png, info);
  out.height = png_get_image_height(png, info);
  out.channels = png_get_channels(png, info);
  if (png_get_bit_depth(png, info) != 8 || (out.channels != 1 && out.channels != 3)) {
    png_error(png, "unexpected layout after transformations");
  }
  const png_size_t rowbytes = png_get_rowbytes(png, info);
  out.samples.resize(rowbytes * out.height);  // allocation failure throws before any libpng call
  out.rows.resize(out.height);
  for (png_uint_32 y = 0; y < out.height; ++y) out.rows[y] = out.samples.data() + y * rowbytes;
  png_read_image(png, out.rows.data());
  png_read_end(png, nullptr);
  return true;
}

}  // namespace

GrayImage read_png_gray(const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> fp(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!fp) throw Error(file.string() + ": cannot open PNG file");

  ReadContext ctx;
  ctx.fp = fp.get();
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, &on_png_error,
                                           &on_png_warning);
  if (!png) throw Error(file.string() + ": libpng could not start");
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    throw Error(file.string() + ": libpng could not start");
  }

  Decoded d;
  bool ok = false;
  try {
    ok = decode(png, info, ctx, d);
  } catch (const std::bad_alloc&) {  // from a resize: release the library first
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error(file.string() + ": PNG image too large to decode (" + std::to_string(d.width) +
                "x" + std::to_string(d.height) + ")");
  }
  png_destroy_read_struct(&png, &info, nullptr);
  if (!ok) {
    if (ctx.hit_eof) throw Error(file.string() + ": truncated PNG (" + ctx.message + ")");
    throw Error(file.string() + ": corrupt PNG (libpng: " + ctx.message + ")");
  }

  GrayImage img;
  img.width = d.width;
  img.height = d.height;
  const std::size_t n = static_cast<std::size_t>(d.width) * d.height;
  if (d.channels == 1) {
    img.pixels = std::move(d.samples);  // rows are packed: rowbytes == width
  } else {
    img.pixels.resize(n);
    rgb_to_gray(d.samples.data(), n, 3, img.pixels.data());
  }
  return img;
}

}  // namespace lmzip::data
