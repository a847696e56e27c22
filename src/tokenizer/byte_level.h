// src/tokenizer/byte_level.h - GPT-2's reversible byte <-> printable-character map.
//
// Byte-level BPE vocabularies spell every byte as a printable character so that tokens are
// ordinary strings: the bytes '!'..'~', 0xA1..0xAC and 0xAE..0xFF stand for themselves (as the
// code points of the same value), and the other 68 bytes (controls, space, 0x7F..0xA0, 0xAD)
// are given U+0100, U+0101, ... in increasing byte order (GPT-2's bytes_to_unicode()).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lmzip/bytes.h"
#include "utf8.h"

namespace lmzip::tokenizer::byte_level {

inline bool is_self(int b) { return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF); }

// byte -> code point
inline const std::array<std::int32_t, 256>& byte_to_cp() {
  static const std::array<std::int32_t, 256> table = [] {
    std::array<std::int32_t, 256> t{};
    int next = 0x100;
    for (int b = 0; b < 256; ++b) t[b] = is_self(b) ? b : next++;
    return t;
  }();
  return table;
}

// code point -> byte, or -1 when the code point is not one of the 256.
inline int cp_to_byte(std::int32_t cp) {
  if (cp >= 0 && cp < 256) return is_self(cp) ? cp : -1;
  if (cp < 0x100 || cp >= 0x100 + 68) return -1;
  int k = cp - 0x100;
  for (int b = 0; b < 256; ++b) {
    if (!is_self(b) && k-- == 0) return b;
  }
  return -1;
}

// Bytes -> their byte-level string (UTF-8).
inline std::string encode(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) utf8::append(out, byte_to_cp()[b]);
  return out;
}

// A byte-level string -> the bytes it spells, or nullopt if some character is not one of the 256.
inline std::optional<Bytes> decode(std::string_view s) {
  Bytes out;
  const ByteView v = utf8::as_bytes(s);
  for (std::size_t i = 0; i < v.size();) {
    const utf8::Char c = utf8::next_char(v, i);
    const int b = cp_to_byte(c.cp);
    if (b < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(b));
    i += c.len;
  }
  return out;
}

}  // namespace lmzip::tokenizer::byte_level
