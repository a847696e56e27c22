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

  // The registry holding every built-in codec (gzip, xz, xz-9e, png, png-64, flac, zstd,
  // bzip2, brotli, jxl).
  static Registry& builtin();

  // Registers a codec. `in_default_set`: whether `lmzip bench` runs it without --codecs.
  // @throws lmzip::Error if the name is already taken.
  void add(std::string name, Factory factory, bool in_default_set = true);

  // @throws lmzip::Error naming the unknown codec and listing the known ones.
  std::unique_ptr<Codec> create(std::string_view name) const;

  bool contains(std::string_view name) const;
  std::vector<std::string> names() const;          // all, in registration order
  std::vector<std::string> default_names() const;  // the default bench set, in registration order

 private:
  struct Entry {
    std::string name;
    Factory factory;
    bool in_default_set;
  };
  std::vector<Entry> entries_;
};

}  // namespace lmzip::codecs
