// `lmzip sample`: a model as a generator (prints a continuation of a prompt).
#pragma once

#include <CLI/CLI.hpp>

namespace lmzip::cli {

void add_sample_command(CLI::App& app);

}  // namespace lmzip::cli
