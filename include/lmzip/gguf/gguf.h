// lmzip/gguf/gguf.h - reading and writing GGUF files (ggml / llama.cpp model files).
//
// Spec: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (GGUF v3; v2 has the same
// layout and is read too; v1, with 32-bit counts, is rejected). Little-endian throughout:
//   uint32 magic "GGUF" (bytes 47 47 55 46), uint32 version,
//   uint64 tensor_count, uint64 metadata_kv_count,
//   metadata_kv_count x { string key, uint32 value_type, value }          (see value.h)
//   tensor_count x { string name, uint32 n_dims, uint64 dims[n_dims],      (dims[0] = ne0, the
//                    uint32 ggml_type, uint64 offset }                      fastest-varying)
//   0x00 padding to a multiple of ALIGNMENT, then the data section; each tensor's bytes begin at
//   data_start + offset, offset a multiple of ALIGNMENT.
// A string is uint64 length + bytes. ALIGNMENT is the metadata value "general.alignment", or 32.
//
// The reader maps the file and treats it as hostile: every count, length, offset and dims product
// is checked (with overflow checks) before any view is handed out, and any failure throws
// lmzip::Error naming the file and, where there is one, the key or tensor:
//   "m.gguf: tensor blk.0.attn_q.weight: data [4096, 20480) (dims [64, 64], F32) runs past the end
//    of the data section (8192 bytes)"
// Checks: magic; version 2 or 3; counts that fit in the file; keys non-empty, at most 65535 bytes
// of printable ASCII, unique; value types 0..12; BOOL 0 or 1; string and array lengths within the
// file; arrays nested at most 64 deep and at most 2^22 values in all the metadata;
// general.alignment an integer power of two <= 2^20 (ggml's limit); tensor names non-empty, at most
// 64 bytes, unique; n_dims <= 4; each dim and the element count <= INT64_MAX; offsets aligned; the
// padding and every tensor's byte range inside the file; no two tensors' ranges overlap. A tensor
// whose type number is unknown is accepted (its `data` is empty, its size unknown) and rejected by
// to_float32() naming the tensor and the type.
//
// The writer produces v3: the metadata in the given order, then the tensor infos in the given
// order, the data section aligned, each tensor at the next aligned offset, zero padding after
// every tensor (so the file length is a multiple of the alignment, as ggml writes it). Equal
// inputs give equal bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/gguf/float16.h"
#include "lmzip/gguf/tensor_type.h"
#include "lmzip/gguf/value.h"

namespace lmzip::gguf {

using Metadata = std::vector<std::pair<std::string, Value>>;

struct TensorInfo {
  std::string name;
  std::vector<std::uint64_t> dims;  // GGUF order: dims[0] is the fastest-varying (ne0); empty = scalar
  TensorType type = TensorType::F32;
  std::uint64_t offset = 0;         // from the start of the data section
  ByteView data;                    // the tensor's bytes; empty when the type is unknown
  std::uint64_t element_count() const;  // product of dims (1 for no dims)
};

namespace detail {
struct Storage;
}

// A checked GGUF file. Views (TensorInfo::data) stay valid while the object lives, also after it
// is moved.
class GgufFile {
 public:
  // Maps the file read-only and checks it. @throws lmzip::Error naming the file (and tensor/key).
  explicit GgufFile(const std::filesystem::path& path);
  // The same checks on an image in memory; `label` starts error messages and is path().
  static GgufFile from_bytes(Bytes image, std::string label);
  ~GgufFile();
  GgufFile(GgufFile&&) noexcept;
  GgufFile& operator=(GgufFile&&) noexcept;

  std::uint32_t version() const { return version_; }
  const Metadata& metadata() const { return metadata_; }  // in file order
  const Value* find(std::string_view key) const;          // nullptr if absent
  const std::vector<TensorInfo>& tensors() const { return tensors_; }  // in file order
  const TensorInfo* find_tensor(std::string_view name) const;          // nullptr if absent
  std::uint64_t alignment() const { return alignment_; }
  std::uint64_t data_start() const { return data_start_; }  // file offset of the data section
  const std::filesystem::path& path() const { return path_; }
  ByteView bytes() const;  // the whole file

  // Typed look-ups that throw lmzip::Error "<file>: metadata key <key> is missing" or
  // "<file>: metadata key <key>: <why>" (wrong type, out of range).
  const Value& require(std::string_view key) const;
  std::uint64_t get_uint(std::string_view key) const;
  std::int64_t get_int(std::string_view key) const;
  double get_float(std::string_view key) const;
  bool get_bool(std::string_view key) const;
  const std::string& get_string(std::string_view key) const;

 private:
  GgufFile(std::filesystem::path path, std::unique_ptr<detail::Storage> storage);

  std::filesystem::path path_;
  std::unique_ptr<detail::Storage> storage_;  // the mapping or the in-memory image
  std::uint32_t version_ = 3;
  std::uint64_t alignment_ = 32;
  std::uint64_t data_start_ = 0;
  Metadata metadata_;
  std::vector<TensorInfo> tensors_;
};

// The tensor as float32, element i = GGUF data index i (dims[0] fastest). Supports F32, F16,
// BF16 and Q8_0 (blocks of 32: fp16 scale d, then 32 int8 q; x = float(d) * q).
// @throws lmzip::Error "<label>: tensor <name>: type Q4_K is not supported (F32, F16, BF16, Q8_0
// are)", or if data does not hold exactly the tensor's bytes.
std::vector<float> to_float32(const TensorInfo& t, const std::string& label);

// Tensor bytes from float32 values, element i = data index i:
//   F32   the values' bytes.
//   F16   float_to_half (round to nearest even), BF16 float_to_bf16 (the same).
//   Q8_0  per block of 32: amax = max |x| (float), d = amax / 127 (float division),
//         q = round(x / d) with ties away from zero (std::round; 0 when d == 0), clamped to
//         [-127, 127]; d is stored as fp16 (float_to_half). Dequantised y = float(d16) * q, so
//         |x - y| <= d/2 + 127 |d - float(d16)| + tiny float rounding (tests check this).
// @throws lmzip::Error for another type, a Q8_0 count not a multiple of 32, a non-finite Q8_0
// input, or a block whose scale overflows fp16 (amax > 65504 * 127).
Bytes encode_tensor(std::span<const float> values, TensorType type);

struct TensorToWrite {
  std::string name;
  std::vector<std::uint64_t> dims;  // GGUF order, dims[0] fastest
  TensorType type = TensorType::F32;
  Bytes data;                       // exactly tensor_byte_size(type, dims) bytes
};

// The whole v3 file image. `alignment` must be a power of two in [8, 2^20]. If it is not 32 and the
// metadata has no "general.alignment", a UINT32 "general.alignment" is appended to the metadata;
// if the metadata has one, it must be a UINT32 (as ggml requires) equal to `alignment`.
// @throws lmzip::Error if a key is empty, repeated, longer than 65535 or not printable ASCII; a
// Value's type and held alternative disagree or an integer does not fit its type; arrays nest more
// than 64 deep; a tensor name is empty, repeated or longer than 63 bytes (ggml's limit); a tensor
// has more than 4 dims, an unknown type, dims[0] not a multiple of its block size, or data of the
// wrong size.
Bytes encode_gguf(const Metadata& metadata, const std::vector<TensorToWrite>& tensors,
                  std::uint64_t alignment = 32);

// Writes encode_gguf()'s image through a temporary file + rename (lmzip::write_file_atomically).
// @throws lmzip::Error naming the file.
void write_gguf(const std::filesystem::path& path, const Metadata& metadata,
                const std::vector<TensorToWrite>& tensors, std::uint64_t alignment = 32);

}  // namespace lmzip::gguf
