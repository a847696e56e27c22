// `lmzip train`: train a byte transformer on a corpus (see lmzip/train/trainer.h).
#pragma once

#include <CLI/CLI.hpp>

namespace lmzip::cli {

void add_train_command(CLI::App& app);

}  // namespace lmzip::cli
