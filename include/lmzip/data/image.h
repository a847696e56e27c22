// lmzip/data/image.h - decoding image files to 8-bit grayscale, as the paper prepares images.
//
// Every reader returns a GrayImage: one byte per pixel, rows top to bottom, pixels left to right.
// Colour is turned into gray by the truncated plain mean of R, G and B,
//     gray = floor((R + G + B) / 3)           (integers, no luma weights, no rounding),
// which is what the paper's public code does (../shared/REFERENCE.md section 3). Gray inputs are
// kept as they are. Alpha channels are ignored (dropped, never composited), and PNG tRNS
// transparency is not applied. Samples wider than 8 bits keep their high byte.
// See docs/data.md for the exact rules per format.
//
// Files are decoded in full: one decoded image is held in memory at a time.
#pragma once

#include <cstdint>
#include <filesystem>

#include "lmzip/bytes.h"

namespace lmzip::data {

struct GrayImage {
  std::uint32_t width = 0;   // columns
  std::uint32_t height = 0;  // rows
  Bytes pixels;              // width * height bytes, row-major (pixel (x, y) at y * width + x)
};

// The paper's colour-to-gray rule: the truncated mean of the three samples.
constexpr std::uint8_t gray_of_rgb(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  return static_cast<std::uint8_t>((static_cast<unsigned>(r) + g + b) / 3u);
}

// Converts `pixel_count` interleaved pixels at `rgb` (pixel_count * channels bytes, channels >= 3,
// R, G, B first; further channels such as alpha ignored) into pixel_count gray bytes at `gray`.
void rgb_to_gray(const std::uint8_t* rgb, std::size_t pixel_count, unsigned channels,
                 std::uint8_t* gray);

enum class ImageFormat { png, jpeg, pnm, unknown };

// Recognises a format by its leading magic bytes (not by the file name):
// PNG "\x89PNG\r\n\x1a\n", JPEG FF D8 FF, PNM "P2", "P3", "P5" or "P6".
// @return ImageFormat::unknown when `head` matches none of them (or is too short).
ImageFormat detect_image_format(ByteView head);

// Decodes any supported image file (format chosen by detect_image_format on its first bytes).
// @throws lmzip::Error naming the file if it cannot be opened, has an unknown format, or is
//         truncated, corrupt or of an unsupported kind (e.g. CMYK JPEG).
GrayImage read_gray_image(const std::filesystem::path& file);

// PNG via libpng: every colour type and bit depth, interlaced or not. Palette images are expanded
// to RGB; gray of 1, 2 or 4 bits is scaled to 8 bits (libpng's bit replication: 1 bit -> 0/255,
// 2 bits -> v * 85, 4 bits -> v * 17); 16-bit samples keep their high byte (png_set_strip_16);
// alpha is stripped; tRNS is not applied.
// @throws lmzip::Error "<file>: truncated PNG ..." or "<file>: corrupt PNG: <libpng message>".
GrayImage read_png_gray(const std::filesystem::path& file);

// Baseline and progressive JPEG via libjpeg(-turbo), integer IDCT (JDCT_ISLOW), libjpeg's
// default upsampling and YCbCr->RGB conversion. Gray JPEGs are decoded as gray.
// @throws lmzip::Error naming the file for CMYK/YCCK JPEGs, truncated data ("Premature end of
//         JPEG file") and corrupt entropy-coded data (see docs/data.md for the list).
GrayImage read_jpeg_gray(const std::filesystem::path& file);

// Netpbm P2 (ASCII gray), P3 (ASCII RGB), P5 (binary gray), P6 (binary RGB); the first image of
// the file. maxval <= 255: samples are taken as they are (not rescaled to 0..255);
// 256 <= maxval <= 65535: 16-bit big-endian samples, of which the high byte is kept (v >> 8).
// '#' comments are allowed in the header.
// @throws lmzip::Error naming the file on a malformed header, a sample above maxval or
//         truncated data.
GrayImage read_pnm_gray(const std::filesystem::path& file);

}  // namespace lmzip::data
