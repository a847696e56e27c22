// The gzip-style command line of lmzip's compressor mode (docs/cli.md):
//   lmzip [-z|-d|-t|-l] [-k|--rm] [-f] [-c] [-o FILE] [-T N] [-m MODEL] [-v|-q] [--verify]
//         [--chunk-size N] [FILE...]
// Short options cluster (-dkc) and take values attached or as the next word (-T4, -T 4);
// long options take values as --opt=V or --opt V; "--" ends the options; "-" is stdin.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lmzip::cli {

enum class Mode { compress, decompress, test, list };

struct CompressArgs {
  Mode mode = Mode::compress;
  bool remove_input = false;  // --rm (the input is kept by default; -k says so explicitly)
  bool force = false;
  bool to_stdout = false;
  std::optional<std::string> output;
  unsigned threads = 0;  // 0: one per hardware thread
  std::optional<std::string> model;
  std::optional<std::string> tokenizer;  // --tokenizer, for token models
  int verbosity = 1;     // 0 with -q, 2+ with -v
  bool verify = false;
  std::uint32_t chunk_size = 0;  // 0: the default
  bool help = false;
  bool version = false;
  std::vector<std::string> files;  // empty: stdin
};

// A command-line mistake; main prints "lmzip: MESSAGE" and a hint to --help, and exits 1.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// @throws UsageError for unknown options, missing or malformed values, conflicting modes.
CompressArgs parse_compress_args(const std::vector<std::string>& args);

// The --help text.
std::string compress_usage();

}  // namespace lmzip::cli
