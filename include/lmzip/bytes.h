// lmzip/bytes.h - the byte buffer types used across the library.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lmzip {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

}  // namespace lmzip
