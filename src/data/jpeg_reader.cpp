// read_jpeg_gray: JPEG -> GrayImage with libjpeg(-turbo).
//
// libjpeg's default error_exit calls exit(); ours formats the message and longjmps back to the
// setjmp in decode(), which turns it into lmzip::Error. As in png_reader.cpp, every object with a
// destructor lives in the caller, so the longjmp skips only libjpeg's C frames.
//
// libjpeg treats some damage as warnings and goes on with made-up data. A data set must be
// exact, so these warnings are errors here: premature end of file (JWRN_JPEG_EOF), premature end
// of a data segment (JWRN_HIT_MARKER), bad Huffman/arithmetic codes, lost restart markers
// (JWRN_MUST_RESYNC), bad progression or SOS parameters. Other warnings (extraneous bytes before a
// marker, unknown JFIF revision, ...) leave the image data intact and are ignored.
#include <cstdio>  // before jpeglib.h, which needs FILE and size_t

#include <jpeglib.h>
#include <jerror.h>  // after jpeglib.h: its message list depends on jconfig.h

#include <csetjmp>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "lmzip/data/image.h"
#include "lmzip/error.h"

namespace lmzip::data {
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg sees a jpeg_error_mgr*
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
  bool damaged = false;  // a warning that means the pixels are not the file's
  char warning[JMSG_LENGTH_MAX] = {};
};

void on_jpeg_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

bool is_damage_warning(int code) {
  switch (code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
#if JPEG_LIB_VERSION >= 70 || defined(D_ARITH_CODING_SUPPORTED)
    case JWRN_ARITH_BAD_CODE:
#endif
    case JWRN_MUST_RESYNC:
    case JWRN_BOGUS_PROGRESSION:
    case JWRN_NOT_SEQUENTIAL: return true;
    default: return false;
  }
}

void on_jpeg_message(j_common_ptr cinfo, int msg_level) {
  if (msg_level >= 0) return;  // trace messages
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  if (!err->damaged && is_damage_warning(cinfo->err->msg_code)) {
    err->damaged = true;
    (*cinfo->err->format_message)(cinfo, err->warning);
  }
}

struct Decoded {
  JDIMENSION width = 0, height = 0;
  int channels = 0;  // 1 or 3
  bool cmyk = false;
  std::vector<JSAMPLE> samples;
};

// @return true on success (or a CMYK file, flagged in out.cmyk), false after a libjpeg error.
bool decode(jpeg_decompress_struct& cinfo, ErrorManager& err, std::FILE* fp, Decoded& out) {
  if (setjmp(err.jump)) return false;
  jpeg_create_decompress(&cinfo);
  jpeg_stdio_src(&cinfo, fp);
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    out.cmyk = true;
    return true;
  }
  cinfo.out_color_space = cinfo.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  cinfo.dct_method = JDCT_ISLOW;
  jpeg_start_decompress(&cinfo);
  out.width = cinfo.output_width;
  out.height = cinfo.output_height;
  out.channels = cinfo.output_components;
  if (out.channels != 1 && out.channels != 3) {
    ERREXIT(&cinfo, JERR_CONVERSION_NOTIMPL);
  }
  const std::size_t stride = static_cast<std::size_t>(out.width) * out.channels;
  out.samples.resize(stride * out.height);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out.samples.data() + cinfo.output_scanline * stride;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  return true;
}

}  // namespace

GrayImage read_jpeg_gray(const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> fp(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!fp) throw Error(file.string() + ": cannot open JPEG file");

  jpeg_decompress_struct cinfo{};
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = &on_jpeg_error;
  err.pub.emit_message = &on_jpeg_message;

  Decoded d;
  bool ok = false;
  try {
    ok = decode(cinfo, err, fp.get(), d);
  } catch (const std::bad_alloc&) {  // from a resize: release the library first
    jpeg_destroy_decompress(&cinfo);
    throw Error(file.string() + ": JPEG image too large to decode (" + std::to_string(d.width) +
                "x" + std::to_string(d.height) + ")");
  }
  jpeg_destroy_decompress(&cinfo);
  if (!ok) throw Error(file.string() + ": corrupt JPEG (libjpeg: " + err.message + ")");
  if (d.cmyk) throw Error(file.string() + ": CMYK JPEG is not supported");
  if (err.damaged) throw Error(file.string() + ": corrupt JPEG (libjpeg: " + err.warning + ")");

  GrayImage img;
  img.width = d.width;
  img.height = d.height;
  if (d.channels == 1) {
    img.pixels = std::move(d.samples);
  } else {
    const std::size_t n = static_cast<std::size_t>(d.width) * d.height;
    img.pixels.resize(n);
    rgb_to_gray(d.samples.data(), n, 3, img.pixels.data());
  }
  return img;
}

}  // namespace lmzip::data
