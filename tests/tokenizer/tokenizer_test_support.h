// Helpers shared by the tokenizer tests: byte/string conversion, random inputs, the reference
// fixture, and a protobuf writer for hand-made SentencePiece models.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lmzip/bytes.h"
#include "lmzip/tokenizer/tokenizer.h"
#include "test_support.h"

namespace lmzip::tokenizer::testing {

inline ByteView bv(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }
inline std::string str(const Bytes& b) { return std::string(b.begin(), b.end()); }

inline void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Random valid UTF-8: mostly ASCII text-like characters, some Latin-1, CJK, emoji, Unicode spaces.
inline std::string random_utf8(std::mt19937& rng, std::size_t max_chars) {
  static const std::vector<std::uint32_t> kSpecial = {' ', ' ', ' ', '\n', '\t', '\r', '\'', 0xA0, 0x3000, 0x2028,
                                                      0x2581, 0x301, 0x200D, 0xFFFD, 0x1F600, 0x1F44D, 0x10FFFF};
  std::string s;
  const std::size_t n = std::uniform_int_distribution<std::size_t>(0, max_chars)(rng);
  for (std::size_t i = 0; i < n; ++i) {
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    std::uint32_t cp;
    if (kind < 5) cp = std::uniform_int_distribution<std::uint32_t>(0x20, 0x7E)(rng);
    else if (kind < 7) cp = kSpecial[std::uniform_int_distribution<std::size_t>(0, kSpecial.size() - 1)(rng)];
    else if (kind == 7) cp = std::uniform_int_distribution<std::uint32_t>(0x80, 0x2FF)(rng);
    else if (kind == 8) cp = std::uniform_int_distribution<std::uint32_t>(0x4E00, 0x9FFF)(rng);
    else cp = std::uniform_int_distribution<std::uint32_t>(0, 0x10FFFF)(rng);
    if (cp >= 0xD800 && cp < 0xE000) cp = 'x';
    append_utf8(s, cp);
  }
  return s;
}

// Random bytes (often not UTF-8), biased towards UTF-8 lead/continuation bytes and spaces.
inline std::string random_bytes(std::mt19937& rng, std::size_t max_len) {
  std::string s;
  const std::size_t n = std::uniform_int_distribution<std::size_t>(0, max_len)(rng);
  for (std::size_t i = 0; i < n; ++i) {
    const int kind = std::uniform_int_distribution<int>(0, 3)(rng);
    int b = std::uniform_int_distribution<int>(0, 255)(rng);
    if (kind == 0) b = ' ';
    else if (kind == 1) b = 0x80 | (b & 0x3F);
    s += static_cast<char>(b);
  }
  return s;
}

// tokenizer_reference_ids.json: {"strings": [...], "<key>": [[ids], ...]}.
inline nlohmann::json reference_fixture(const std::filesystem::path& shared) {
  const Bytes b = test::read_file(shared / "fixtures" / "tokenizer_reference_ids.json");
  return nlohmann::json::parse(b.begin(), b.end());
}

// Every fixture string encodes to exactly the reference ids under `key`, and those ids decode
// back to the string.
inline void expect_reference_ids(const Tokenizer& tok, const nlohmann::json& fx, const char* key) {
  const auto& strings = fx["strings"];
  const auto& ref = fx[key];
  ASSERT_EQ(strings.size(), ref.size());
  for (std::size_t i = 0; i < strings.size(); ++i) {
    const std::string s = strings[i].get<std::string>();
    const std::vector<TokenId> want = ref[i].get<std::vector<TokenId>>();
    EXPECT_EQ(tok.encode(bv(s)), want) << key << " string " << i << ": " << s.substr(0, 60);
    EXPECT_EQ(str(tok.decode(want)), s) << key << " string " << i;
  }
}

// A minimal protobuf writer (wire format) for hand-made SentencePiece ModelProto files.
class ProtoWriter {
 public:
  void varint_field(std::uint32_t field, std::uint64_t v) {
    key(field, 0);
    varint(v);
  }
  void float_field(std::uint32_t field, float f) {
    key(field, 5);
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
  }
  void bytes_field(std::uint32_t field, std::string_view s) {
    key(field, 2);
    varint(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void message_field(std::uint32_t field, const ProtoWriter& m) { bytes_field(field, std::string(m.out_.begin(), m.out_.end())); }
  const Bytes& bytes() const { return out_; }

 private:
  void key(std::uint32_t field, std::uint32_t wire) { varint((std::uint64_t(field) << 3) | wire); }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<std::uint8_t>(v));
  }
  Bytes out_;
};

}  // namespace lmzip::tokenizer::testing
