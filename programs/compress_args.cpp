#include "compress_args.h"

#include <charconv>

#include "lmzip/archive/defaults.h"
#include "lmzip/model/open_model.h"

namespace lmzip::cli {

namespace {

std::uint64_t parse_number(const std::string& option, const std::string& text, std::uint64_t max) {
  std::uint64_t value = 0, unit = 1;
  std::string digits = text;
  if (!digits.empty()) {
    const char last = digits.back();
    if (last == 'k' || last == 'K') unit = 1024;
    if (last == 'm' || last == 'M') unit = 1024 * 1024;
    if (unit != 1) digits.pop_back();
  }
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value > max / unit) {
    throw UsageError("invalid value '" + text + "' for " + option);
  }
  return value * unit;
}

void set_mode(CompressArgs& a, Mode m, bool& mode_set) {
  if (mode_set && a.mode != m) throw UsageError("only one of -z, -d, -t, -l may be given");
  a.mode = m;
  mode_set = true;
}

}  // namespace

CompressArgs parse_compress_args(const std::vector<std::string>& args) {
  CompressArgs a;
  bool mode_set = false;
  bool options_done = false;
  // Applies option `name` (a short letter or a long name); `value` fetches its value if it has one.
  auto apply = [&](const std::string& name, const auto& value) {
    if (name == "z" || name == "compress") set_mode(a, Mode::compress, mode_set);
    else if (name == "d" || name == "decompress" || name == "uncompress") set_mode(a, Mode::decompress, mode_set);
    else if (name == "t" || name == "test") set_mode(a, Mode::test, mode_set);
    else if (name == "l" || name == "list") set_mode(a, Mode::list, mode_set);
    else if (name == "k" || name == "keep") a.remove_input = false;
    else if (name == "rm") a.remove_input = true;
    else if (name == "f" || name == "force") a.force = true;
    else if (name == "c" || name == "stdout" || name == "to-stdout") a.to_stdout = true;
    else if (name == "o" || name == "output") a.output = value();
    else if (name == "T" || name == "threads") a.threads = static_cast<unsigned>(parse_number("-T", value(), 4096));
    else if (name == "m" || name == "model") a.model = value();
    else if (name == "tokenizer") a.tokenizer = value();
    else if (name == "v" || name == "verbose") a.verbosity = std::max(a.verbosity, 1) + 1;
    else if (name == "q" || name == "quiet") a.verbosity = 0;
    else if (name == "verify") a.verify = true;
    else if (name == "chunk-size") {
      a.chunk_size = static_cast<std::uint32_t>(parse_number("--chunk-size", value(), archive::kMaxChunkSize));
      if (a.chunk_size == 0) throw UsageError("--chunk-size must be at least 1");
    } else if (name == "h" || name == "help") a.help = true;
    else if (name == "V" || name == "version") a.version = true;
    else throw UsageError("unknown option '" + std::string(name.size() == 1 ? "-" : "--") + name + "'");
  };
  auto takes_value = [](const std::string& n) {
    return n == "o" || n == "output" || n == "T" || n == "threads" || n == "m" || n == "model" || n == "chunk-size" ||
           n == "tokenizer";
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg == "-" || arg.size() < 2 || arg[0] != '-') {
      a.files.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg.rfind("--", 0) == 0) {
      const auto eq = arg.find('=');
      const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (eq != std::string::npos && !takes_value(name)) throw UsageError("option '--" + name + "' takes no value");
      apply(name, [&]() -> std::string {
        if (eq != std::string::npos) return arg.substr(eq + 1);
        if (i + 1 >= args.size()) throw UsageError("option '--" + name + "' needs a value");
        return args[++i];
      });
    } else {
      for (std::size_t j = 1; j < arg.size(); ++j) {
        const std::string name(1, arg[j]);
        bool consumed_rest = false;
        apply(name, [&]() -> std::string {
          consumed_rest = true;
          if (j + 1 < arg.size()) return arg.substr(j + 1);
          if (i + 1 >= args.size()) throw UsageError("option '-" + name + "' needs a value");
          return args[++i];
        });
        if (consumed_rest) break;
      }
    }
  }
  if (a.output && a.files.size() > 1) throw UsageError("-o needs exactly one input file");
  if (a.output && a.to_stdout) throw UsageError("-o and -c cannot be used together");
  return a;
}

namespace {

std::string builtin_list() {
  std::string s;
  for (const auto& n : model::builtin_model_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::string compress_usage() {
  return std::string("Usage: lmzip [OPTION]... [FILE]...\n"
         "Compress or decompress FILEs with a language model (by default, compress FILE to FILE.lmz).\n"
         "With no FILE, or when FILE is -, read standard input and write standard output.\n"
         "\n"
         "  -z, --compress       compress (the default)\n"
         "  -d, --decompress     decompress FILE.lmz to FILE\n"
         "  -t, --test           check archives: decode everything, verify all checksums, write nothing\n"
         "  -l, --list           list model, sizes, ratio and bits per byte of archives\n"
         "  -k, --keep           keep the input files (the default)\n"
         "      --rm             remove each input file once its output file is complete\n"
         "  -f, --force          overwrite existing outputs; write compressed data to a terminal\n"
         "  -c, --stdout         write to standard output\n"
         "  -o, --output=FILE    write to FILE (one input only)\n"
         "  -T, --threads=N      use N threads (0: one per hardware thread; the default)\n"
         "  -m, --model=MODEL    model: " + builtin_list() + ", an lmzip model file, or a Llama-family\n"
         "                       model coded as tokens: GGUF, Hugging Face folder, llama2.c .bin\n"
         "                       (compress default: " + std::string(archive::kDefaultModel) + ";\n"
         "                       decompress default: the model the archive names, if built in)\n"
         "      --tokenizer=FILE the tokenizer of a token model that does not carry its own\n"
         "      --chunk-size=N   bytes per independently coded chunk (default 2048; K and M suffixes)\n"
         "      --verify         decode the result again after compressing and compare\n"
         "  -v, --verbose        report ratio and speed per file; with -l, every header field\n"
         "  -q, --quiet          no warnings or reports\n"
         "  -h, --help           this help\n"
         "  -V, --version        lmzip's version\n"
         "\n"
         "Other commands: lmzip bench, prepare, codecs, model, sample, train, figure2, tokenize (see lmzip COMMAND --help).\n"
         "Exit status: 0 on success, 1 if any error occurred.\n");
}

}  // namespace lmzip::cli
