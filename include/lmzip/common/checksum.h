// lmzip/common/checksum.h - XXH64 checksums (libxxhash) for reports and, later, archives.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "lmzip/bytes.h"

namespace lmzip {

// Incremental XXH64 with seed 0.
class Xxh64 {
 public:
  Xxh64();
  ~Xxh64();
  Xxh64(const Xxh64&) = delete;
  Xxh64& operator=(const Xxh64&) = delete;
  void update(ByteView bytes);
  std::uint64_t digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::uint64_t xxh64(ByteView bytes);
// Streams the file; @throws lmzip::Error naming the file if it cannot be read.
std::uint64_t xxh64_file(const std::filesystem::path& path);
// 16 lower-case hex digits.
std::string to_hex64(std::uint64_t value);

}  // namespace lmzip
