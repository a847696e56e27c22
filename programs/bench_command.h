// `lmzip bench`: the paper's Table 1 for the chosen codecs and data sets.
#pragma once

#include <CLI/CLI.hpp>

namespace lmzip::cli {

// Adds the `bench` subcommand to `app`; its callback runs the bench and may throw lmzip::Error.
void add_bench_command(CLI::App& app);

}  // namespace lmzip::cli
