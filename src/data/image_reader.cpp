// read_gray_image: picks the decoder by the file's magic bytes; the shared gray conversion.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "lmzip/data/image.h"
#include "lmzip/error.h"

namespace lmzip::data {

void rgb_to_gray(const std::uint8_t* rgb, std::size_t pixel_count, unsigned channels,
                 std::uint8_t* gray) {
  for (std::size_t i = 0; i < pixel_count; ++i, rgb += channels) {
    gray[i] = gray_of_rgb(rgb[0], rgb[1], rgb[2]);
  }
}

ImageFormat detect_image_format(ByteView head) {
  static constexpr std::uint8_t kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (head.size() >= 8 && std::equal(kPng, kPng + 8, head.begin())) return ImageFormat::png;
  if (head.size() >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) {
    return ImageFormat::jpeg;
  }
  if (head.size() >= 2 && head[0] == 'P' &&
      (head[1] == '2' || head[1] == '3' || head[1] == '5' || head[1] == '6')) {
    return ImageFormat::pnm;
  }
  return ImageFormat::unknown;
}

GrayImage read_gray_image(const std::filesystem::path& file) {
  std::uint8_t head[8] = {};
  std::size_t got = 0;
  {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> fp(std::fopen(file.c_str(), "rb"), &std::fclose);
    if (!fp) throw Error(file.string() + ": cannot open image file");
    got = std::fread(head, 1, sizeof head, fp.get());
  }
  switch (detect_image_format(ByteView(head, got))) {
    case ImageFormat::png: return read_png_gray(file);
    case ImageFormat::jpeg: return read_jpeg_gray(file);
    case ImageFormat::pnm: return read_pnm_gray(file);
    case ImageFormat::unknown: break;
  }
  throw Error(file.string() + (got == 0 ? ": empty image file"
                                        : ": unknown image format (expected PNG, JPEG or "
                                          "PNM P2/P3/P5/P6)"));
}

}  // namespace lmzip::data
