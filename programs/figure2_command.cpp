#include "figure2_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lmzip/common/file_io.h"
#include "lmzip/error.h"
#include "lmzip/eval/figure2.h"

namespace lmzip::cli {

namespace {

struct Figure2Args {
  std::vector<std::string> reports;
  std::string dataset = "text";
  std::string out = "figure2";
};

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

void run(const Figure2Args& a) {
  std::vector<eval::NamedReport> reports;
  for (const auto& path : a.reports) {
    const Bytes json = read_whole_file(path);
    reports.push_back({path, std::string(json.begin(), json.end())});
  }
  const auto points = eval::figure2_points(reports, a.dataset);
  const std::string table_path = a.out + ".tsv", png_path = a.out + ".png";
  write_file_atomically(table_path, eval::figure2_table(points));
  // gnuplot draws into a temporary name in the same folder; the PNG appears only when complete.
  const std::string tmp_png = (std::filesystem::path(png_path).parent_path() /
                               ("." + std::filesystem::path(png_path).filename().string() + ".lmzip-tmp-plot"))
                                  .string();
  const std::string script_path = tmp_png + ".gp";
  write_file_atomically(script_path,
                        eval::figure2_gnuplot_script(table_path, tmp_png,
                                                     "Adjusted rate vs model size, data set " + a.dataset +
                                                         "\\n(data sizes beyond the measured bytes: raw rate extrapolated)"));
  const int rc = std::system(("gnuplot " + quoted(script_path) + " 2>&1").c_str());
  std::filesystem::remove(script_path);
  if (rc != 0) {
    std::error_code ec;
    std::filesystem::remove(tmp_png, ec);
    throw Error(png_path + ": gnuplot failed or is not installed (Debian: gnuplot-nox); the table is in " + table_path);
  }
  std::filesystem::rename(tmp_png, png_path);
  std::printf("%s\n%s\n", table_path.c_str(), png_path.c_str());
}

}  // namespace

void add_figure2_command(CLI::App& app) {
  auto args = std::make_shared<Figure2Args>();
  auto* cmd = app.add_subcommand("figure2", "Draw the paper's Figure 2 (adjusted rate against model size) from bench reports");
  cmd->add_option("--report", args->reports,
                  "JSON report of lmzip bench (--json); repeat it to join the rows of several runs on the same data")
      ->required();
  cmd->add_option("--data", args->dataset, "Data set label in the report (default: text)");
  cmd->add_option("-o,--output", args->out, "Output prefix: PREFIX.tsv (the table) and PREFIX.png (the plot)");
  cmd->callback([args] { run(*args); });
}

}  // namespace lmzip::cli
