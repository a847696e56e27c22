// src/tokenizer/utf8.h - UTF-8 stepping and the character classes the tokenizers need (ICU).
//
// next_char() decodes one character with ICU's U8_NEXT (which rejects overlong forms,
// surrogates and code points above U+10FFFF); an ill-formed byte is returned on its own with
// cp = -1, so every byte string splits into valid characters and single invalid bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "lmzip/bytes.h"

namespace lmzip::tokenizer::utf8 {

struct Char {
  std::int32_t cp;  // the code point, or -1 for an invalid byte
  std::size_t len;  // bytes consumed (1 for an invalid byte)
};

// The character at text[i] (i < text.size()).
inline Char next_char(const std::uint8_t* text, std::size_t size, std::size_t i) {
  const std::uint8_t b = text[i];
  if (b < 0x80) return {b, 1};
  std::int32_t j = static_cast<std::int32_t>(i);
  const std::int32_t n = static_cast<std::int32_t>(size);
  UChar32 c = 0;
  U8_NEXT(text, j, n, c);
  if (c < 0) return {-1, 1};
  return {c, static_cast<std::size_t>(j) - i};
}
inline Char next_char(ByteView text, std::size_t i) { return next_char(text.data(), text.size(), i); }

// The classes of the pre-tokenizer regexes: \p{L}, \p{N}, \s, and everything else.
enum class Class : std::uint8_t { Letter, Number, Space, Other };

inline Class classify(std::int32_t cp) {
  if (cp < 0) return Class::Other;
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return Class::Letter;
    if (cp >= '0' && cp <= '9') return Class::Number;
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return Class::Space;
    return Class::Other;
  }
  const std::uint32_t mask = U_GET_GC_MASK(cp);
  if (mask & U_GC_L_MASK) return Class::Letter;
  if (mask & U_GC_N_MASK) return Class::Number;
  if (u_isUWhiteSpace(cp)) return Class::Space;
  return Class::Other;
}

// Appends the UTF-8 form of a code point (0 <= cp <= 0x10FFFF, not a surrogate: not checked).
inline void append(std::string& out, std::int32_t cp) {
  char buf[4];
  std::int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, cp);
  out.append(buf, static_cast<std::size_t>(n));
}

inline std::string_view as_chars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace lmzip::tokenizer::utf8
