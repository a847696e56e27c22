// Reading safetensors: parse_safetensors() checks a whole image; SafetensorsFile maps a file and
// parses it. See lmzip/model/safetensors.h for the checks.
#include <algorithm>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "lmzip/error.h"
#include "lmzip/model/safetensors.h"
#include "mapped_file.h"

namespace lmzip::model {

namespace {

// The reference library refuses headers over 100 MB; so do we (a model header is a few KB).
constexpr std::uint64_t kMaxHeader = 100'000'000;

using json = nlohmann::json;

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

// Throws "<label>: <what>" or "<label>: tensor <name>: <what>".
struct Fail {
  const std::string& label;
  [[noreturn]] void operator()(const std::string& what) const { throw Error(label + ": " + what); }
  [[noreturn]] void operator()(const std::string& tensor, const std::string& what) const {
    throw Error(label + ": tensor " + tensor + ": " + what);
  }
};

// Parses the header JSON; rejects duplicate keys at any depth (nlohmann would keep the last).
json parse_header(std::string_view text, const Fail& fail) {
  if (text.empty() || text.front() != '{') fail("safetensors header does not begin with '{'");
  std::vector<std::set<std::string>> keys;  // one set per open object
  std::string duplicate;
  json::parser_callback_t cb = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      keys.pop_back();
    } else if (event == json::parse_event_t::key && !keys.empty()) {
      if (!keys.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
        duplicate = parsed.get<std::string>();
      }
    }
    return true;
  };
  json j;
  try {
    j = json::parse(text.begin(), text.end(), cb);
  } catch (const json::exception& e) {
    fail(std::string("safetensors header is not valid JSON: ") + e.what());
  }
  if (!duplicate.empty()) fail("safetensors header repeats the key \"" + duplicate + "\"");
  if (!j.is_object()) fail("safetensors header is not a JSON object");
  return j;
}

SafetensorsMetadata read_metadata(const json& m, const Fail& fail) {
  if (!m.is_object()) fail("__metadata__ is not a JSON object");
  SafetensorsMetadata out;
  for (const auto& [key, value] : m.items()) {
    if (!value.is_string()) fail("__metadata__ value of \"" + key + "\" is not a string");
    out.emplace(key, value.get<std::string>());
  }
  return out;
}

std::uint64_t unsigned_field(const json& v, const std::string& name, const char* what, const Fail& fail) {
  if (!v.is_number_unsigned()) fail(name, std::string(what) + " is not a non-negative integer: " + v.dump());
  return v.get<std::uint64_t>();
}

// One tensor entry; checks its fields, dtype, shape x size == range length, range within data.
SafetensorsTensor read_tensor(const std::string& name, const json& e, ByteView file, std::uint64_t data_start,
                              const Fail& fail) {
  if (name.empty()) fail("a tensor has an empty name");
  if (!e.is_object()) fail(name, "entry is not a JSON object");
  for (const auto& [key, value] : e.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") fail(name, "unexpected field \"" + key + "\"");
  }
  if (!e.contains("dtype") || !e.contains("shape") || !e.contains("data_offsets")) {
    fail(name, "entry needs the fields dtype, shape and data_offsets");
  }
  SafetensorsTensor t;
  t.name = name;
  const json& dt = e.at("dtype");
  if (!dt.is_string()) fail(name, "dtype is not a string");
  const auto dtype = dtype_from_name(dt.get<std::string>());
  if (!dtype) fail(name, "unknown dtype \"" + dt.get<std::string>() + "\"");
  t.dtype = *dtype;

  const json& shape = e.at("shape");
  if (!shape.is_array()) fail(name, "shape is not an array");
  std::uint64_t bytes = dtype_size(t.dtype);
  bool overflow = false;
  for (const auto& d : shape) {
    t.shape.push_back(unsigned_field(d, name, "a shape dimension", fail));
    overflow = overflow || __builtin_mul_overflow(bytes, t.shape.back(), &bytes);
  }
  if (overflow) fail(name, "shape " + shape_text(t.shape) + " is too large");

  const json& off = e.at("data_offsets");
  if (!off.is_array() || off.size() != 2) fail(name, "data_offsets is not a pair [begin, end]");
  const std::uint64_t begin = unsigned_field(off[0], name, "data_offsets[0]", fail);
  const std::uint64_t end = unsigned_field(off[1], name, "data_offsets[1]", fail);
  if (end < begin) fail(name, "data_offsets [" + std::to_string(begin) + "," + std::to_string(end) + "] end before begin");
  if (end - begin != bytes) {
    fail(name, "shape " + shape_text(t.shape) + " (" + std::string(dtype_name(t.dtype)) + ") needs " +
                   std::to_string(bytes) + " bytes, range has " + std::to_string(end - begin));
  }
  const std::uint64_t data_size = file.size() - data_start;
  if (end > data_size) {
    fail(name, "data_offsets [" + std::to_string(begin) + "," + std::to_string(end) + "] run past the data section (" +
                   std::to_string(data_size) + " bytes)");
  }
  t.file_offset = data_start + begin;
  t.data = file.subspan(static_cast<std::size_t>(t.file_offset), static_cast<std::size_t>(bytes));
  return t;
}

// The ranges must tile [0, data size) exactly: sorted by offset, each begins where the last ended.
void check_tiling(const std::vector<SafetensorsTensor>& tensors, std::uint64_t data_start, std::uint64_t file_size,
                  const Fail& fail) {
  std::vector<const SafetensorsTensor*> order;
  for (const auto& t : tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const SafetensorsTensor* a, const SafetensorsTensor* b) {
    if (a->file_offset != b->file_offset) return a->file_offset < b->file_offset;
    return a->data.size() < b->data.size();
  });
  std::uint64_t at = data_start;
  const SafetensorsTensor* prev = nullptr;
  for (const auto* t : order) {
    if (t->file_offset < at) {
      fail(t->name, "data overlaps tensor " + prev->name + " (bytes " + std::to_string(t->file_offset - data_start) +
                        " to " + std::to_string(at - data_start) + " of the data section)");
    }
    if (t->file_offset > at) {
      fail(t->name, "data begins at " + std::to_string(t->file_offset - data_start) +
                        " of the data section, leaving a hole after " + std::to_string(at - data_start));
    }
    at = t->file_offset + t->data.size();
    prev = t;
  }
  if (at != file_size) {
    fail("the tensors cover " + std::to_string(at - data_start) + " bytes of the data section, which has " +
         std::to_string(file_size - data_start) + " (trailing bytes)");
  }
}

}  // namespace

std::uint64_t SafetensorsTensor::element_count() const {
  std::uint64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

const SafetensorsTensor* SafetensorsContents::find(std::string_view name) const {
  auto it = std::lower_bound(tensors.begin(), tensors.end(), name,
                             [](const SafetensorsTensor& t, std::string_view n) { return t.name < n; });
  return it != tensors.end() && it->name == name ? &*it : nullptr;
}

SafetensorsContents parse_safetensors(ByteView file, const std::string& label) {
  const Fail fail{label};
  if (file.size() < 8) {
    fail("file is " + std::to_string(file.size()) + " bytes, too short for a safetensors header");
  }
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | file[static_cast<std::size_t>(i)];
  if (n > kMaxHeader) fail("safetensors header length " + std::to_string(n) + " is over the limit of 100000000 bytes");
  if (n > file.size() - 8) {
    fail("safetensors header length " + std::to_string(n) + " runs past the end of the file (" +
         std::to_string(file.size()) + " bytes)");
  }
  const std::string_view text(reinterpret_cast<const char*>(file.data()) + 8, static_cast<std::size_t>(n));
  const json header = parse_header(text, fail);

  SafetensorsContents out;
  out.data_start = 8 + n;
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      out.metadata = read_metadata(value, fail);
    } else {
      out.tensors.push_back(read_tensor(key, value, file, out.data_start, fail));
    }
  }
  std::sort(out.tensors.begin(), out.tensors.end(),
            [](const SafetensorsTensor& a, const SafetensorsTensor& b) { return a.name < b.name; });
  check_tiling(out.tensors, out.data_start, file.size(), fail);
  return out;
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : path_(path),
      map_(std::make_unique<MappedFile>(path)),
      image_(map_->bytes()),
      contents_(parse_safetensors(image_, path.string())) {}

SafetensorsFile::SafetensorsFile(ByteView image, const std::string& label)
    : path_(label), image_(image), contents_(parse_safetensors(image_, label)) {}

SafetensorsFile::~SafetensorsFile() = default;
SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;

ByteView SafetensorsFile::bytes() const { return image_; }

}  // namespace lmzip::model
