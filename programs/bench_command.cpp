#include "bench_command.h"

#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lmzip/codecs/registry.h"
#include "lmzip/common/file_io.h"
#include "lmzip/data/dataset.h"
#include "lmzip/error.h"
#include "lmzip/eval/bench.h"
#include "lmzip/eval/report.h"
#include "progress_line.h"

namespace lmzip::cli {

namespace {

struct BenchArgs {
  std::vector<std::string> data;
  std::string codecs;
  std::uint64_t chunks = 0;
  std::string json_path;
  std::string csv_path;
  std::string mode = "both";
  unsigned threads = 1;
  bool no_verify = false;
  bool quiet = false;
};

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

void run(const BenchArgs& args) {
  eval::BenchOptions options;
  std::set<std::string> labels;
  for (const auto& d : args.data) {
    data::DatasetSpec spec = data::parse_dataset_arg(d);
    if (args.chunks > 0) spec.max_chunks = args.chunks;
    std::string base = spec.label.empty() ? std::string(data::to_string(spec.modality)) : spec.label;
    std::string label = base;
    for (int n = 2; labels.count(label); ++n) label = base + "-" + std::to_string(n);
    labels.insert(label);
    spec.label = label;
    options.datasets.push_back(std::move(spec));
  }
  if (!args.codecs.empty()) {
    options.codecs = split_list(args.codecs);
    if (options.codecs.empty()) throw Error("bench: --codecs lists no codec");
    for (const auto& c : options.codecs) codecs::Registry::builtin().create(c);
  }
  options.verify = !args.no_verify;
  options.threads = args.threads;
  options.chunked = args.mode != "whole";
  options.whole = args.mode != "chunked";
  // Check that the report files can be written before spending minutes on the bench.
  for (const auto& path : {args.json_path, args.csv_path}) {
    if (path.empty()) continue;
    auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty() && !std::filesystem::is_directory(dir)) throw Error(path + ": folder does not exist");
  }

  ProgressLine line;
  eval::ProgressFn progress;
  if (line.enabled() && !args.quiet) {
    progress = [&line](const eval::Progress& p) {
      line.update(fmt::format("bench [{}/{}] {} {}: {} chunks, {:.1f} MB", p.task, p.tasks, p.dataset, p.stage,
                              p.chunks, p.bytes / 1e6));
    };
  }
  eval::BenchReport report = eval::run_bench(options, progress);
  line.clear();

  if (!args.json_path.empty()) write_file_atomically(args.json_path, eval::to_json(report));
  if (!args.csv_path.empty()) write_file_atomically(args.csv_path, eval::to_csv(report));
  if (!args.quiet) std::fputs(eval::format_table(report).c_str(), stdout);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand("bench", "Measure compressors on data sets, as the paper's Table 1");
  cmd->add_option("--data", args->data,
                  "Data set: text=PATH, image=PATH, audio=PATH (files or folders, comma-separated), random=N[:SEED]; "
                  "MODALITY:LABEL=... names its column")
      ->required()
      ->take_all();
  cmd->add_option("--codecs", args->codecs, "Comma-separated codec names (default: the default set; see `lmzip codecs`)");
  cmd->add_option("--chunks", args->chunks, "At most N chunks per data set (the paper: 488281 = 1 GB)");
  cmd->add_option("--json", args->json_path, "Write every figure, checksums and the machine as JSON");
  cmd->add_option("--csv", args->csv_path, "Write every figure as CSV");
  cmd->add_option("--mode", args->mode, "Rows to measure: both, chunked or whole")
      ->check(CLI::IsMember({"both", "chunked", "whole"}));
  cmd->add_option("-T,--threads", args->threads,
                  "Workers, each measuring one (data set, codec) pair at a time; MB/s stay one-thread figures")
      ->check(CLI::Range(1u, 256u));
  cmd->add_flag("--no-verify", args->no_verify, "Skip decoding (figures are then marked unverified)");
  cmd->add_flag("-q,--quiet", args->quiet, "Print no table (use with --json/--csv)");
  cmd->callback([args] { run(*args); });
}

}  // namespace lmzip::cli
