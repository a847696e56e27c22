// lmzip/archive/defaults.h - the defaults of the compressor and the command line.
#pragma once

#include <cstdint>
#include <string_view>

namespace lmzip::archive {

// The model used when none is named (-m): the 3.2M byte transformer trained on a GPU in two
// sessions, embedded in the program (models/lmzip-3.2m-gpu2/, docs/model.md); it must be the
// first of CMake's LMZIP_EMBEDDED_MODELS (the earlier defaults, lmzip-3.2m-gpu, lmzip-3.2m,
// lmzip-800k and lmzip-200k, stay embedded for their archives).
inline constexpr std::string_view kDefaultModel = "lmzip-3.2m-gpu2";

// Bytes per independently coded chunk, as the paper.
inline constexpr std::uint32_t kDefaultChunkSize = 2048;

// The largest chunk the format allows (the model's context may allow less).
inline constexpr std::uint32_t kMaxChunkSize = std::uint32_t{1} << 24;

// The archive file name suffix.
inline constexpr std::string_view kSuffix = ".lmz";

}  // namespace lmzip::archive
