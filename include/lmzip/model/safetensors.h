// lmzip/model/safetensors.h - reading and writing Hugging Face safetensors files.
//
// The format (https://github.com/huggingface/safetensors):
//   8 bytes   N, unsigned 64-bit little-endian: the length of the header
//   N bytes   a UTF-8 JSON object, beginning with '{', possibly padded at the end with spaces:
//               {"__metadata__": {"key": "value", ...},            (optional; strings only)
//                "<tensor name>": {"dtype": "F32", "shape": [257, 64],
//                                  "data_offsets": [begin, end]}, ...}
//   the rest  the data section; each tensor's bytes are data[begin, end), row-major,
//             little-endian. Offsets are relative to the start of the data section.
//
// The reader treats the file as hostile and checks everything before handing out a view:
// the header length against the file (and against 100,000,000 bytes, the reference library's
// limit), the JSON (valid UTF-8, an object, no duplicate keys, no unknown fields), each dtype,
// each shape x element size against its byte range (with overflow checks), each range against
// the data section, and that the ranges tile the data section exactly (no overlaps, no holes,
// no trailing bytes). Any failure throws lmzip::Error naming the file and, where there is one,
// the tensor, e.g.
//   "model.safetensors: tensor layers.0.attn.wq: shape [64,64] needs 16384 bytes, range has 16000".
//
// The writer produces the layout of the reference library: the header padded with spaces so the
// data section starts at a multiple of 8 bytes, "__metadata__" first (omitted when empty), the
// tensors ordered by element size (largest first) then by name, laid out back to back in that
// order. The bytes depend only on the input, so equal inputs give equal files (and hashes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lmzip/bytes.h"

namespace lmzip::model {

// The element types safetensors names. lmzip's models use only F32; the others are recognised so
// that a foreign file gets a precise error ("dtype F16, expected F32").
enum class DType { BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64 };

// @return the dtype of a safetensors name ("F32", "BF16", ...), or nullopt if unknown.
std::optional<DType> dtype_from_name(std::string_view name);
std::string_view dtype_name(DType t);
// Bytes per element.
std::size_t dtype_size(DType t);

// Key/value strings of the header's "__metadata__" object.
using SafetensorsMetadata = std::map<std::string, std::string>;

// One tensor of a file that has been read.
struct SafetensorsTensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::uint64_t> shape;  // empty for a scalar
  std::uint64_t file_offset = 0;     // where data begins, from the start of the file
  ByteView data;                     // the tensor's bytes (inside the buffer that was parsed)
  std::uint64_t element_count() const;
};

// What a safetensors header describes; views point into the parsed buffer.
struct SafetensorsContents {
  SafetensorsMetadata metadata;
  std::vector<SafetensorsTensor> tensors;  // sorted by name
  std::uint64_t data_start = 0;            // 8 + N
  // @return the tensor named `name`, or nullptr.
  const SafetensorsTensor* find(std::string_view name) const;
};

// Parses and checks a whole safetensors image held in memory; `label` (usually the file name)
// starts every error message.
// @throws lmzip::Error as described above.
SafetensorsContents parse_safetensors(ByteView file, const std::string& label);

class MappedFile;

// A safetensors file mapped read-only into memory and checked. The tensor views stay valid as
// long as the object lives (moving it keeps them valid).
class SafetensorsFile {
 public:
  // @throws lmzip::Error naming the file (unreadable) or the file and tensor (malformed).
  explicit SafetensorsFile(const std::filesystem::path& path);
  // The same checks on an image already in memory that outlives the object (e.g. a model
  // embedded in the program); `label` names it in errors and is path().
  SafetensorsFile(ByteView image, const std::string& label);
  ~SafetensorsFile();
  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;

  const std::filesystem::path& path() const { return path_; }
  // The whole file.
  ByteView bytes() const;
  const SafetensorsMetadata& metadata() const { return contents_.metadata; }
  // Sorted by name.
  const std::vector<SafetensorsTensor>& tensors() const { return contents_.tensors; }
  // @return the tensor named `name`, or nullptr.
  const SafetensorsTensor* find(std::string_view name) const { return contents_.find(name); }

 private:
  std::filesystem::path path_;
  std::unique_ptr<MappedFile> map_;  // null for an in-memory image
  ByteView image_;                   // the whole file
  SafetensorsContents contents_;
};

// A tensor to write: `data` must hold exactly element_count x dtype_size bytes, little-endian.
struct TensorToWrite {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::uint64_t> shape;
  ByteView data;
};

// The whole file image (header + data) for `tensors` and `metadata`.
// @throws lmzip::Error if a name is empty, repeated or "__metadata__", or a data size does not
// match its shape.
Bytes encode_safetensors(std::span<const TensorToWrite> tensors, const SafetensorsMetadata& metadata);

// Writes the image of encode_safetensors() to `path` through a temporary file + rename; `path`
// is replaced only when everything was written.
// @throws lmzip::Error naming the file (as encode_safetensors, or an I/O failure).
void write_safetensors(const std::filesystem::path& path, std::span<const TensorToWrite> tensors,
                       const SafetensorsMetadata& metadata);

}  // namespace lmzip::model
