// lmzip/coding/arithmetic_coder.h - binary arithmetic coder with a 32-bit state.
//
// The coder of the paper (../shared/REFERENCE.md section 5): base 2, 32-bit state, inclusive
// upper bound, carries handled by counting "pending" (underflow) bits, in the style of Witten,
// Neal and Cleary (1987). docs/coder.md explains the algorithm, its invariants, the termination
// and the measured overhead.
//
// Usage, one model step at a time:
//
//   ArithmeticEncoder enc;                          ArithmeticDecoder dec(bytes);
//   for each symbol s:                              for each position:
//     enc.encode(quantize(probs), s);                 s = dec.decode(quantize(probs));
//   Bytes bytes = enc.finish();
//
// The decoder must be driven with exactly the same tables, in the same order, as the encoder;
// it cannot tell where the stream ends, so the number of symbols is stored elsewhere (the
// archive stores the chunk's length).
//
// Output format: the bit stream MSB first, padded with zero bits to whole bytes, with all
// trailing 0x00 bytes removed. The decoder reads zero bits beyond the end of its input, so the
// removed bytes (and any zero bytes appended later) change nothing. No symbols -> no bytes.
//
// Interval arithmetic is integer-only, so encoder and decoder agree on every machine.
#pragma once

#include <cstdint>

#include "lmzip/bytes.h"
#include "lmzip/coding/frequency_table.h"

namespace lmzip::coding {

// Largest `total` the coder accepts: the state range is > 2^30 after renormalisation, so every
// slot of width >= 1 gets >= 64 units of range (see frequency_table.h).
inline constexpr std::uint32_t kMaxTotal = std::uint32_t{1} << kMaxPrecisionBits;

class ArithmeticEncoder {
 public:
  ArithmeticEncoder() = default;

  // Narrows the interval to the slot [cum_low, cum_low + freq) of [0, total).
  // @throws lmzip::Error unless 1 <= freq, cum_low + freq <= total, total <= kMaxTotal.
  void encode(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total);

  // Encodes `symbol` with the table's slot for it.
  // @throws lmzip::Error if symbol >= table.size() or its frequency is 0.
  void encode(const FrequencyTable& table, std::uint32_t symbol);

  // Terminates the stream (at most one more bit plus the pending ones, zero padding, trailing
  // zero bytes removed) and returns it. The encoder is then reset and may code a new stream.
  // @return the coded bytes; empty if nothing was encoded (or only certain symbols were).
  Bytes finish();

  // Bits emitted so far, pending bits not included (for statistics).
  std::uint64_t bits_written() const { return bits_written_; }

 private:
  void emit_bits(std::uint32_t bits, unsigned count);
  void emit_with_pending(unsigned bit);

  std::uint32_t low_ = 0;
  std::uint32_t high_ = 0xFFFFFFFFu;  // inclusive
  std::uint64_t pending_ = 0;         // bits owed, each the complement of the next emitted bit
  std::uint64_t bits_written_ = 0;
  std::uint64_t bit_buffer_ = 0;      // its low bit_count_ bits are not yet a whole byte
  unsigned bit_count_ = 0;            // 0..7 between calls
  Bytes out_;
};

class ArithmeticDecoder {
 public:
  // Starts decoding `input`. The view must outlive the decoder. Never reads outside it: bits
  // past its end read as zero. Any input is accepted; garbage decodes to arbitrary symbols.
  explicit ArithmeticDecoder(ByteView input);

  // Decodes and consumes one symbol coded with `table`.
  // @return a symbol with a non-zero frequency in `table`.
  // @throws lmzip::Error if table is empty or its total is 0 or above kMaxTotal.
  std::uint32_t decode(const FrequencyTable& table);

  // Split form of decode() for callers that find the slot themselves:
  //   uint32_t t = dec.target(total);     // t in [0, total): the point of the next symbol
  //   ...find the slot [cum_low, cum_low + freq) holding t...
  //   dec.consume(cum_low, freq, total);
  // consume() with a slot that does not hold target() is allowed (memory-safe) but decodes
  // garbage from then on.
  // @throws lmzip::Error if total is 0 or above kMaxTotal (target), or unless
  //         1 <= freq, cum_low + freq <= total <= kMaxTotal (consume).
  std::uint32_t target(std::uint32_t total) const;
  void consume(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total);

 private:
  std::uint32_t read_bits(unsigned count);

  ByteView input_;
  std::size_t byte_pos_ = 0;          // next byte of input_ to load
  std::uint64_t window_ = 0;          // its low window_bits_ bits: loaded, not yet read
  unsigned window_bits_ = 0;
  std::uint32_t low_ = 0;
  std::uint32_t high_ = 0xFFFFFFFFu;  // inclusive
  std::uint32_t value_ = 0;           // the 32 code bits aligned with [low_, high_]
};

}  // namespace lmzip::coding
