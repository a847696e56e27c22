#include "prepare_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "lmzip/common/file_io.h"
#include "lmzip/data/dataset.h"
#include "progress_line.h"

namespace lmzip::cli {

namespace {

struct PrepareArgs {
  std::string data;
  std::string output;
  std::uint64_t chunks = 0;
  bool quiet = false;
};

void run(const PrepareArgs& args) {
  data::DatasetSpec spec = data::parse_dataset_arg(args.data);
  spec.max_chunks = args.chunks;
  auto stream = data::open_dataset(spec);
  AtomicFile out(args.output);
  ProgressLine line;
  data::Chunk chunk;
  std::uint64_t chunks = 0, bytes = 0;
  while (stream->next(chunk)) {
    out.write(chunk.bytes);
    chunks += 1;
    bytes += chunk.bytes.size();
    if (chunks % 256 == 0) line.update(fmt::format("prepare: {} chunks, {:.1f} MB", chunks, bytes / 1e6));
  }
  out.commit();
  line.clear();
  if (!args.quiet) {
    std::printf("%s: %llu chunks, %llu bytes from %zu input(s)\n", args.output.c_str(),
                static_cast<unsigned long long>(chunks), static_cast<unsigned long long>(bytes),
                stream->sources().size());
  }
}

}  // namespace

void add_prepare_command(CLI::App& app) {
  auto args = std::make_shared<PrepareArgs>();
  auto* cmd = app.add_subcommand("prepare", "Write a data set's prepared chunks (the bytes bench measures) to a file");
  cmd->add_option("--data", args->data, "Data set: text=PATH, image=PATH, audio=PATH, random=N[:SEED]")->required();
  cmd->add_option("-o,--output", args->output, "Output file (written to a temporary file, then renamed)")->required();
  cmd->add_option("--chunks", args->chunks, "At most N chunks");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing on success");
  cmd->callback([args] { run(*args); });
}

}  // namespace lmzip::cli
