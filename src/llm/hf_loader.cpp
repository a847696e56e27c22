// Hugging Face checkpoints: config.json + model.safetensors, or model.safetensors.index.json +
// shards. Tensors F32, F16 or BF16, converted to float32 (exactly) into the LlamaModel layout;
// Hugging Face rows are already in rotate_half RoPE order.
#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "hf_config.h"
#include "lmzip/bytes.h"
#include "lmzip/common/file_io.h"
#include "lmzip/error.h"
#include "lmzip/gguf/float16.h"
#include "lmzip/llm/llama.h"
#include "lmzip/model/safetensors.h"
#include "lmzip/model/sha256.h"
#include "tensors.h"

namespace lmzip::llm {
namespace {

namespace fs = std::filesystem;
using model::DType;
using model::SafetensorsFile;
using model::SafetensorsTensor;

nlohmann::json read_json(const fs::path& path) {
  const Bytes bytes = read_whole_file(path);
  try {
    return nlohmann::json::parse(bytes.begin(), bytes.end());
  } catch (const nlohmann::json::exception& e) {
    throw Error(path.string() + ": not valid JSON (" + e.what() + ")");
  }
}

void convert(const SafetensorsTensor& t, float* out, const std::string& label) {
  const std::uint64_t n = t.element_count();
  const std::uint8_t* p = t.data.data();
  switch (t.dtype) {
    case DType::F32:
      for (std::uint64_t i = 0; i < n; ++i) {
        std::uint32_t u = std::uint32_t(p[4 * i]) | std::uint32_t(p[4 * i + 1]) << 8 |
                          std::uint32_t(p[4 * i + 2]) << 16 | std::uint32_t(p[4 * i + 3]) << 24;
        __builtin_memcpy(out + i, &u, 4);
      }
      return;
    case DType::F16:
      for (std::uint64_t i = 0; i < n; ++i) out[i] = gguf::half_to_float(std::uint16_t(p[2 * i] | p[2 * i + 1] << 8));
      return;
    case DType::BF16:
      for (std::uint64_t i = 0; i < n; ++i) out[i] = gguf::bf16_to_float(std::uint16_t(p[2 * i] | p[2 * i + 1] << 8));
      return;
    default:
      throw Error(label + ": tensor " + t.name + ": dtype " + std::string(model::dtype_name(t.dtype)) +
                  " is not supported (F32, F16, BF16 are)");
  }
}

// Tensors that may be present and are not weights of the model.
bool ignorable(const std::string& name) {
  return name.size() >= 19 && name.compare(name.size() - 19, 19, "rotary_emb.inv_freq") == 0;
}

}  // namespace

LlamaModel load_llama_hf(const fs::path& path) {
  std::error_code ec;
  const bool is_dir = fs::is_directory(path, ec);
  const fs::path dir = is_dir ? path : (path.has_parent_path() ? path.parent_path() : fs::path("."));
  const fs::path config_path = dir / "config.json";
  if (!fs::exists(config_path, ec)) {
    throw Error(config_path.string() + ": not found (a Hugging Face model folder needs config.json)");
  }
  LlamaModel m;
  m.config = detail::parse_hf_config(read_json(config_path), config_path.string());
  m.source = "hf-safetensors";

  // Which files hold the weights.
  std::vector<SafetensorsFile> files;
  std::map<std::string, std::size_t> mapped;  // tensor name -> index in files (sharded)
  const fs::path index_path = dir / "model.safetensors.index.json";
  const bool explicit_file = !is_dir && path.extension() == ".safetensors";
  if (!explicit_file && fs::exists(index_path, ec)) {
    const nlohmann::json index = read_json(index_path);
    const auto wm = index.find("weight_map");
    if (!index.is_object() || wm == index.end() || !wm->is_object()) {
      throw Error(index_path.string() + ": no \"weight_map\" object");
    }
    std::map<std::string, std::size_t> shard_ids;
    for (auto it = wm->begin(); it != wm->end(); ++it) {
      if (!it.value().is_string()) throw Error(index_path.string() + ": weight_map." + it.key() + " is not a file name");
      const std::string shard = it.value().get<std::string>();
      if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos || shard == "..") {
        throw Error(index_path.string() + ": shard name \"" + shard + "\" must be a plain file name");
      }
      shard_ids.emplace(shard, 0);
    }
    std::string manifest = "lmzip-hf-shards-v1\n" + model::sha256_hex(read_whole_file(index_path)) +
                           "  model.safetensors.index.json\n";
    for (auto& [shard, id] : shard_ids) {  // sorted by name
      id = files.size();
      files.emplace_back(dir / shard);
      manifest += model::sha256_hex(files.back().bytes()) + "  " + shard + "\n";
    }
    for (auto it = wm->begin(); it != wm->end(); ++it) mapped[it.key()] = shard_ids.at(it.value().get<std::string>());
    m.sha256 = model::sha256_hex(ByteView(reinterpret_cast<const std::uint8_t*>(manifest.data()), manifest.size()));
  } else {
    const fs::path file = explicit_file ? path : dir / "model.safetensors";
    if (!fs::exists(file, ec)) {
      throw Error(file.string() + ": not found (expected model.safetensors or model.safetensors.index.json in " +
                  dir.string() + ")");
    }
    files.emplace_back(file);
    m.sha256 = model::sha256_hex(files.back().bytes());
  }

  // Find every tensor; each must be in its mapped shard.
  auto lookup = [&](const std::string& name) -> std::pair<const SafetensorsTensor*, const SafetensorsFile*> {
    if (!mapped.empty()) {
      auto it = mapped.find(name);
      if (it == mapped.end()) return {nullptr, nullptr};
      const SafetensorsFile& f = files[it->second];
      const SafetensorsTensor* t = f.find(name);
      if (!t) throw Error(f.path().string() + ": tensor " + name + " is missing (the index maps it to this shard)");
      return {t, &f};
    }
    return {files[0].find(name), &files[0]};
  };

  allocate_llama(m, config_path.string());
  std::set<std::string> used;
  for (const detail::TensorSlot& s : detail::tensor_slots(m)) {
    auto [t, f] = lookup(s.hf_name);
    const std::string where = mapped.empty() ? files[0].path().string() : index_path.string();
    if (!t) {
      throw Error(where + ": tensor " + s.hf_name + " is missing" +
                  (s.hf_name == "lm_head.weight" ? " (config.json says tie_word_embeddings is false)" : ""));
    }
    const std::string label = f->path().string();
    if (t->shape != s.shape) {
      throw Error(label + ": tensor " + s.hf_name + ": shape " + detail::shape_string(t->shape) + ", expected " +
                  detail::shape_string(s.shape) + " from " + config_path.filename().string());
    }
    convert(*t, s.data, label);
    detail::check_finite(s, label, s.hf_name);
    used.insert(s.hf_name);
  }
  // Anything else would be a part of the model this forward does not compute.
  for (const SafetensorsFile& f : files) {
    for (const SafetensorsTensor& t : f.tensors()) {
      if (used.count(t.name) || ignorable(t.name)) continue;
      if (t.name == "lm_head.weight" && m.config.tied_embeddings) continue;
      throw Error(f.path().string() + ": tensor " + t.name + " is not part of a " + m.config.arch +
                  " model (unsupported architecture variant?)");
    }
  }
  return m;
}

}  // namespace lmzip::llm
