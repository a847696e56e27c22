// tests/codecs/codec_samples.h - sample blocks and helpers shared by the codec tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/codecs/registry.h"
#include "test_support.h"

namespace lmzip::test {

// Uniform random bytes from a fixed seed.
inline Bytes random_bytes(std::size_t n, std::uint32_t seed = 12345) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(byte(rng));
  return out;
}

// English-like text from a fixed seed (used when ../shared/data is absent).
inline Bytes generated_text(std::size_t n, std::uint32_t seed = 7) {
  static const char* const kWords[] = {"the", "queen", "said", "alice", "and", "to", "a", "she", "it", "of",
                                       "was", "in", "you", "that", "rabbit", "very", "little", "hatter",
                                       "turtle", "gryphon", "king", "cat", "thought", "once", "again"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> word(0, std::size(kWords) - 1);
  std::string text;
  while (text.size() < n) {
    text += kWords[word(rng)];
    text += (rng() % 11 == 0) ? ",\n" : " ";
  }
  return Bytes(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(n));
}

// The first n bytes of alice29.txt after its first `offset` bytes if the shared data is there
// (and long enough), else generated text.
inline Bytes text_sample(std::size_t n, std::size_t offset = 0) {
  if (auto dir = shared_data_dir()) {
    auto path = *dir / "text" / "canterbury" / "alice29.txt";
    if (std::filesystem::exists(path)) {
      Bytes all = read_file(path);
      if (all.size() >= offset + n) {
        return Bytes(all.begin() + static_cast<std::ptrdiff_t>(offset),
                     all.begin() + static_cast<std::ptrdiff_t>(offset + n));
      }
    }
  }
  return generated_text(n);
}

inline std::vector<std::string> builtin_codec_names() { return codecs::Registry::builtin().names(); }

// gtest parameter names may not contain '-'.
inline std::string codec_param_name(const std::string& codec) {
  std::string out = codec;
  for (char& c : out) {
    if (c == '-') c = '_';
  }
  return out;
}

}  // namespace lmzip::test
