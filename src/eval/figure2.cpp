// figure2.cpp - the paper's Figure 2 from a bench report (lmzip/eval/figure2.h).
#include "lmzip/eval/figure2.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <utility>

#include "lmzip/error.h"

namespace lmzip::eval {

namespace {

nlohmann::json parse_report(const NamedReport& r) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.json);
  } catch (const nlohmann::json::exception& e) {
    throw Error("figure2: " + r.name + " is not JSON: " + e.what());
  }
  if (!j.is_object() || j.value("schema", "") != "lmzip-bench/1")
    throw Error("figure2: " + r.name + " is not an lmzip bench report (schema lmzip-bench/1)");
  return j;
}

// The identity of data set `dataset`'s bytes in a report ("" when the report does not describe it).
std::string dataset_identity(const nlohmann::json& j, const std::string& dataset) {
  if (!j.contains("datasets")) return "";
  for (const auto& d : j.at("datasets")) {
    if (d.value("label", "") == dataset)
      return fmt::format("prepared xxh64 {}, {} chunks", d.value("prepared_xxh64", "?"), d.value("chunks", std::uint64_t{0}));
  }
  return "";
}

// A short label for the plot: "lm:DIR/model.bin@DIR/tok.bin" -> "lm:model.bin"; a file named
// model.* is labelled by its folder, as lmzip's own models/NAME/model.safetensors: "lm:NAME".
std::string short_label(const std::string& codec) {
  const auto colon = codec.find(':');
  if (colon == std::string::npos) return codec;
  std::string arg = codec.substr(colon + 1);
  arg = arg.substr(0, arg.find('@'));
  const auto slash = arg.find_last_of('/');
  if (slash != std::string::npos) {
    const std::string file = arg.substr(slash + 1);
    const std::string folder = arg.substr(0, slash);
    const auto up = folder.find_last_of('/');
    const std::string folder_name = up == std::string::npos ? folder : folder.substr(up + 1);
    arg = file.rfind("model.", 0) == 0 && !folder_name.empty() && folder_name != "." && folder_name != ".." ? folder_name : file;
  }
  return codec.substr(0, colon + 1) + arg;
}

}  // namespace

std::vector<Figure2Point> figure2_points(const std::vector<NamedReport>& reports, const std::string& dataset,
                                         const std::vector<std::uint64_t>& sizes) {
  if (reports.empty()) throw Error("figure2: no report");
  std::vector<Figure2Point> points;
  std::map<std::string, std::pair<double, std::string>> seen;  // codec -> (rate, report)
  std::string identity, identity_report;
  for (const auto& r : reports) {
    const nlohmann::json j = parse_report(r);
    if (reports.size() > 1) {
      const std::string id = dataset_identity(j, dataset);
      if (id.empty()) throw Error("figure2: " + r.name + " does not describe data set \"" + dataset + "\" (datasets[]), so it cannot be merged");
      if (identity.empty()) {
        identity = id;
        identity_report = r.name;
      } else if (id != identity) {
        throw Error("figure2: data set \"" + dataset + "\" differs between " + identity_report + " (" + identity + ") and " + r.name +
                    " (" + id + "): only rows of the same bytes can share a figure");
      }
    }
    std::set<std::string> datasets;
    bool has_rows = false;
    for (const auto& m : j.at("measurements")) {
      datasets.insert(m.at("dataset").get<std::string>());
      if (m.at("dataset") != dataset || m.at("chunking") != "chunked") continue;
      has_rows = true;
      const std::string codec = m.at("codec").get<std::string>();
      if (!m.at("verified").get<bool>()) throw Error("figure2: " + r.name + ": " + codec + " was not verified by decoding");
      const double rate = m.at("rate").get<double>();
      if (const auto it = seen.find(codec); it != seen.end()) {
        if (it->second.first != rate)
          throw Error(fmt::format("figure2: {} has rate {} in {} but {} in {}: not the same measurement", codec, it->second.first,
                                  it->second.second, rate, r.name));
        continue;
      }
      seen.emplace(codec, std::make_pair(rate, r.name));
      for (std::uint64_t d : sizes) {
        Figure2Point p;
        p.codec = codec;
        p.parameters = m.at("parameters").get<std::uint64_t>();
        p.raw_rate = rate;
        p.measured_bytes = m.at("raw_bytes").get<std::uint64_t>();
        p.data_bytes = d;
        p.adjusted_rate = p.raw_rate + 2.0 * static_cast<double>(p.parameters) / static_cast<double>(d);
        p.extrapolated = d > p.measured_bytes;
        points.push_back(p);
      }
    }
    if (!has_rows) {
      std::string known;
      for (const auto& d : datasets) known += (known.empty() ? "" : ", ") + d;
      throw Error("figure2: " + r.name + " has no chunked rows for data set \"" + dataset + "\" (it has: " + known + ")");
    }
  }
  return points;
}

std::vector<Figure2Point> figure2_points(const std::string& report_json, const std::string& dataset,
                                         const std::vector<std::uint64_t>& sizes) {
  return figure2_points(std::vector<NamedReport>{{"the report", report_json}}, dataset, sizes);
}

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
