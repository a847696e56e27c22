// `lmzip tokenize`: how a token model's tokenizer cuts prepared data (bytes per token).
#pragma once

#include <CLI/CLI.hpp>

namespace lmzip::cli {

void add_tokenize_command(CLI::App& app);

}  // namespace lmzip::cli
