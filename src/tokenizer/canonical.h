// src/tokenizer/canonical.h - the byte serialisation that tokenizer fingerprints hash.
//
// Little-endian fixed-width integers, floats as their IEEE-754 bit pattern, strings as a u32
// length then the bytes. Each tokenizer writes a version tag and its kind first, then every
// table and option that encode/decode depend on, in a fixed order (docs/tokenizer.md).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "lmzip/bytes.h"
#include "lmzip/model/sha256.h"

namespace lmzip::tokenizer {

class CanonicalWriter {
 public:
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
  }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void f32(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    u32(u);
  }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  std::string sha256() const {
    return model::sha256_hex(ByteView(reinterpret_cast<const std::uint8_t*>(out_.data()), out_.size()));
  }

 private:
  std::string out_;
};

}  // namespace lmzip::tokenizer
