// The GGUF v3 writer: encode_gguf builds the image, write_gguf writes it atomically.
#include <bit>
#include <limits>
#include <string_view>
#include <unordered_set>

#include "lmzip/common/file_io.h"
#include "lmzip/error.h"
#include "parse.h"

namespace lmzip::gguf {

namespace {

class Out {
 public:
  void u8(std::uint8_t v) { bytes_.push_back(v); }
  void uint(std::uint64_t v, int size) {
    for (int i = 0; i < size; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u32(std::uint32_t v) { uint(v, 4); }
  void u64(std::uint64_t v) { uint(v, 8); }
  void string(std::string_view s) {
    u64(s.size());
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  void pad_to(std::uint64_t alignment) {
    while (bytes_.size() % alignment != 0) bytes_.push_back(0);
  }
  void append(ByteView b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  Bytes& bytes() { return bytes_; }

 private:
  Bytes bytes_;
};

[[noreturn]] void fail_key(const std::string& key, const std::string& what) {
  throw Error("GGUF metadata key " + key + ": " + what);
}

// The unsigned (or signed) range of an integer value type, by its size in bytes.
int int_size(ValueType t) {
  switch (t) {
    case ValueType::UINT8: case ValueType::INT8: return 1;
    case ValueType::UINT16: case ValueType::INT16: return 2;
    case ValueType::UINT32: case ValueType::INT32: return 4;
    default: return 8;
  }
}

void write_value(Out& out, const Value& v, const std::string& key, int depth) {
  const auto wrong = [&] { fail_key(key, "a " + value_type_name(v.type) + " value holds the wrong C++ type"); };
  if (is_unsigned_type(v.type)) {
    const auto* u = std::get_if<std::uint64_t>(&v.v);
    if (!u) wrong();
    const int size = int_size(v.type);
    if (size < 8 && *u >> (8 * size) != 0) fail_key(key, std::to_string(*u) + " does not fit " + value_type_name(v.type));
    out.uint(*u, size);
  } else if (is_signed_type(v.type)) {
    const auto* i = std::get_if<std::int64_t>(&v.v);
    if (!i) wrong();
    const int size = int_size(v.type);
    const std::int64_t lo = size < 8 ? -(std::int64_t{1} << (8 * size - 1)) : std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = size < 8 ? (std::int64_t{1} << (8 * size - 1)) - 1 : std::numeric_limits<std::int64_t>::max();
    if (*i < lo || *i > hi) fail_key(key, std::to_string(*i) + " does not fit " + value_type_name(v.type));
    out.uint(static_cast<std::uint64_t>(*i), size);
  } else if (is_float_type(v.type)) {
    const auto* d = std::get_if<double>(&v.v);
    if (!d) wrong();
    if (v.type == ValueType::FLOAT32) {
      out.u32(std::bit_cast<std::uint32_t>(static_cast<float>(*d)));
    } else {
      out.u64(std::bit_cast<std::uint64_t>(*d));
    }
  } else if (v.type == ValueType::BOOL) {
    const auto* b = std::get_if<bool>(&v.v);
    if (!b) wrong();
    out.u8(*b ? 1 : 0);
  } else if (v.type == ValueType::STRING) {
    const auto* s = std::get_if<std::string>(&v.v);
    if (!s) wrong();
    out.string(*s);
  } else if (v.type == ValueType::ARRAY) {
    const auto* a = std::get_if<std::vector<Value>>(&v.v);
    if (!a) wrong();
    if (depth >= detail::kMaxDepth) fail_key(key, "arrays are nested more than " + std::to_string(detail::kMaxDepth) + " deep");
    if (static_cast<std::uint32_t>(v.element_type) > static_cast<std::uint32_t>(ValueType::FLOAT64)) {
      fail_key(key, "array element type " + value_type_name(v.element_type) + " is not a GGUF value type");
    }
    out.u32(static_cast<std::uint32_t>(v.element_type));
    out.u64(a->size());
    for (const auto& e : *a) {
      if (e.type != v.element_type) {
        fail_key(key, "an array of " + value_type_name(v.element_type) + " holds a " + value_type_name(e.type));
      }
      write_value(out, e, key, depth + 1);
    }
  } else {
    fail_key(key, value_type_name(v.type) + " is not a GGUF value type");
  }
}

void check_tensor(const TensorToWrite& t) {
  const auto fail = [&](const std::string& what) { throw Error("GGUF tensor " + t.name + ": " + what); };
  if (t.name.empty()) throw Error("GGUF tensor with an empty name");
  if (t.name.size() > detail::kMaxTensorNameWrite) {
    fail("the name is " + std::to_string(t.name.size()) + " bytes, over ggml's limit of 63");
  }
  if (t.dims.size() > detail::kMaxDims) fail(std::to_string(t.dims.size()) + " dimensions, more than 4");
  const auto traits = tensor_type_traits(t.type);
  if (!traits) fail("unknown " + tensor_type_name(t.type));
  const auto bytes = tensor_byte_size(t.type, t.dims);
  if (!bytes) {
    fail("dims do not fit type " + std::string(traits->name) + " (dims[0] not a multiple of " +
         std::to_string(traits->block_size) + ", or too many elements)");
  }
  if (*bytes != t.data.size()) {
    fail("needs " + std::to_string(*bytes) + " bytes of data, has " + std::to_string(t.data.size()));
  }
}

}  // namespace

Bytes encode_gguf(const Metadata& metadata, const std::vector<TensorToWrite>& tensors, std::uint64_t alignment) {
  if (alignment < 8 || alignment > detail::kMaxAlignment || (alignment & (alignment - 1)) != 0) {
    throw Error("GGUF alignment " + std::to_string(alignment) + " is not a power of two in [8, 1048576]");
  }
  std::unordered_set<std::string> keys;
  bool has_alignment = false;
  for (const auto& [key, value] : metadata) {
    if (!detail::valid_key(key)) throw Error("GGUF metadata key \"" + key + "\" is empty, too long or not printable ASCII");
    if (!keys.insert(key).second) fail_key(key, "repeated");
    if (key == detail::kAlignmentKey) {
      has_alignment = true;
      if (value.type != ValueType::UINT32) fail_key(key, "must be a UINT32 (ggml reads it as one), is " + value_type_name(value.type));
      std::uint64_t a = 0;
      try {
        a = value.as_uint();
      } catch (const Error& e) {
        fail_key(key, e.what());
      }
      if (a != alignment) fail_key(key, std::to_string(a) + " differs from the alignment " + std::to_string(alignment));
    }
  }
  std::unordered_set<std::string> names;
  for (const auto& t : tensors) {
    check_tensor(t);
    if (!names.insert(t.name).second) throw Error("GGUF tensor " + t.name + ": the name is repeated");
  }
  const bool add_alignment = !has_alignment && alignment != detail::kDefaultAlignment;

  Out out;
  out.u32(detail::kMagic);
  out.u32(3);
  out.u64(tensors.size());
  out.u64(metadata.size() + (add_alignment ? 1 : 0));
  for (const auto& [key, value] : metadata) {
    out.string(key);
    out.u32(static_cast<std::uint32_t>(value.type));
    write_value(out, value, key, 0);
  }
  if (add_alignment) {
    out.string(detail::kAlignmentKey);
    out.u32(static_cast<std::uint32_t>(ValueType::UINT32));
    out.u32(static_cast<std::uint32_t>(alignment));
  }
  std::uint64_t offset = 0;
  for (const auto& t : tensors) {
    out.string(t.name);
    out.u32(static_cast<std::uint32_t>(t.dims.size()));
    for (const auto d : t.dims) out.u64(d);
    out.u32(static_cast<std::uint32_t>(t.type));
    out.u64(offset);
    offset += (t.data.size() + alignment - 1) / alignment * alignment;
  }
  out.pad_to(alignment);
  for (const auto& t : tensors) {
    out.append(t.data);
    out.pad_to(alignment);
  }
  return std::move(out.bytes());
}

void write_gguf(const std::filesystem::path& path, const Metadata& metadata, const std::vector<TensorToWrite>& tensors,
                std::uint64_t alignment) {
  Bytes image;
  try {
    image = encode_gguf(metadata, tensors, alignment);
  } catch (const Error& e) {
    throw Error(path.string() + ": " + e.what());
  }
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(image.data()), image.size()));
}

}  // namespace lmzip::gguf
