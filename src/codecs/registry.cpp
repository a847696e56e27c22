// src/codecs/registry.cpp - the codec registry and the list of built-in codecs.
//
// Registration order is the order of names() and of `lmzip bench` tables. Lookups are by exact
// name. The registry itself is not synchronised: register everything (e.g. at start-up) before
// creating codecs from several threads.
#include "lmzip/codecs/registry.h"

#include <algorithm>
#include <utility>

#include "codecs/builtin.h"
#include "lmzip/error.h"

namespace lmzip::codecs {

namespace {

Registry make_builtin_registry() {
  Registry registry;
  registry.add("gzip", [] { return make_gzip_codec(); });
  registry.add("xz", [] { return make_xz_codec(); });
  registry.add("xz-9e", [] { return make_xz_extreme_codec(); });
  registry.add("png", [] { return make_png_codec(32); });
  registry.add("png-64", [] { return make_png_codec(64); });
  registry.add("flac", [] { return make_flac_codec(); });
  registry.add("zstd", [] { return make_zstd_codec(); });
  registry.add("bzip2", [] { return make_bzip2_codec(); });
  registry.add("brotli", [] { return make_brotli_codec(); });
  registry.add("jxl", [] { return make_jxl_codec(); });
  registry.add_family("lm", "MODEL: lmzip's compressor with a built-in model, a model file, or a token model (MODEL@TOKENIZER)",
                      [](std::string_view model) { return make_lm_codec(model); });
  registry.add_family("lm7", "MODEL: lm:MODEL fed as the paper fed its LLMs (7-bit bytes; the dropped bits coded too)",
                      [](std::string_view model) { return make_lm_paper_codec(model); });
  return registry;
}

}  // namespace

Registry& Registry::builtin() {
  static Registry registry = make_builtin_registry();
  return registry;
}

void Registry::add(std::string name, Factory factory, bool in_default_set) {
  if (name.empty()) throw Error("codec registry: empty codec name");
  if (!factory) throw Error("codec registry: codec '" + name + "' has no factory");
  if (contains(name)) throw Error("codec registry: codec '" + name + "' is already registered");
  entries_.push_back(Entry{std::move(name), std::move(factory), in_default_set});
}

void Registry::add_family(std::string prefix, std::string help, FamilyFactory factory) {
  if (prefix.empty() || prefix.find(':') != std::string::npos) throw Error("codec registry: bad family prefix '" + prefix + "'");
  if (!factory) throw Error("codec registry: family '" + prefix + "' has no factory");
  for (const Family& f : families_) {
    if (f.prefix == prefix) throw Error("codec registry: family '" + prefix + "' is already registered");
  }
  families_.push_back(Family{std::move(prefix), std::move(help), std::move(factory)});
}

std::vector<std::string> Registry::family_usages() const {
  std::vector<std::string> out;
  for (const Family& f : families_) out.push_back(f.prefix + ":" + f.help);
  return out;
}

std::unique_ptr<Codec> Registry::create(std::string_view name) const {
  if (auto colon = name.find(':'); colon != std::string_view::npos) {
    for (const Family& f : families_) {
      if (name.substr(0, colon) == f.prefix) {
        if (colon + 1 == name.size()) throw Error("codec '" + std::string(name) + "' names no " + f.help);
        std::unique_ptr<Codec> codec = f.factory(name.substr(colon + 1));
        if (!codec) throw Error("codec registry: family '" + f.prefix + "' returned no codec");
        return codec;
      }
    }
  }
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.name == name; });
  if (it == entries_.end()) {
    std::string known;
    for (const Entry& e : entries_) {
      if (!known.empty()) known += ", ";
      known += e.name;
    }
    for (const Family& f : families_) {
      if (!known.empty()) known += ", ";
      known += f.prefix + ":" + f.help;
    }
    throw Error("unknown codec '" + std::string(name) + "' (known codecs: " +
                (known.empty() ? std::string("none") : known) + ")");
  }
  std::unique_ptr<Codec> codec = it->factory();
  if (!codec) throw Error("codec registry: factory of '" + it->name + "' returned no codec");
  return codec;
}

bool Registry::contains(std::string_view name) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& e) { return e.name == name; });
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.name);
  return out;
}

std::vector<std::string> Registry::default_names() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) {
    if (e.in_default_set) out.push_back(e.name);
  }
  return out;
}

}  // namespace lmzip::codecs
