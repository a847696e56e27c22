// GgufFile: owns the mapping (or the in-memory image) and the parsed, checked contents.
#include <unordered_map>

#include "lmzip/error.h"
#include "lmzip/gguf/gguf.h"
#include "model/transformer/mapped_file.h"
#include "parse.h"

namespace lmzip::gguf {

namespace detail {

struct Storage {
  std::unique_ptr<model::MappedFile> map;  // a file, or
  Bytes image;                             // an image in memory
  std::unordered_map<std::string, std::size_t> key_index, tensor_index;
  ByteView view() const { return map ? map->bytes() : ByteView(image); }
};

}  // namespace detail

std::uint64_t TensorInfo::element_count() const {
  std::uint64_t n = 1;
  for (const auto d : dims) n *= d;  // the reader checked this does not overflow
  return n;
}

GgufFile::GgufFile(std::filesystem::path path, std::unique_ptr<detail::Storage> storage)
    : path_(std::move(path)), storage_(std::move(storage)) {
  auto parsed = detail::parse_gguf(storage_->view(), path_.string());
  version_ = parsed.version;
  alignment_ = parsed.alignment;
  data_start_ = parsed.data_start;
  metadata_ = std::move(parsed.metadata);
  tensors_ = std::move(parsed.tensors);
  for (std::size_t i = 0; i < metadata_.size(); ++i) storage_->key_index.emplace(metadata_[i].first, i);
  for (std::size_t i = 0; i < tensors_.size(); ++i) storage_->tensor_index.emplace(tensors_[i].name, i);
}

namespace {

std::unique_ptr<detail::Storage> map_file(const std::filesystem::path& path) {
  auto s = std::make_unique<detail::Storage>();
  s->map = std::make_unique<model::MappedFile>(path);
  return s;
}

}  // namespace

GgufFile::GgufFile(const std::filesystem::path& path) : GgufFile(path, map_file(path)) {}

GgufFile GgufFile::from_bytes(Bytes image, std::string label) {
  auto s = std::make_unique<detail::Storage>();
  s->image = std::move(image);
  return GgufFile(std::filesystem::path(std::move(label)), std::move(s));
}

GgufFile::~GgufFile() = default;
GgufFile::GgufFile(GgufFile&&) noexcept = default;
GgufFile& GgufFile::operator=(GgufFile&&) noexcept = default;

ByteView GgufFile::bytes() const { return storage_ ? storage_->view() : ByteView{}; }

const Value* GgufFile::find(std::string_view key) const {
  if (!storage_) return nullptr;
  const auto it = storage_->key_index.find(std::string(key));
  return it == storage_->key_index.end() ? nullptr : &metadata_[it->second].second;
}

const TensorInfo* GgufFile::find_tensor(std::string_view name) const {
  if (!storage_) return nullptr;
  const auto it = storage_->tensor_index.find(std::string(name));
  return it == storage_->tensor_index.end() ? nullptr : &tensors_[it->second];
}

const Value& GgufFile::require(std::string_view key) const {
  const Value* v = find(key);
  if (!v) throw Error(path_.string() + ": metadata key " + std::string(key) + " is missing");
  return *v;
}

namespace {

template <typename F>
auto keyed(const GgufFile& f, std::string_view key, F&& get) -> decltype(get(f.require(key))) {
  const Value& v = f.require(key);
  try {
    return get(v);
  } catch (const Error& e) {
    throw Error(f.path().string() + ": metadata key " + std::string(key) + ": " + e.what());
  }
}

}  // namespace

std::uint64_t GgufFile::get_uint(std::string_view key) const {
  return keyed(*this, key, [](const Value& v) { return v.as_uint(); });
}
std::int64_t GgufFile::get_int(std::string_view key) const {
  return keyed(*this, key, [](const Value& v) { return v.as_int(); });
}
double GgufFile::get_float(std::string_view key) const {
  return keyed(*this, key, [](const Value& v) { return v.as_float(); });
}
bool GgufFile::get_bool(std::string_view key) const {
  return keyed(*this, key, [](const Value& v) { return v.as_bool(); });
}
const std::string& GgufFile::get_string(std::string_view key) const {
  return keyed(*this, key, [](const Value& v) -> const std::string& { return v.as_string(); });
}

}  // namespace lmzip::gguf
