// Writing safetensors: a plan (the header text and the order of the tensors) shared by the
// in-memory encoder and the streamed file writer, so both give the same bytes.
#include <algorithm>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "lmzip/common/file_io.h"
#include "lmzip/error.h"
#include "lmzip/model/safetensors.h"

namespace lmzip::model {

namespace {

struct Plan {
  std::string prefix;                      // 8-byte length + padded header
  std::vector<const TensorToWrite*> order; // data section order
  std::uint64_t data_size = 0;
};

// @throws lmzip::Error "<label>: ..." for an invalid tensor list.
Plan make_plan(std::span<const TensorToWrite> tensors, const SafetensorsMetadata& metadata, const std::string& label) {
  Plan plan;
  std::set<std::string_view> names;
  for (const auto& t : tensors) {
    if (t.name.empty() || t.name == "__metadata__") throw Error(label + ": invalid tensor name \"" + t.name + "\"");
    if (!names.insert(t.name).second) throw Error(label + ": tensor " + t.name + " is given twice");
    std::uint64_t bytes = dtype_size(t.dtype);
    for (auto d : t.shape) {
      if (__builtin_mul_overflow(bytes, d, &bytes)) throw Error(label + ": tensor " + t.name + ": shape too large");
    }
    if (bytes != t.data.size()) {
      throw Error(label + ": tensor " + t.name + ": shape needs " + std::to_string(bytes) + " bytes, " +
                  std::to_string(t.data.size()) + " given");
    }
    plan.order.push_back(&t);
  }
  // As the reference library: larger elements first (keeps every tensor aligned to its element
  // size when the data section starts at a multiple of 8), then by name.
  std::sort(plan.order.begin(), plan.order.end(), [](const TensorToWrite* a, const TensorToWrite* b) {
    const auto sa = dtype_size(a->dtype), sb = dtype_size(b->dtype);
    if (sa != sb) return sa > sb;
    return a->name < b->name;
  });

  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) {
    nlohmann::ordered_json m = nlohmann::ordered_json::object();
    for (const auto& [k, v] : metadata) m[k] = v;
    header["__metadata__"] = std::move(m);
  }
  for (const auto* t : plan.order) {
    nlohmann::ordered_json e;
    e["dtype"] = std::string(dtype_name(t->dtype));
    e["shape"] = t->shape;
    e["data_offsets"] = {plan.data_size, plan.data_size + t->data.size()};
    header[t->name] = std::move(e);
    plan.data_size += t->data.size();
  }
  std::string text;
  try {
    text = header.dump();  // compact; throws on invalid UTF-8 in a name or a metadata string
  } catch (const nlohmann::json::exception& e) {
    throw Error(label + ": cannot write the safetensors header: " + e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  const std::uint64_t n = text.size();
  plan.prefix.resize(8);
  for (int i = 0; i < 8; ++i) plan.prefix[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  plan.prefix += text;
  return plan;
}

ByteView as_bytes(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

}  // namespace

Bytes encode_safetensors(std::span<const TensorToWrite> tensors, const SafetensorsMetadata& metadata) {
  const Plan plan = make_plan(tensors, metadata, "safetensors");
  Bytes out;
  out.reserve(plan.prefix.size() + plan.data_size);
  const ByteView p = as_bytes(plan.prefix);
  out.insert(out.end(), p.begin(), p.end());
  for (const auto* t : plan.order) out.insert(out.end(), t->data.begin(), t->data.end());
  return out;
}

void write_safetensors(const std::filesystem::path& path, std::span<const TensorToWrite> tensors,
                       const SafetensorsMetadata& metadata) {
  const Plan plan = make_plan(tensors, metadata, path.string());
  AtomicFile f(path);
  f.write(as_bytes(plan.prefix));
  for (const auto* t : plan.order) f.write(t->data);
  f.commit();
}

}  // namespace lmzip::model
