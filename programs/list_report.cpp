#include "list_report.h"

#include <algorithm>

namespace lmzip::cli {

std::string human_size(std::uint64_t bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

namespace {

std::string ratio(std::uint64_t compressed, std::uint64_t original) {
  if (original == 0) return "---";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(compressed) / static_cast<double>(original));
  return buf;
}

std::string bits_per_byte(std::uint64_t compressed, std::uint64_t original) {
  if (original == 0) return "---";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", 8.0 * static_cast<double>(compressed) / static_cast<double>(original));
  return buf;
}

}  // namespace

void ListReport::add(const std::string& file, const archive::ArchiveSummary& s) { rows_.push_back({file, s}); }

void ListReport::print(std::FILE* out) const {
  if (rows_.empty()) return;
  if (detailed_) {
    for (const auto& [file, s] : rows_) {
      const auto& h = s.header;
      std::fprintf(out, "%s\n", file.c_str());
      std::fprintf(out, "  Model:              %s\n", h.model.name.c_str());
      std::fprintf(out, "  Model SHA-256:      %s\n", h.model.sha256.c_str());
      std::fprintf(out, "  Model parameters:   %llu\n", static_cast<unsigned long long>(h.model.parameters));
      std::fprintf(out, "  Numerics version:   %u\n", h.model.numerics_version);
      std::fprintf(out, "  Table precision:    2^%u\n", h.precision_bits);
      std::fprintf(out, "  Chunk size:         %u bytes\n", h.chunk_size);
      if (s.stored_chunks) {
        std::fprintf(out, "  Chunks:             %llu (%llu stored raw)\n", static_cast<unsigned long long>(s.chunk_count),
                     static_cast<unsigned long long>(*s.stored_chunks));
      } else {
        std::fprintf(out, "  Chunks:             %llu\n", static_cast<unsigned long long>(s.chunk_count));
      }
      std::fprintf(out, "  Uncompressed size:  %llu bytes (%s)\n", static_cast<unsigned long long>(s.original_size),
                   human_size(s.original_size).c_str());
      std::fprintf(out, "  Compressed size:    %llu bytes (%s)\n", static_cast<unsigned long long>(s.archive_size),
                   human_size(s.archive_size).c_str());
      std::fprintf(out, "  Ratio:              %s\n", ratio(s.archive_size, s.original_size).c_str());
      std::fprintf(out, "  Bits per byte:      %s\n", bits_per_byte(s.archive_size, s.original_size).c_str());
      std::fprintf(out, "  Format version:     %u\n", h.format_version);
      std::fprintf(out, "  Content XXH64:      %016llx\n", static_cast<unsigned long long>(s.content_xxh64));
    }
    return;
  }
  std::fprintf(out, "%8s %12s %12s %7s %9s  %-12s %s\n", "Chunks", "Compressed", "Uncompressed", "Ratio", "Bits/byte",
               "Model", "Filename");
  std::uint64_t chunks = 0, packed = 0, original = 0;
  for (const auto& [file, s] : rows_) {
    std::fprintf(out, "%8llu %12s %12s %7s %9s  %-12s %s\n", static_cast<unsigned long long>(s.chunk_count),
                 human_size(s.archive_size).c_str(), human_size(s.original_size).c_str(),
                 ratio(s.archive_size, s.original_size).c_str(), bits_per_byte(s.archive_size, s.original_size).c_str(),
                 s.header.model.name.c_str(), file.c_str());
    chunks += s.chunk_count;
    packed += s.archive_size;
    original += s.original_size;
  }
  if (rows_.size() > 1) {
    std::fprintf(out, "%8llu %12s %12s %7s %9s  %-12s %zu files\n", static_cast<unsigned long long>(chunks),
                 human_size(packed).c_str(), human_size(original).c_str(), ratio(packed, original).c_str(),
                 bits_per_byte(packed, original).c_str(), "", rows_.size());
  }
}

}  // namespace lmzip::cli
