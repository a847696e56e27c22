// src/codecs/image_shape.h - laying a byte block out as an 8-bit grayscale image (private).
//
// The paper's PNG baseline reshapes a chunk into an image of a fixed width, one byte per pixel,
// row by row. A block of n bytes becomes width x max(1, ceil(n / width)) pixels; the last row is
// padded with zero bytes (an image cannot have 0 rows, so the empty block is one zero row). The
// decoder knows n (raw_size), recomputes the shape, and drops the padding.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "lmzip/bytes.h"

namespace lmzip::codecs::detail {

struct ImageShape {
  std::size_t width = 0;
  std::size_t height = 0;
  std::size_t pixels() const { return width * height; }
};

inline ImageShape image_shape_for(std::size_t n, std::size_t width) {
  return ImageShape{width, std::max<std::size_t>(1, (n + width - 1) / width)};
}

// The block as shape.pixels() bytes: `raw` followed by zero padding.
inline Bytes pad_to_image(ByteView raw, const ImageShape& shape) {
  Bytes pixels(shape.pixels(), 0);
  if (!raw.empty()) std::memcpy(pixels.data(), raw.data(), raw.size());
  return pixels;
}

// Whether every padding byte after the first n pixels is zero (what the encoder wrote).
inline bool padding_is_zero(ByteView pixels, std::size_t n) {
  return std::all_of(pixels.begin() + static_cast<std::ptrdiff_t>(n), pixels.end(),
                     [](std::uint8_t b) { return b == 0; });
}

}  // namespace lmzip::codecs::detail
