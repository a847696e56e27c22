// `lmzip figure2`: the paper's Figure 2 (adjusted rate against model size) from a bench report.
#pragma once

#include <CLI/CLI.hpp>

namespace lmzip::cli {

void add_figure2_command(CLI::App& app);

}  // namespace lmzip::cli
