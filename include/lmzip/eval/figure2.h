// lmzip/eval/figure2.h - the paper's Figure 2: adjusted compression rate against model size.
//
// Delétang et al. (2023), Figure 2: for data sets of 10 MB, 100 MB and 1 GB, the adjusted rate
// (compressed size + 2 bytes per parameter) / data size of models of growing size: larger models
// compress better raw, but only pay for their size on enough data. lmzip draws it from bench
// reports (`lmzip bench --json`): each codec row of one data set gives its measured raw rate r and
// its parameters P, and for a data size D
//     adjusted(D) = r + 2 P / D.
// Where D exceeds the bytes actually measured, the point assumes the raw rate stays r (an
// extrapolation, flagged as such in the table and the plot).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lmzip::eval {

struct Figure2Point {
  std::string codec;
  std::uint64_t parameters = 0;
  double raw_rate = 0;         // measured, compressed / original
  std::uint64_t measured_bytes = 0;
  std::uint64_t data_bytes = 0;  // D
  double adjusted_rate = 0;    // raw_rate + 2 P / D
  bool extrapolated = false;   // D > measured_bytes
};

inline const std::vector<std::uint64_t> kFigure2DataSizes = {10'000'000, 100'000'000, 1'000'000'000};

// The points of every chunked row of data set `dataset` in a bench report's JSON (schema
// "lmzip-bench/1"), for each of `sizes`. @throws lmzip::Error for another schema, an unknown data
// set (listing the known ones), or unverified figures.
std::vector<Figure2Point> figure2_points(const std::string& report_json, const std::string& dataset,
                                         const std::vector<std::uint64_t>& sizes = kFigure2DataSizes);

// One bench report and the name its errors give (its file).
struct NamedReport {
  std::string name;
  std::string json;
};

// The points of several reports of the same data, so that a model measured in a later run joins
// the earlier ones without measuring them again: data set `dataset` must have been prepared to the
// same bytes and chunks in each report (its prepared_xxh64 and chunk count), and a codec measured
// in more than one report must have the same rate in each (lmzip's runs are deterministic; it
// appears once, in order of first appearance). @throws lmzip::Error naming the report otherwise,
// and as the one-report form.
std::vector<Figure2Point> figure2_points(const std::vector<NamedReport>& reports, const std::string& dataset,
                                         const std::vector<std::uint64_t>& sizes = kFigure2DataSizes);

// The points as a table: one line per point, tab-separated, with a header line.
std::string figure2_table(const std::vector<Figure2Point>& points);

// A gnuplot script that draws `table_path` (figure2_table's output) into `png_path`: adjusted rate
// (%) against parameters (log scale; models of 0 parameters at 1), one series per data size.
std::string figure2_gnuplot_script(const std::string& table_path, const std::string& png_path, const std::string& title);

}  // namespace lmzip::eval
