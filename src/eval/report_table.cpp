// Text rendering of a BenchReport in the layout of the paper's Table 1.
#include <algorithm>
#include <map>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "lmzip/eval/report.h"

namespace lmzip::eval {

namespace {

struct Row {
  Chunking chunking;
  std::string codec;
  std::map<std::string, const Measurement*> by_dataset;
};

std::vector<Row> collect_rows(const BenchReport& report) {
  std::vector<Row> rows;
  for (Chunking c : {Chunking::whole, Chunking::chunked}) {
    for (const auto& codec : report.codecs) {
      Row row{c, codec, {}};
      for (const auto& m : report.measurements) {
        if (m.codec == codec && m.chunking == c) row.by_dataset[m.dataset] = &m;
      }
      if (!row.by_dataset.empty()) rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string chunk_label(const Row& row, const BenchReport& report) {
  if (row.chunking == Chunking::whole) return "whole";
  // The chunk size is the same for every data set of a run except images (always 2048).
  for (const auto& ds : report.datasets) {
    if (ds.chunks > 0) return std::to_string(ds.raw_bytes / ds.chunks);
  }
  return "chunked";
}

std::string pct(const Measurement* m, bool adjusted) {
  if (!m) return "-";
  return fmt::format("{:.2f}", 100.0 * (adjusted ? m->adjusted_rate() : m->rate()));
}

// A table of one more figure, for the rows that have it (none: no table).
template <typename Has, typename Value>
void extra_section(std::ostringstream& out, const std::vector<Row>& rows, const BenchReport& report, std::size_t codec_w,
                   std::size_t col_w, std::string_view title, Has has, Value value) {
  bool any = false;
  for (const auto& m : report.measurements) any = any || has(m);
  if (!any) return;
  out << "\n" << title << "\n";
  out << fmt::format("{:<7} {:<{}}", "chunk", "compressor", codec_w);
  for (const auto& ds : report.datasets) out << fmt::format(" {:>{}}", ds.label, col_w);
  out << "\n";
  for (const auto& r : rows) {
    if (r.by_dataset.empty() || !has(*r.by_dataset.begin()->second)) continue;
    out << fmt::format("{:<7} {:<{}}", chunk_label(r, report), r.codec, codec_w);
    for (const auto& ds : report.datasets) {
      auto it = r.by_dataset.find(ds.label);
      out << fmt::format(" {:>{}}", it == r.by_dataset.end() ? std::string("-") : fmt::format("{:.2f}", 100.0 * value(*it->second)),
                         col_w);
    }
    out << "\n";
  }
}

}  // namespace

std::string format_table(const BenchReport& report) {
  const auto rows = collect_rows(report);
  std::size_t codec_w = 10;
  for (const auto& r : rows) codec_w = std::max(codec_w, r.codec.size());
  std::size_t col_w = 9;
  for (const auto& ds : report.datasets) col_w = std::max(col_w, ds.label.size() + 4);

  std::ostringstream out;
  out << "Rates in % (compressed / original; adjusted adds 2 bytes per model parameter)"
      << (report.verified ? ", every figure verified by decoding" : ", NOT verified (--no-verify)") << "\n";
  out << fmt::format("{:<7} {:<{}}", "chunk", "compressor", codec_w);
  for (const auto& ds : report.datasets) out << fmt::format(" {:>{}}", ds.label, col_w);
  for (const auto& ds : report.datasets) out << fmt::format(" {:>{}}", "adj " + ds.label, col_w);
  out << "\n";
  for (const auto& r : rows) {
    out << fmt::format("{:<7} {:<{}}", chunk_label(r, report), r.codec, codec_w);
    for (bool adjusted : {false, true}) {
      for (const auto& ds : report.datasets) {
        auto it = r.by_dataset.find(ds.label);
        out << fmt::format(" {:>{}}", pct(it == r.by_dataset.end() ? nullptr : it->second, adjusted), col_w);
      }
    }
    out << "\n";
  }

  out << "\nThroughput in MB/s, compress / decompress (one thread)\n";
  std::size_t tp_w = std::max<std::size_t>(col_w, 15);
  out << fmt::format("{:<7} {:<{}}", "chunk", "compressor", codec_w);
  for (const auto& ds : report.datasets) out << fmt::format(" {:>{}}", ds.label, tp_w);
  out << "\n";
  for (const auto& r : rows) {
    out << fmt::format("{:<7} {:<{}}", chunk_label(r, report), r.codec, codec_w);
    for (const auto& ds : report.datasets) {
      auto it = r.by_dataset.find(ds.label);
      std::string cell = "-";
      if (it != r.by_dataset.end()) {
        const Measurement& m = *it->second;
        cell = m.verified ? fmt::format("{:.2f} / {:.2f}", m.compress_mb_per_s(), m.decompress_mb_per_s())
                          : fmt::format("{:.2f} / -", m.compress_mb_per_s());
      }
      out << fmt::format(" {:>{}}", cell, tp_w);
    }
    out << "\n";
  }

  extra_section(out, rows, report, codec_w, col_w,
                "Model rows adjusted by the weights file's real size in % ((compressed + file) / original)",
                [](const Measurement& m) { return m.model_file_bytes > 0; },
                [](const Measurement& m) { return m.file_adjusted_rate(); });
  extra_section(out, rows, report, codec_w, col_w,
                "The paper's accounting of the 7-bit protocol in % (the model's code x 8/7; the rates above are "
                "true sizes, dropped bits coded)",
                [](const Measurement& m) { return m.has_paper; }, [](const Measurement& m) { return m.paper_rate(); });

  out << "\nData sets\n";
  for (const auto& ds : report.datasets) {
    out << fmt::format("  {:<10} {:<6} {:>9} chunks {:>13} bytes  {} files  prepared xxh64 {}{}\n", ds.label,
                       ds.modality, ds.chunks, ds.raw_bytes, ds.inputs.size(), ds.prepared_xxh64,
                       ds.whole_skipped ? "  (too large for whole rows)" : "");
  }
  for (const auto& ds : report.datasets) {
    for (const auto& f : ds.inputs) {
      if (!f.note.empty()) out << fmt::format("  note: {}: {}\n", f.path, f.note);
    }
  }
  return out.str();
}

}  // namespace lmzip::eval
