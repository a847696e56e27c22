// Helpers shared by the test files: where ../shared/data is, scratch folders.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "lmzip/bytes.h"

namespace lmzip::test {

// ../shared/data beside the checkout (or $LMZIP_SHARED_DATA), if present.
std::optional<std::filesystem::path> shared_data_dir();

// A fresh empty folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

Bytes read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, ByteView bytes);

}  // namespace lmzip::test

// Skips the current test (with a message saying why) when ../shared/data is absent.
#define LMZIP_REQUIRE_SHARED_DATA(var)                                                   \
  auto var##_opt = ::lmzip::test::shared_data_dir();                                     \
  if (!var##_opt) GTEST_SKIP() << "../shared/data not found (set LMZIP_SHARED_DATA); skipped"; \
  const std::filesystem::path var = *var##_opt
