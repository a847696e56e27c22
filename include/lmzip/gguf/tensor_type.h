// lmzip/gguf/tensor_type.h - ggml tensor types: numbers, names, block sizes, byte sizes.
//
// The numbering is ggml's `enum ggml_type` as listed in the GGUF spec
// (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md). A type stores its elements in
// blocks of `block_size` elements taking `type_size` bytes each (sizes from ggml's block structs
// in ggml-common.h, e.g. block_q8_0 = fp16 d + 32 int8 = 34 bytes). Numbers 4, 5 and 31..33,
// 36..38 were removed from ggml and are unknown here, like any number past MXFP4 (39).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace lmzip::gguf {

enum class TensorType : std::uint32_t {
  F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
  Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
  IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22,
  IQ4_XS = 23, I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
  TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39,
};

struct TensorTypeTraits {
  const char* name;         // "Q8_0"
  std::uint32_t block_size;  // elements per block
  std::uint32_t type_size;   // bytes per block
};

// @return the traits of a known type, or nullopt.
std::optional<TensorTypeTraits> tensor_type_traits(TensorType t);
// "F32", "Q8_0", ...; "type 99" for an unknown number.
std::string tensor_type_name(TensorType t);

// Bytes of a tensor of type `t` and GGUF dims (dims[0] = elements per row); nullopt when the type
// is unknown, dims[0] is not a multiple of the block size, or the size overflows uint64 / the
// element count passes INT64_MAX (ggml counts in int64).
std::optional<std::uint64_t> tensor_byte_size(TensorType t, std::span<const std::uint64_t> dims);

}  // namespace lmzip::gguf
