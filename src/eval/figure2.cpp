// figure2.cpp - the paper's Figure 2 from a bench report (lmzip/eval/figure2.h).
#include "lmzip/eval/figure2.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "lmzip/error.h"

namespace lmzip::eval {

std::vector<Figure2Point> figure2_points(const std::string& report_json, const std::string& dataset,
                                         const std::vector<std::uint64_t>& sizes) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(report_json);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("figure2: the report is not JSON: ") + e.what());
  }
  if (!j.is_object() || j.value("schema", "") != "lmzip-bench/1") throw Error("figure2: not an lmzip bench report (schema lmzip-bench/1)");
  std::vector<Figure2Point> points;
  std::set<std::string> datasets;
  for (const auto& m : j.at("measurements")) {
    datasets.insert(m.at("dataset").get<std::string>());
    if (m.at("dataset") != dataset || m.at("chunking") != "chunked") continue;
    if (!m.at("verified").get<bool>()) throw Error("figure2: " + m.at("codec").get<std::string>() + " was not verified by decoding");
    for (std::uint64_t d : sizes) {
      Figure2Point p;
      p.codec = m.at("codec").get<std::string>();
      p.parameters = m.at("parameters").get<std::uint64_t>();
      p.raw_rate = m.at("rate").get<double>();
      p.measured_bytes = m.at("raw_bytes").get<std::uint64_t>();
      p.data_bytes = d;
      p.adjusted_rate = p.raw_rate + 2.0 * static_cast<double>(p.parameters) / static_cast<double>(d);
      p.extrapolated = d > p.measured_bytes;
      points.push_back(p);
    }
  }
  if (points.empty()) {
    std::string known;
    for (const auto& d : datasets) known += (known.empty() ? "" : ", ") + d;
    throw Error("figure2: no chunked rows for data set \"" + dataset + "\" (the report has: " + known + ")");
  }
  return points;
}

namespace {

// A short label for the plot: "lm:DIR/model.bin@DIR/tok.bin" -> "lm:model.bin".
std::string short_label(const std::string& codec) {
  const auto colon = codec.find(':');
  if (colon == std::string::npos) return codec;
  std::string arg = codec.substr(colon + 1);
  arg = arg.substr(0, arg.find('@'));
  const auto slash = arg.find_last_of('/');
  if (slash != std::string::npos) arg = arg.substr(slash + 1);
  return codec.substr(0, colon + 1) + arg;
}

}  // namespace

std::string figure2_table(const std::vector<Figure2Point>& points) {
  std::string out =
      "# codec\tparameters\tdata_bytes\traw_rate_pct\tadjusted_rate_pct\tmeasured_bytes\textrapolated\tlabel\n";
  for (const auto& p : points) {
    out += fmt::format("{}\t{}\t{}\t{:.4f}\t{:.4f}\t{}\t{}\t{}\n", p.codec, p.parameters, p.data_bytes, 100 * p.raw_rate,
                       100 * p.adjusted_rate, p.measured_bytes, p.extrapolated ? "yes" : "no", short_label(p.codec));
  }
  return out;
}

std::string figure2_gnuplot_script(const std::string& table_path, const std::string& png_path, const std::string& title) {
  // Columns: 2 parameters, 3 data bytes, 5 adjusted %. One series per data size; a parameter
  // count of 0 is drawn at 1 on the log axis. Labels name the codecs.
  std::string s;
  s += "set terminal pngcairo size 900,600 noenhanced\n";
  s += "set output '" + png_path + "'\n";
  s += "set title \"" + title + "\" font ',10'\n";  // double quotes: "\\n" breaks the line
  s += "set logscale x\nset xrange [0.5:*]\nset xlabel 'model parameters (0 drawn at 1)'\n";
  s += "set ylabel 'adjusted compression rate (%)'\nset key outside right top\nset grid\n";
  s += "set datafile separator '\\t'\n";
  s += "x(p) = p > 0 ? p : 1\n";
  s += "plot ";
  const char* names[] = {"10 MB", "100 MB", "1 GB"};
  const std::uint64_t sizes[] = {10'000'000, 100'000'000, 1'000'000'000};
  for (int i = 0; i < 3; ++i) {
    s += fmt::format("'{}' using (x($2)):($3 == {} ? $5 : 1/0) with points pt 7 ps 1.5 title '{}'{}", table_path, sizes[i],
                     names[i], ", ");
  }
  s += fmt::format("'{}' using (x($2)):($3 == {} ? $5 : 1/0):8 with labels offset 0,1 font ',8' notitle\n", table_path,
                   sizes[0]);
  return s;
}

}  // namespace lmzip::eval
