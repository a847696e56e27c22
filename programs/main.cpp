// lmzip: the command-line program. Thin: argument parsing and terminal I/O only; everything
// else is in the library.
#include <algorithm>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "bench_command.h"
#include "prepare_command.h"
#include "lmzip/codecs/registry.h"
#include "lmzip/error.h"
#include "lmzip/version.h"

int main(int argc, char** argv) {
  CLI::App app{"lmzip: language models as lossless compressors"};
  app.set_version_flag("-V,--version", std::string("lmzip ") + lmzip::version());
  app.require_subcommand(1);

  lmzip::cli::add_bench_command(app);
  lmzip::cli::add_prepare_command(app);
  auto* list = app.add_subcommand("codecs", "List the compressors lmzip can measure");
  list->callback([] {
    const auto& reg = lmzip::codecs::Registry::builtin();
    auto defaults = reg.default_names();
    for (const auto& name : reg.names()) {
      auto codec = reg.create(name);
      bool dflt = std::find(defaults.begin(), defaults.end(), name) != defaults.end();
      std::printf("%-10s %s%s\n", name.c_str(), codec->description().c_str(), dflt ? "" : " (not in the default set)");
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
