// lmzip/archive/defaults.h - the defaults of the compressor and the command line.
#pragma once

#include <cstdint>
#include <string_view>

namespace lmzip::archive {

// The model used when none is named (-m). The built-in adaptive order-2 model until lmzip ships
// a trained transformer; then this names the shipped model.
inline constexpr std::string_view kDefaultModel = "order2";

// Bytes per independently coded chunk, as the paper.
inline constexpr std::uint32_t kDefaultChunkSize = 2048;

// The largest chunk the format allows (the model's context may allow less).
inline constexpr std::uint32_t kMaxChunkSize = std::uint32_t{1} << 24;

// The archive file name suffix.
inline constexpr std::string_view kSuffix = ".lmz";

}  // namespace lmzip::archive
