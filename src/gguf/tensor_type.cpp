// ggml tensor type names and block sizes (see lmzip/gguf/tensor_type.h). The byte sizes are those
// of ggml's block structs (ggml-common.h), e.g. Q4_K: fp16 d, fp16 dmin, 12 scale bytes, 128
// nibble bytes = 144 bytes per 256 elements.
#include <array>
#include <limits>

#include "lmzip/gguf/tensor_type.h"

namespace lmzip::gguf {

namespace {

struct Entry {
  TensorType type;
  TensorTypeTraits traits;
};

constexpr std::array<Entry, 32> kTypes{{
    {TensorType::F32, {"F32", 1, 4}},          {TensorType::F16, {"F16", 1, 2}},
    {TensorType::Q4_0, {"Q4_0", 32, 18}},      {TensorType::Q4_1, {"Q4_1", 32, 20}},
    {TensorType::Q5_0, {"Q5_0", 32, 22}},      {TensorType::Q5_1, {"Q5_1", 32, 24}},
    {TensorType::Q8_0, {"Q8_0", 32, 34}},      {TensorType::Q8_1, {"Q8_1", 32, 36}},
    {TensorType::Q2_K, {"Q2_K", 256, 84}},     {TensorType::Q3_K, {"Q3_K", 256, 110}},
    {TensorType::Q4_K, {"Q4_K", 256, 144}},    {TensorType::Q5_K, {"Q5_K", 256, 176}},
    {TensorType::Q6_K, {"Q6_K", 256, 210}},    {TensorType::Q8_K, {"Q8_K", 256, 292}},
    {TensorType::IQ2_XXS, {"IQ2_XXS", 256, 66}}, {TensorType::IQ2_XS, {"IQ2_XS", 256, 74}},
    {TensorType::IQ3_XXS, {"IQ3_XXS", 256, 98}}, {TensorType::IQ1_S, {"IQ1_S", 256, 50}},
    {TensorType::IQ4_NL, {"IQ4_NL", 32, 18}},  {TensorType::IQ3_S, {"IQ3_S", 256, 110}},
    {TensorType::IQ2_S, {"IQ2_S", 256, 82}},   {TensorType::IQ4_XS, {"IQ4_XS", 256, 136}},
    {TensorType::I8, {"I8", 1, 1}},            {TensorType::I16, {"I16", 1, 2}},
    {TensorType::I32, {"I32", 1, 4}},          {TensorType::I64, {"I64", 1, 8}},
    {TensorType::F64, {"F64", 1, 8}},          {TensorType::IQ1_M, {"IQ1_M", 256, 56}},
    {TensorType::BF16, {"BF16", 1, 2}},        {TensorType::TQ1_0, {"TQ1_0", 256, 54}},
    {TensorType::TQ2_0, {"TQ2_0", 256, 66}},   {TensorType::MXFP4, {"MXFP4", 32, 17}},
}};

}  // namespace

std::optional<TensorTypeTraits> tensor_type_traits(TensorType t) {
  for (const auto& e : kTypes) {
    if (e.type == t) return e.traits;
  }
  return std::nullopt;
}

std::string tensor_type_name(TensorType t) {
  if (const auto traits = tensor_type_traits(t)) return traits->name;
  return "type " + std::to_string(static_cast<std::uint32_t>(t));
}

std::optional<std::uint64_t> tensor_byte_size(TensorType t, std::span<const std::uint64_t> dims) {
  const auto traits = tensor_type_traits(t);
  if (!traits) return std::nullopt;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t count = 1;
  for (const auto d : dims) {
    if (d > kMax || __builtin_mul_overflow(count, d, &count) || count > kMax) return std::nullopt;
  }
  const std::uint64_t row = dims.empty() ? 1 : dims[0];
  if (row % traits->block_size != 0) return std::nullopt;
  std::uint64_t bytes = 0;
  if (__builtin_mul_overflow(count / traits->block_size, std::uint64_t{traits->type_size}, &bytes)) return std::nullopt;
  return bytes;
}

}  // namespace lmzip::gguf
