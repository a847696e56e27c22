// Helpers for the archive tests: inputs, and sources that behave like pipes.
#pragma once

#include <algorithm>
#include <random>
#include <string>

#include "lmzip/archive/stream.h"
#include "lmzip/bytes.h"

namespace lmzip::archive::testdata {

inline Bytes random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

// English-like text (words drawn from a small vocabulary), deterministic.
inline Bytes text_bytes(std::size_t n, unsigned seed = 1) {
  static const char* words[] = {"the", "model", "predicts", "each", "byte", "of", "a", "chunk", "and", "coder",
                                "writes", "bits", "archive", "stores", "index", "with", "checksums", "for", "every",
                                "file", "is", "compressed", "in", "parallel", "threads", "decoder", "reads", "it"};
  std::mt19937 rng(seed);
  Bytes out;
  while (out.size() < n) {
    const std::string w = words[rng() % (sizeof words / sizeof *words)];
    out.insert(out.end(), w.begin(), w.end());
    out.push_back(rng() % 11 == 0 ? '\n' : ' ');
  }
  out.resize(n);
  return out;
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A pipe-like source: no size, no random access, and reads of a few bytes at a time.
class TricklingSource final : public ByteSource {
 public:
  TricklingSource(ByteView bytes, std::string name = "(pipe)") : bytes_(bytes), name_(std::move(name)) {}
  std::size_t read(std::span<std::uint8_t> out) override {
    const std::size_t n = std::min({out.size(), bytes_.size() - pos_, std::size_t{1} + (pos_ * 7919) % 13});
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  ByteView bytes_;
  std::size_t pos_ = 0;
  std::string name_;
};

}  // namespace lmzip::archive::testdata
