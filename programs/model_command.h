// `lmzip model`: make and inspect byte-transformer model files.
//   lmzip model init --preset 200K [--seed S] [--name NAME] -o FILE   seeded random weights
//   lmzip model info FILE                                              config, parameters, SHA-256
#pragma once

#include <CLI/CLI.hpp>

namespace lmzip::cli {

void add_model_command(CLI::App& app);

}  // namespace lmzip::cli
