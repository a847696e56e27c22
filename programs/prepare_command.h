// `lmzip prepare`: writes a data set's prepared bytes (the chunks the bench measures, in order)
// to a file, so that any other tool can be run on exactly the same bytes.
#pragma once

#include <CLI/CLI.hpp>

namespace lmzip::cli {

void add_prepare_command(CLI::App& app);

}  // namespace lmzip::cli
