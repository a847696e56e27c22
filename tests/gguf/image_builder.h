// image_builder.h - writes GGUF images byte by byte for the tests, independently of lmzip's
// writer (little-endian integers spelled out here), so a mistake shared by the writer and the
// reader does not go unnoticed.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>

#include "lmzip/bytes.h"

namespace lmzip::gguf::test {

struct ImageBuilder {
  Bytes b;

  ImageBuilder& raw(std::initializer_list<std::uint8_t> bytes) {
    b.insert(b.end(), bytes);
    return *this;
  }
  ImageBuilder& le(std::uint64_t v, int size) {
    for (int i = 0; i < size; ++i) b.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  ImageBuilder& u8(std::uint8_t v) { return le(v, 1); }
  ImageBuilder& u16(std::uint16_t v) { return le(v, 2); }
  ImageBuilder& u32(std::uint32_t v) { return le(v, 4); }
  ImageBuilder& u64(std::uint64_t v) { return le(v, 8); }
  ImageBuilder& f32(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    return u32(u);
  }
  ImageBuilder& f64(double d) {
    std::uint64_t u;
    std::memcpy(&u, &d, 8);
    return u64(u);
  }
  ImageBuilder& str(const std::string& s) {
    u64(s.size());
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  // "GGUF", version, tensor count, metadata count.
  ImageBuilder& header(std::uint32_t version, std::uint64_t tensors, std::uint64_t kvs) {
    return raw({0x47, 0x47, 0x55, 0x46}).u32(version).u64(tensors).u64(kvs);
  }
  // A key and its value type (the value follows).
  ImageBuilder& key(const std::string& k, std::uint32_t type) { return str(k).u32(type); }
  // A tensor info.
  ImageBuilder& tensor(const std::string& name, std::initializer_list<std::uint64_t> dims, std::uint32_t type,
                       std::uint64_t offset) {
    str(name).u32(static_cast<std::uint32_t>(dims.size()));
    for (auto d : dims) u64(d);
    return u32(type).u64(offset);
  }
  ImageBuilder& pad_to(std::size_t alignment) {
    while (b.size() % alignment != 0) b.push_back(0);
    return *this;
  }
};

}  // namespace lmzip::gguf::test
