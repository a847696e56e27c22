// lmzip/gguf/float16.h - IEEE binary16 (fp16) and bfloat16 conversions, exact and portable.
//
// Plain integer bit manipulation, no hardware intrinsics, no dependence on the FP environment:
//   half_to_float / bf16_to_float   exact (every fp16 and bf16 value is a float), subnormals
//                                   kept, infinities kept, NaN -> quiet NaN with the payload's
//                                   high bits kept.
//   float_to_half / float_to_bf16   round to nearest, ties to even; values past the largest
//                                   finite (65504 for fp16) round to infinity as IEEE does
//                                   (from 65520 up); NaN -> a quiet NaN of the same sign.
// Tests check all 65536 bit patterns of both formats against a reference computed in double.
#pragma once

#include <cstdint>

namespace lmzip::gguf {

float half_to_float(std::uint16_t h);
std::uint16_t float_to_half(float f);
float bf16_to_float(std::uint16_t b);
std::uint16_t float_to_bf16(float f);

}  // namespace lmzip::gguf
