// lmzip: the command-line program. Thin: argument parsing and terminal I/O only; everything
// else is in the library.
//
// Two faces: `lmzip [OPTION]... [FILE]...` is the gzip-style compressor (compress_command.h);
// `lmzip bench|prepare|codecs ...` are subcommands (CLI11). The first argument decides, before
// any parsing, because CLI11 subcommands and positional file names do not mix.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "bench_command.h"
#include "compress_command.h"
#include "figure2_command.h"
#include "tokenize_command.h"
#include "prepare_command.h"
#include "model_command.h"
#include "sample_command.h"
#include "train_command.h"
#include "lmzip/codecs/registry.h"
#include "lmzip/error.h"
#include "lmzip/version.h"

namespace {

// The subcommands; anything else is the compressor's arguments (a file named like a subcommand
// can be given as ./bench or after --).
const std::vector<std::string> kSubcommands = {"bench", "prepare", "codecs", "model", "sample", "train", "figure2", "tokenize"};

int run_subcommand(int argc, char** argv) {
  CLI::App app{"lmzip: language models as lossless compressors"};
  app.set_version_flag("-V,--version", std::string("lmzip ") + lmzip::version());
  app.require_subcommand(1);

  lmzip::cli::add_bench_command(app);
  lmzip::cli::add_prepare_command(app);
  lmzip::cli::add_model_command(app);
  lmzip::cli::add_sample_command(app);
  lmzip::cli::add_train_command(app);
  lmzip::cli::add_figure2_command(app);
  lmzip::cli::add_tokenize_command(app);
  auto* list = app.add_subcommand("codecs", "List the compressors lmzip can measure");
  static bool default_names_only = false;
  list->add_flag("--default-names", default_names_only, "Print only the default bench set, comma-separated");
  list->callback([] {
    const auto& reg = lmzip::codecs::Registry::builtin();
    if (default_names_only) {
      std::string names;
      for (const auto& n : reg.default_names()) names += (names.empty() ? "" : ",") + n;
      std::printf("%s\n", names.c_str());
      return;
    }
    auto defaults = reg.default_names();
    for (const auto& name : reg.names()) {
      auto codec = reg.create(name);
      bool dflt = std::find(defaults.begin(), defaults.end(), name) != defaults.end();
      std::printf("%-10s %s%s\n", name.c_str(), codec->description().c_str(), dflt ? "" : " (not in the default set)");
    }
    for (const auto& usage : reg.family_usages()) {
      std::printf("%s  (a family, not in the default set)\n", usage.c_str());
    }
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 1;
  } catch (const lmzip::Error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "lmzip: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "lmzip: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::find(kSubcommands.begin(), kSubcommands.end(), argv[1]) != kSubcommands.end()) {
    return run_subcommand(argc, argv);
  }
  return lmzip::cli::run_compressor(std::vector<std::string>(argv + 1, argv + argc));
}
