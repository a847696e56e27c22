// parse.h (private) - the limits the reader and writer share, and the parser behind GgufFile.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/gguf/gguf.h"

namespace lmzip::gguf::detail {

constexpr std::uint32_t kMagic = 0x46554747;            // "GGUF" read as a little-endian uint32
constexpr std::uint64_t kDefaultAlignment = 32;
constexpr std::uint64_t kMaxAlignment = 1u << 20;       // ggml's limit
constexpr std::uint64_t kMaxKeyLength = 65535;          // spec
constexpr std::uint64_t kMaxTensorNameRead = 64;        // spec: "at most 64 bytes"
constexpr std::uint64_t kMaxTensorNameWrite = 63;       // ggml keeps names in char[64] with a NUL
constexpr std::uint32_t kMaxDims = 4;                   // ggml's GGML_MAX_DIMS
constexpr int kMaxDepth = 64;                           // arrays nested in arrays
constexpr std::uint64_t kMaxValues = 1u << 22;          // values in all the metadata (~48 bytes each)
constexpr const char* kAlignmentKey = "general.alignment";

// True if the key is non-empty printable ASCII of at most kMaxKeyLength bytes.
bool valid_key(const std::string& key);

struct Parsed {
  std::uint32_t version = 3;
  std::uint64_t alignment = kDefaultAlignment;
  std::uint64_t data_start = 0;
  Metadata metadata;
  std::vector<TensorInfo> tensors;
};

// Parses and checks a whole image; views point into `file`. @throws lmzip::Error (see gguf.h).
Parsed parse_gguf(ByteView file, const std::string& label);

}  // namespace lmzip::gguf::detail
