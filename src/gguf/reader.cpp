// The GGUF parser: header, metadata, tensor infos, data section, each checked before use.
// See lmzip/gguf/gguf.h for the list of checks.
#include <algorithm>
#include <bit>
#include <limits>
#include <unordered_set>

#include "cursor.h"
#include "parse.h"

namespace lmzip::gguf::detail {

namespace {

constexpr std::uint64_t kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// The least number of bytes a value of type t takes (to bound array counts before allocating).
std::uint64_t min_value_size(ValueType t) {
  switch (t) {
    case ValueType::UINT8: case ValueType::INT8: case ValueType::BOOL: return 1;
    case ValueType::UINT16: case ValueType::INT16: return 2;
    case ValueType::UINT32: case ValueType::INT32: case ValueType::FLOAT32: return 4;
    case ValueType::STRING: return 8;                              // length
    case ValueType::ARRAY: return 12;                              // element type + count
    default: return 8;                                             // 64-bit scalars
  }
}

bool known_value_type(std::uint32_t n) { return n <= static_cast<std::uint32_t>(ValueType::FLOAT64); }

std::string dims_text(const std::vector<std::uint64_t>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

std::string range_text(std::uint64_t begin, std::uint64_t end) {
  std::string s = "[";  // (built by appending: g++ 12 warns falsely on "[" + std::string&&)
  s += std::to_string(begin);
  s += ", ";
  s += std::to_string(end);
  return s + ")";
}

class MetadataReader {
 public:
  explicit MetadataReader(Cursor& c) : c_(c) {}

  Value read(ValueType t, int depth) {
    if (++values_ > kMaxValues) c_.fail("the metadata holds more than " + std::to_string(kMaxValues) + " values");
    switch (t) {
      case ValueType::UINT8: return Value::u8(c_.u8("a UINT8 value"));
      case ValueType::INT8: return Value::i8(static_cast<std::int8_t>(c_.uint(1, "an INT8 value")));
      case ValueType::UINT16: return Value::u16(static_cast<std::uint16_t>(c_.uint(2, "a UINT16 value")));
      case ValueType::INT16: return Value::i16(static_cast<std::int16_t>(c_.uint(2, "an INT16 value")));
      case ValueType::UINT32: return Value::u32(c_.u32("a UINT32 value"));
      case ValueType::INT32: return Value::i32(static_cast<std::int32_t>(c_.u32("an INT32 value")));
      case ValueType::UINT64: return Value::u64(c_.u64("a UINT64 value"));
      case ValueType::INT64: return Value::i64(static_cast<std::int64_t>(c_.u64("an INT64 value")));
      case ValueType::FLOAT32: return Value::f32(std::bit_cast<float>(c_.u32("a FLOAT32 value")));
      case ValueType::FLOAT64: return Value::f64(std::bit_cast<double>(c_.u64("a FLOAT64 value")));
      case ValueType::BOOL: {
        const std::uint8_t b = c_.u8("a BOOL value");
        if (b > 1) c_.fail("BOOL value is " + std::to_string(b) + " (must be 0 or 1) at offset " + std::to_string(c_.pos() - 1));
        return Value::boolean(b == 1);
      }
      case ValueType::STRING: return Value::string(c_.string("a string", std::numeric_limits<std::uint64_t>::max()));
      case ValueType::ARRAY: return read_array(depth);
    }
    c_.fail("unknown value type " + std::to_string(static_cast<std::uint32_t>(t)));
  }

 private:
  Value read_array(int depth) {
    if (depth >= kMaxDepth) c_.fail("arrays are nested more than " + std::to_string(kMaxDepth) + " deep");
    const std::uint32_t et = c_.u32("an array element type");
    if (!known_value_type(et)) c_.fail("array element type " + std::to_string(et) + " is not a GGUF value type (0..12)");
    const auto elem = static_cast<ValueType>(et);
    const std::uint64_t n = c_.u64("an array length");
    if (n > c_.remaining() / min_value_size(elem)) {
      c_.fail("array of " + std::to_string(n) + " " + value_type_name(elem) + " runs past the end of the file (" +
              std::to_string(c_.remaining()) + " bytes left at offset " + std::to_string(c_.pos()) + ")");
    }
    if (n > kMaxValues - values_) c_.fail("the metadata holds more than " + std::to_string(kMaxValues) + " values");
    std::vector<Value> elements;
    elements.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) elements.push_back(read(elem, depth + 1));
    Value out;
    out.type = ValueType::ARRAY;
    out.element_type = elem;
    out.v = std::move(elements);
    return out;
  }

  Cursor& c_;
  std::uint64_t values_ = 0;
};

std::uint32_t read_version(Cursor& c) {
  const std::uint32_t magic = c.u32("the magic");
  if (magic != kMagic) {
    std::string got;
    for (int i = 0; i < 4; ++i) {
      const char ch = static_cast<char>((magic >> (8 * i)) & 0xFF);
      got += (ch >= 0x20 && ch < 0x7F) ? ch : '?';
    }
    c.fail("not a GGUF file (the magic is \"" + got + "\", expected \"GGUF\")");
  }
  const std::uint32_t version = c.u32("the version");
  if (version == 1) c.fail("GGUF version 1 is not supported (versions 2 and 3 are)");
  if (version != 2 && version != 3) {
    if (version != 0 && (version & 0xFFFFu) == 0) {
      c.fail("GGUF version " + std::to_string(version) + " looks byte-swapped; big-endian files are not supported");
    }
    c.fail("GGUF version " + std::to_string(version) + " is not supported (versions 2 and 3 are)");
  }
  return version;
}

std::uint64_t read_alignment(const Metadata& metadata, Cursor& c) {
  for (const auto& [key, value] : metadata) {
    if (key != kAlignmentKey) continue;
    c.set_context(std::string("metadata key ") + kAlignmentKey);
    std::uint64_t a = 0;
    try {
      a = value.as_uint();
    } catch (const Error& e) {
      c.fail(e.what());
    }
    if (a == 0 || (a & (a - 1)) != 0 || a > kMaxAlignment) {
      c.fail("alignment " + std::to_string(a) + " is not a power of two up to " + std::to_string(kMaxAlignment));
    }
    return a;
  }
  return kDefaultAlignment;
}

TensorInfo read_tensor_info(Cursor& c, std::uint64_t index, std::uint64_t alignment,
                            std::unordered_set<std::string>& names) {
  c.set_context("tensor " + std::to_string(index));
  TensorInfo t;
  t.name = c.string("the tensor name", kMaxTensorNameRead);
  if (t.name.empty()) c.fail("the tensor name is empty");
  c.set_context("tensor " + t.name);
  if (!names.insert(t.name).second) c.fail("the tensor name is repeated (tensor " + std::to_string(index) + ")");
  const std::uint32_t n_dims = c.u32("the number of dimensions");
  if (n_dims > kMaxDims) c.fail(std::to_string(n_dims) + " dimensions, more than " + std::to_string(kMaxDims));
  std::uint64_t count = 1;
  for (std::uint32_t i = 0; i < n_dims; ++i) {
    t.dims.push_back(c.u64("a dimension"));
    if (t.dims.back() > kInt64Max || __builtin_mul_overflow(count, t.dims.back(), &count) || count > kInt64Max) {
      c.fail("dims " + dims_text(t.dims) + (i + 1 < n_dims ? "..." : "") + " hold more than INT64_MAX elements");
    }
  }
  t.type = static_cast<TensorType>(c.u32("the tensor type"));
  t.offset = c.u64("the data offset");
  if (t.offset % alignment != 0) {
    c.fail("data offset " + std::to_string(t.offset) + " is not a multiple of the alignment " + std::to_string(alignment));
  }
  return t;
}

// Sets each tensor's view and checks the ranges: inside the data section, no overlaps.
void place_tensors(std::vector<TensorInfo>& tensors, ByteView file, std::uint64_t data_start, Cursor& c) {
  const std::uint64_t data_size = file.size() - data_start;
  struct Range {
    std::uint64_t begin, end;
    std::size_t index;
  };
  std::vector<Range> ranges;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    TensorInfo& t = tensors[i];
    c.set_context("tensor " + t.name);
    if (t.offset > data_size) {
      c.fail("data offset " + std::to_string(t.offset) + " is past the end of the data section (" +
             std::to_string(data_size) + " bytes)");
    }
    const auto traits = tensor_type_traits(t.type);
    if (!traits) continue;  // unknown type: size unknown, to_float32 rejects it
    const std::uint64_t row = t.dims.empty() ? 1 : t.dims[0];
    if (row % traits->block_size != 0) {
      c.fail("type " + std::string(traits->name) + " stores blocks of " + std::to_string(traits->block_size) +
             " elements, but dims[0] is " + std::to_string(row) + " (dims " + dims_text(t.dims) + ")");
    }
    const auto bytes = tensor_byte_size(t.type, t.dims);
    std::uint64_t end = 0;
    if (!bytes || __builtin_add_overflow(t.offset, *bytes, &end)) c.fail("dims " + dims_text(t.dims) + " are too large");
    if (end > data_size) {
      c.fail("data " + range_text(t.offset, end) + " (dims " + dims_text(t.dims) + ", " + traits->name +
             ") runs past the end of the data section (" + std::to_string(data_size) + " bytes)");
    }
    t.data = file.subspan(static_cast<std::size_t>(data_start + t.offset), static_cast<std::size_t>(*bytes));
    if (*bytes > 0) ranges.push_back({t.offset, end, i});
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
  for (std::size_t k = 1; k < ranges.size(); ++k) {
    if (ranges[k].begin < ranges[k - 1].end) {
      c.set_context("tensor " + tensors[ranges[k].index].name);
      c.fail("data " + range_text(ranges[k].begin, ranges[k].end) + " overlaps tensor " +
             tensors[ranges[k - 1].index].name + " " + range_text(ranges[k - 1].begin, ranges[k - 1].end));
    }
  }
}

}  // namespace

bool valid_key(const std::string& key) {
  if (key.empty() || key.size() > kMaxKeyLength) return false;
  return std::all_of(key.begin(), key.end(), [](char ch) { return ch >= 0x20 && ch < 0x7F; });
}

Parsed parse_gguf(ByteView file, const std::string& label) {
  Cursor c(file, label);
  Parsed out;
  out.version = read_version(c);
  const std::uint64_t tensor_count = c.u64("the tensor count");
  const std::uint64_t kv_count = c.u64("the metadata count");
  // Lower bounds on the bytes each entry takes: a key/value 8+1+4+1, a tensor info 8+1+4+4+8.
  if (kv_count > c.remaining() / 14) {
    c.fail("metadata count " + std::to_string(kv_count) + " cannot fit in the " + std::to_string(c.remaining()) + " bytes left");
  }
  if (tensor_count > c.remaining() / 25) {
    c.fail("tensor count " + std::to_string(tensor_count) + " cannot fit in the " + std::to_string(c.remaining()) + " bytes left");
  }

  MetadataReader values(c);
  std::unordered_set<std::string> keys;
  for (std::uint64_t i = 0; i < kv_count; ++i) {
    c.set_context("metadata entry " + std::to_string(i));
    std::string key = c.string("the key", kMaxKeyLength);
    if (!valid_key(key)) c.fail("the key is empty or not printable ASCII");
    c.set_context("metadata key " + key);
    if (!keys.insert(key).second) c.fail("the key is repeated (entry " + std::to_string(i) + ")");
    const std::uint32_t type = c.u32("the value type");
    if (!known_value_type(type)) c.fail("value type " + std::to_string(type) + " is not a GGUF value type (0..12)");
    Value value = values.read(static_cast<ValueType>(type), 0);
    out.metadata.emplace_back(std::move(key), std::move(value));
  }
  out.alignment = read_alignment(out.metadata, c);

  std::unordered_set<std::string> names;
  for (std::uint64_t i = 0; i < tensor_count; ++i) out.tensors.push_back(read_tensor_info(c, i, out.alignment, names));

  c.set_context("");
  const std::uint64_t pad = (out.alignment - c.pos() % out.alignment) % out.alignment;
  out.data_start = c.pos() + pad;  // no overflow: pos <= file size, pad < 2^20
  if (out.data_start > file.size()) {
    if (!out.tensors.empty()) {
      c.fail("the padding before the data section (to offset " + std::to_string(out.data_start) +
             ") runs past the end of the file (" + std::to_string(file.size()) + " bytes)");
    }
    out.data_start = file.size();  // no tensors: the data section may be left out
  }
  place_tensors(out.tensors, file, out.data_start, c);
  return out;
}

}  // namespace lmzip::gguf::detail
