// The safetensors dtype names and element sizes.
#include <array>
#include <utility>

#include "lmzip/model/safetensors.h"

namespace lmzip::model {

namespace {

struct DTypeInfo {
  DType type;
  std::string_view name;
  std::size_t size;
};

constexpr std::array<DTypeInfo, 15> kDTypes{{
    {DType::BOOL, "BOOL", 1},       {DType::U8, "U8", 1},     {DType::I8, "I8", 1},
    {DType::F8_E5M2, "F8_E5M2", 1}, {DType::F8_E4M3, "F8_E4M3", 1},
    {DType::I16, "I16", 2},         {DType::U16, "U16", 2},   {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},       {DType::I32, "I32", 4},   {DType::U32, "U32", 4},
    {DType::F32, "F32", 4},         {DType::F64, "F64", 8},   {DType::I64, "I64", 8},
    {DType::U64, "U64", 8},
}};

const DTypeInfo& info(DType t) {
  for (const auto& d : kDTypes) {
    if (d.type == t) return d;
  }
  return kDTypes[0];  // unreachable for a valid enumerator
}

}  // namespace

std::optional<DType> dtype_from_name(std::string_view name) {
  for (const auto& d : kDTypes) {
    if (d.name == name) return d.type;
  }
  return std::nullopt;
}

std::string_view dtype_name(DType t) { return info(t).name; }

std::size_t dtype_size(DType t) { return info(t).size; }

}  // namespace lmzip::model
