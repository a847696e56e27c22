// The report of `lmzip -l`: one table row per archive (like xz -l), or a block of details per
// archive with -v.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "lmzip/archive/archive.h"

namespace lmzip::cli {

class ListReport {
 public:
  explicit ListReport(bool detailed) : detailed_(detailed) {}
  void add(const std::string& file, const archive::ArchiveSummary& s);
  // Prints the table (and a totals row for several archives) to `out`.
  void print(std::FILE* out) const;

 private:
  struct Row {
    std::string file;
    archive::ArchiveSummary s;
  };
  bool detailed_;
  std::vector<Row> rows_;
};

// "1.2 KiB", "15.0 MiB", "512 B".
std::string human_size(std::uint64_t bytes);

}  // namespace lmzip::cli
