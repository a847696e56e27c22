// fp16 and bf16 <-> float by bit manipulation (see lmzip/gguf/float16.h).
#include "lmzip/gguf/float16.h"

#include <bit>

namespace lmzip::gguf {

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exp = (h >> 10) & 0x1Fu;
  std::uint32_t mant = h & 0x3FFu;
  std::uint32_t bits = 0;
  if (exp == 0x1F) {                         // infinity or NaN
    bits = sign | 0x7F800000u | (mant << 13) | (mant ? 0x400000u : 0u);
  } else if (exp != 0) {                     // normal: rebias 15 -> 127
    bits = sign | ((exp + 112u) << 23) | (mant << 13);
  } else if (mant == 0) {                    // signed zero
    bits = sign;
  } else {                                   // subnormal mant * 2^-24: normalise
    exp = 1;
    while ((mant & 0x400u) == 0) {
      mant <<= 1;
      --exp;
    }
    bits = sign | ((exp + 112u) << 23) | ((mant & 0x3FFu) << 13);
  }
  return std::bit_cast<float>(bits);
}

std::uint16_t float_to_half(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  const std::uint32_t sign = (bits >> 16) & 0x8000u;
  const std::uint32_t abs = bits & 0x7FFFFFFFu;
  if (abs > 0x7F800000u) {                   // NaN: keep the high payload bits, set quiet
    return static_cast<std::uint16_t>(sign | 0x7E00u | ((abs >> 13) & 0x3FFu));
  }
  if (abs >= 0x477FF000u) {                  // >= 65520 (halfway past 65504, odd): infinity
    return static_cast<std::uint16_t>(sign | 0x7C00u);
  }
  if (abs >= 0x38800000u) {                  // >= 2^-14: a normal half
    const std::uint32_t mant = abs & 0x7FFFFFu;
    std::uint32_t out = (((abs >> 23) - 112u) << 10) | (mant >> 13);
    const std::uint32_t rem = mant & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (out & 1u))) ++out;  // a carry moves into the exponent
    return static_cast<std::uint16_t>(sign | out);
  }
  if (abs <= 0x33000000u) return static_cast<std::uint16_t>(sign);  // <= 2^-25 (a tie) -> zero
  // Subnormal half: the value in units of 2^-24 is m * 2^(E - 126), E = 102..112.
  const std::uint32_t m = (abs & 0x7FFFFFu) | 0x800000u;
  const std::uint32_t shift = 126u - (abs >> 23);
  std::uint32_t out = m >> shift;
  const std::uint32_t rem = m & ((1u << shift) - 1u);
  const std::uint32_t half = 1u << (shift - 1u);
  if (rem > half || (rem == half && (out & 1u))) ++out;  // may become the smallest normal
  return static_cast<std::uint16_t>(sign | out);
}

float bf16_to_float(std::uint16_t b) {
  std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
  if ((b & 0x7F80u) == 0x7F80u && (b & 0x7Fu) != 0) bits |= 0x400000u;  // NaN -> quiet
  return std::bit_cast<float>(bits);
}

std::uint16_t float_to_bf16(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
  // Round to nearest even on the low 16 bits; a carry moves into the exponent (up to infinity).
  return static_cast<std::uint16_t>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

}  // namespace lmzip::gguf
