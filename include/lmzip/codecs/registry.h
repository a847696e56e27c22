// lmzip/codecs/registry.h - the one registry of compressors that the CLI, bench and tests use.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lmzip/codecs/codec.h"

namespace lmzip::codecs {

class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Codec>()>;
  // A family of codecs named "PREFIX:ARGUMENT", e.g. "lm:order2" or "lm:models/x.safetensors".
  using FamilyFactory = std::function<std::unique_ptr<Codec>(std::string_view argument)>;

  // The registry holding every built-in codec (gzip, xz, xz-9e, png, png-64, flac, zstd,
  // bzip2, brotli, jxl) and the family "lm:MODEL" (lmzip's own compressor with any model).
  static Registry& builtin();

  // Registers a codec. `in_default_set`: whether `lmzip bench` runs it without --codecs.
  // @throws lmzip::Error if the name is already taken.
  void add(std::string name, Factory factory, bool in_default_set = true);

  // Registers a family: create("PREFIX:ARG") calls factory(ARG). Families are never in the
  // default set. @throws lmzip::Error if the prefix is already taken.
  void add_family(std::string prefix, std::string help, FamilyFactory factory);

  // @throws lmzip::Error naming the unknown codec and listing the known ones, or whatever the
  // family's factory throws (e.g. an unreadable model file).
  std::unique_ptr<Codec> create(std::string_view name) const;

  bool contains(std::string_view name) const;
  std::vector<std::string> names() const;          // all, in registration order
  std::vector<std::string> default_names() const;  // the default bench set, in registration order
  // "PREFIX:<help>" for each family, e.g. "lm:MODEL".
  std::vector<std::string> family_usages() const;

 private:
  struct Entry {
    std::string name;
    Factory factory;
    bool in_default_set;
  };
  struct Family {
    std::string prefix;
    std::string help;
    FamilyFactory factory;
  };
  std::vector<Entry> entries_;
  std::vector<Family> families_;
};

}  // namespace lmzip::codecs
