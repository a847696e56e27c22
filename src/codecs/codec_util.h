// src/codecs/codec_util.h - small helpers shared by the classical codec wrappers (private).
//
// Every codec reports a failure the same way: lmzip::Error with a message that starts with the
// codec's registry name, e.g. "gzip: corrupt data: invalid distance too far back".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "lmzip/error.h"

namespace lmzip::codecs::detail {

// Throws "<codec>: corrupt data: <what>".
[[noreturn]] inline void throw_corrupt(std::string_view codec, std::string_view what) {
  throw Error(std::string(codec) + ": corrupt data: " + std::string(what));
}

// Throws "<codec>: <what>" (library failures while compressing, bad arguments).
[[noreturn]] inline void throw_failure(std::string_view codec, std::string_view what) {
  throw Error(std::string(codec) + ": " + std::string(what));
}

// Throws unless `got` == `want`: "<codec>: corrupt data: decoded N bytes, expected M". Decoders
// are given room for want + 1 bytes, so got > want means "longer than expected".
inline void check_decoded_size(std::string_view codec, std::size_t got, std::size_t want) {
  if (got > want) {
    throw_corrupt(codec, "decodes to more than the expected " + std::to_string(want) + " bytes");
  }
  if (got != want) {
    throw_corrupt(codec, "decoded " + std::to_string(got) + " bytes, expected " + std::to_string(want));
  }
}

}  // namespace lmzip::codecs::detail
