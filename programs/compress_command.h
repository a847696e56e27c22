// lmzip's compressor mode, gzip-style (docs/cli.md): compress, decompress, test and list files.
#pragma once

#include <string>
#include <vector>

namespace lmzip::cli {

// Runs `lmzip ARGS...` (the arguments after the program name). Prints errors as
// "lmzip: FILE: message" on stderr and goes on with the next file.
// @return the exit status: 0 if every file succeeded, 1 otherwise.
int run_compressor(const std::vector<std::string>& args);

}  // namespace lmzip::cli
