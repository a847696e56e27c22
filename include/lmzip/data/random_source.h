// lmzip/data/random_source.h - the portable byte generator behind `random=N:SEED`.
//
// xoshiro256** (Blackman and Vigna, 2018) seeded by splitmix64 (Vigna), both specified exactly in
// docs/data.md, so that a seed gives the same bytes on every machine and compiler:
//   state s[0..3] = the first four outputs of splitmix64 started at x = SEED;
//   each xoshiro256** output (a uint64) gives 8 bytes, least significant byte first.
// The data set random=N:SEED is the first N bytes of this stream, cut into chunks.
#pragma once

#include <array>
#include <cstdint>

#include "lmzip/bytes.h"

namespace lmzip::data {

// splitmix64: x += 0x9E3779B97F4A7C15; z = x; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
// z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31).
std::uint64_t splitmix64_next(std::uint64_t& x);

class RandomSource {
 public:
  explicit RandomSource(std::uint64_t seed);

  // The next xoshiro256** output.
  std::uint64_t next_u64();

  // Fills out[0..n) with the next n bytes of the byte stream. Calls may split the stream at any
  // byte boundary: fill(a) then fill(b) gives the same bytes as fill(a + b).
  void fill(std::uint8_t* out, std::size_t n);
  Bytes bytes(std::size_t n);

 private:
  std::array<std::uint64_t, 4> s_{};
  std::uint64_t pending_ = 0;   // unread bytes of the last output, low byte next
  unsigned pending_count_ = 0;  // how many of them
};

}  // namespace lmzip::data
