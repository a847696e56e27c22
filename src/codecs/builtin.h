// src/codecs/builtin.h - factories of the built-in classical codecs (private to src/codecs).
//
// Registry::builtin() registers these in the order listed here. Each returns a fresh, stateless
// codec; see docs/codecs.md for the exact library settings of each.
#pragma once

#include <memory>
#include <string_view>

#include "lmzip/codecs/codec.h"

namespace lmzip::codecs {

std::unique_ptr<Codec> make_gzip_codec();           // "gzip"   (gzip_codec.cpp)
std::unique_ptr<Codec> make_xz_codec();             // "xz"     (xz_codec.cpp)
std::unique_ptr<Codec> make_xz_extreme_codec();     // "xz-9e"  (xz_codec.cpp)
std::unique_ptr<Codec> make_png_codec(int width);   // "png" (32) / "png-64" (64) (png_codec.cpp)
std::unique_ptr<Codec> make_flac_codec();           // "flac"   (flac_codec.cpp)
std::unique_ptr<Codec> make_zstd_codec();           // "zstd"   (zstd_codec.cpp)
std::unique_ptr<Codec> make_bzip2_codec();          // "bzip2"  (bzip2_codec.cpp)
std::unique_ptr<Codec> make_brotli_codec();         // "brotli" (brotli_codec.cpp)
std::unique_ptr<Codec> make_jxl_codec();            // "jxl"    (jxl_codec.cpp)
std::unique_ptr<Codec> make_lm_codec(std::string_view model);  // "lm:MODEL" (lm_codec.cpp)
std::unique_ptr<Codec> make_lm_paper_codec(std::string_view model);  // "lm7:MODEL" (lm_paper_codec.cpp)

}  // namespace lmzip::codecs
