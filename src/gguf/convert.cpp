// Tensor bytes <-> float32: to_float32 (F32, F16, BF16, Q8_0) and encode_tensor.
// Q8_0 follows ggml's block_q8_0 (ggml-common.h): 32 elements per block, an fp16 scale d and 32
// int8 quants, x = d * q.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "lmzip/error.h"
#include "lmzip/gguf/gguf.h"

namespace lmzip::gguf {

namespace {

constexpr std::size_t kQ8Block = 32;
constexpr std::size_t kQ8Bytes = 34;

std::uint16_t load16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

std::uint32_t load32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

void store16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}

}  // namespace

std::vector<float> to_float32(const TensorInfo& t, const std::string& label) {
  const auto fail = [&](const std::string& what) -> Error { return Error(label + ": tensor " + t.name + ": " + what); };
  if (t.type != TensorType::F32 && t.type != TensorType::F16 && t.type != TensorType::BF16 && t.type != TensorType::Q8_0) {
    const std::string name = tensor_type_name(t.type);  // "Q4_K", or "type 99" when unknown
    throw fail((tensor_type_traits(t.type) ? "type " + name : name) + " is not supported (F32, F16, BF16, Q8_0 are)");
  }
  const auto bytes = tensor_byte_size(t.type, t.dims);
  if (!bytes) throw fail("dims do not fit type " + tensor_type_name(t.type));
  if (*bytes != t.data.size()) {
    throw fail("needs " + std::to_string(*bytes) + " bytes of data, has " + std::to_string(t.data.size()));
  }
  const std::size_t n = static_cast<std::size_t>(t.element_count());
  std::vector<float> out(n);
  const std::uint8_t* p = t.data.data();
  switch (t.type) {
    case TensorType::F32:
      for (std::size_t i = 0; i < n; ++i) out[i] = std::bit_cast<float>(load32(p + 4 * i));
      break;
    case TensorType::F16:
      for (std::size_t i = 0; i < n; ++i) out[i] = half_to_float(load16(p + 2 * i));
      break;
    case TensorType::BF16:
      for (std::size_t i = 0; i < n; ++i) out[i] = bf16_to_float(load16(p + 2 * i));
      break;
    default:  // Q8_0
      for (std::size_t b = 0; b < n / kQ8Block; ++b) {
        const std::uint8_t* block = p + b * kQ8Bytes;
        const float d = half_to_float(load16(block));
        for (std::size_t j = 0; j < kQ8Block; ++j) {
          out[b * kQ8Block + j] = d * static_cast<float>(static_cast<std::int8_t>(block[2 + j]));
        }
      }
      break;
  }
  return out;
}

Bytes encode_tensor(std::span<const float> values, TensorType type) {
  const std::size_t n = values.size();
  Bytes out;
  switch (type) {
    case TensorType::F32:
      out.resize(4 * n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t u = std::bit_cast<std::uint32_t>(values[i]);
        for (int k = 0; k < 4; ++k) out[4 * i + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(u >> (8 * k));
      }
      return out;
    case TensorType::F16:
    case TensorType::BF16:
      out.resize(2 * n);
      for (std::size_t i = 0; i < n; ++i) {
        store16(&out[2 * i], type == TensorType::F16 ? float_to_half(values[i]) : float_to_bf16(values[i]));
      }
      return out;
    case TensorType::Q8_0:
      break;
    default:
      throw Error("cannot encode a tensor as " + tensor_type_name(type) + " (F32, F16, BF16, Q8_0 can be)");
  }
  if (n % kQ8Block != 0) throw Error("Q8_0 needs a multiple of 32 values, got " + std::to_string(n));
  out.resize(n / kQ8Block * kQ8Bytes);
  for (std::size_t b = 0; b < n / kQ8Block; ++b) {
    const float* x = values.data() + b * kQ8Block;
    float amax = 0.0f;
    for (std::size_t j = 0; j < kQ8Block; ++j) {
      if (!std::isfinite(x[j])) throw Error("Q8_0: value " + std::to_string(b * kQ8Block + j) + " is not finite");
      amax = std::max(amax, std::fabs(x[j]));
    }
    const float d = amax / 127.0f;
    const std::uint16_t d16 = float_to_half(d);
    if ((d16 & 0x7C00u) == 0x7C00u) {
      throw Error("Q8_0: block " + std::to_string(b) + " has max |x| = " + std::to_string(amax) +
                  ", too large for an fp16 scale");
    }
    std::uint8_t* block = &out[b * kQ8Bytes];
    store16(block, d16);
    for (std::size_t j = 0; j < kQ8Block; ++j) {
      float q = d == 0.0f ? 0.0f : std::round(x[j] / d);
      q = std::min(127.0f, std::max(-127.0f, q));
      block[2 + j] = static_cast<std::uint8_t>(static_cast<std::int8_t>(q));
    }
  }
  return out;
}

}  // namespace lmzip::gguf
