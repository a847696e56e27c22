#include "compress_command.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compress_args.h"
#include "list_report.h"
#include "lmzip/archive/archive.h"
#include "lmzip/error.h"
#include "lmzip/model/open_model.h"
#include "lmzip/version.h"
#include "output_file.h"
#include "progress_line.h"
#include "signal_cleanup.h"

namespace lmzip::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kProgressAbove = std::uint64_t{1} << 20;  // show progress for inputs above 1 MiB

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class Compressor {
 public:
  explicit Compressor(CompressArgs args) : args_(std::move(args)), report_(args_.verbosity >= 2) {
    threads_ = args_.threads != 0 ? args_.threads : std::max(1u, std::thread::hardware_concurrency());
  }

  int run() {
    if (args_.files.empty()) args_.files.push_back("-");
    if (args_.mode == Mode::compress && args_.to_stdout && args_.files.size() > 1) {
      std::fprintf(stderr, "lmzip: -c with several files would put several archives in one stream, which lmzip "
                           "cannot decode; compress one file at a time\n");
      return 1;
    }
    install_signal_cleanup();
    for (const auto& file : args_.files) {
      try {
        switch (args_.mode) {
          case Mode::compress: compress_one(file); break;
          case Mode::decompress: decompress_one(file); break;
          case Mode::test: test_one(file); break;
          case Mode::list: list_one(file); break;
        }
      } catch (const Error& e) {
        fail(e.what());
      } catch (const std::bad_alloc&) {
        fail(display(file) + ": out of memory");
      } catch (const std::exception& e) {
        fail(display(file) + ": internal error: " + e.what());
      }
    }
    if (args_.mode == Mode::list) report_.print(stdout);
    std::fflush(stdout);
    return failed_ ? 1 : 0;
  }

 private:
  static std::string display(const std::string& file) { return file == "-" ? "(stdin)" : file; }

  void fail(const std::string& message) {
    progress_.clear();
    std::fflush(stdout);
    std::fprintf(stderr, "lmzip: %s\n", message.c_str());
    failed_ = true;
  }

  // The input's metadata; nullopt for stdin. @throws Error for a folder or a missing file.
  static std::optional<struct stat> stat_input(const std::string& file) {
    if (file == "-") return std::nullopt;
    struct stat st;
    if (::stat(file.c_str(), &st) != 0) throw Error(file + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw Error(file + ": is a directory; skipped");
    return st;
  }

  std::unique_ptr<archive::FileSource> open_input(const std::string& file) {
    if (file == "-") return std::make_unique<archive::FileSource>(STDIN_FILENO, "(stdin)");
    return std::make_unique<archive::FileSource>(file);
  }

  // Refuses to overwrite unless -f, and to write over the input itself.
  void check_destination(const std::string& input, const std::string& dest) {
    std::error_code ec;
    if (!fs::exists(dest, ec)) return;
    if (input != "-" && fs::equivalent(input, dest, ec)) throw Error(dest + ": is the input file itself; skipped");
    if (!args_.force) throw Error(dest + ": already exists; use -f to overwrite");
    if (fs::is_directory(dest, ec)) throw Error(dest + ": is a directory");
  }

  void remove_input(const std::string& file) {
    if (!args_.remove_input || file == "-") return;
    if (::unlink(file.c_str()) != 0) throw Error(file + ": cannot remove: " + std::strerror(errno));
  }

  archive::DecompressOptions decode_options(archive::FileSource& in, Clock::time_point start) {
    archive::DecompressOptions opt;
    opt.threads = threads_;
    opt.progress = progress_for(in.name(), in, start);
    return opt;
  }

  archive::ProgressFn progress_for(const std::string& name, archive::ByteSource& in, Clock::time_point start) {
    if (args_.verbosity == 0 || !progress_.enabled()) return {};
    if (in.size() && *in.size() < kProgressAbove) return {};
    return [this, name, start](const archive::Progress& p) {
      const double secs = std::chrono::duration<double>(Clock::now() - start).count();
      char buf[64] = "";
      if (p.input_total && *p.input_total > 0) {
        std::snprintf(buf, sizeof buf, "%5.1f%%  ", 100.0 * static_cast<double>(p.input_bytes) / static_cast<double>(*p.input_total));
      }
      char speed[32] = "";
      if (secs > 0) std::snprintf(speed, sizeof speed, "  %.1f MB/s", static_cast<double>(p.input_bytes) / secs / 1e6);
      progress_.update(name + ": " + buf + human_size(p.input_bytes) + " -> " + human_size(p.output_bytes) + speed);
    };
  }

  // The -v line: "NAME: compressed 1000 -> 400 bytes, ratio 0.400, 3.200 bits/byte, 5.00 MB/s, model X".
  void report(const std::string& name, bool compressed, const archive::ArchiveSummary& s, Clock::time_point start) {
    progress_.clear();
    if (args_.verbosity < 2) return;
    const double secs = std::max(1e-9, std::chrono::duration<double>(Clock::now() - start).count());
    const double original = static_cast<double>(s.original_size), packed = static_cast<double>(s.archive_size);
    char ratio[64] = "";
    if (original > 0) std::snprintf(ratio, sizeof ratio, ", ratio %.3f, %.3f bits/byte", packed / original, 8 * packed / original);
    const std::uint64_t from = compressed ? s.original_size : s.archive_size;
    const std::uint64_t to = compressed ? s.archive_size : s.original_size;
    std::fprintf(stderr, "lmzip: %s: %s %llu -> %llu bytes%s, %.2f MB/s, model %s\n", name.c_str(),
                 compressed ? "compressed" : "decompressed", static_cast<unsigned long long>(from),
                 static_cast<unsigned long long>(to), ratio, original / secs / 1e6, s.header.model.name.c_str());
  }

  // Compressed data is not read from a terminal (it would wait for typing) unless -f.
  void refuse_terminal_input(const std::string& file) const {
    if (file == "-" && ::isatty(STDIN_FILENO) && !args_.force) {
      throw Error("(stdin): compressed data not read from a terminal; use -f to force (lmzip --help for help)");
    }
  }

  const model::ByteModel& compress_model() {
    if (!model_) model_ = model::open_model(args_.model.value_or(std::string(archive::kDefaultModel)), open_options());
    return *model_;
  }

  // Decodes the archive just written to `temp` and compares it with what was compressed.
  void verify_file(const std::string& temp, const std::string& dest, const archive::ArchiveSummary& made) {
    const int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(dest + ": cannot read back for --verify: " + std::strerror(errno));
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    archive::FileSource src(fd, dest);
    archive::ArchiveReader reader(src);
    archive::DecompressOptions opt;
    opt.threads = threads_;
    const archive::ArchiveSummary back = archive::test(reader, compress_model(), opt);
    if (back.original_size != made.original_size || back.content_xxh64 != made.content_xxh64 ||
        back.archive_size != made.archive_size) {
      throw Error(dest + ": --verify failed: the archive does not decode to the input");
    }
  }

  // Runs `code` into standard output (dest empty) or into `dest`, which appears only when
  // complete, with `like`'s permissions and times; `check` sees the finished temporary file first.
  template <typename Code>
  archive::ArchiveSummary write_output(
      const std::optional<std::string>& dest, const std::optional<struct stat>& like, Code code,
      const std::function<void(const std::string&, const archive::ArchiveSummary&)>& check = {}) {
    if (!dest) {
      BufferedFdSink out(STDOUT_FILENO, "(stdout)");
      const archive::ArchiveSummary s = code(out);
      out.flush();
      return s;
    }
    OutputFile out(*dest);
    const archive::ArchiveSummary s = code(out);
    out.flush();
    if (check) check(out.temp_path(), s);
    out.commit(like);
    return s;
  }

  void compress_one(const std::string& file) {
    const auto in_stat = stat_input(file);
    const bool to_stdout = args_.to_stdout || (file == "-" && !args_.output);
    std::string dest;
    if (to_stdout) {
      if (::isatty(STDOUT_FILENO) && !args_.force) {
        throw Error("(stdout): compressed data not written to a terminal; use -f to force (lmzip --help for help)");
      }
    } else if (args_.output) {
      dest = *args_.output;
    } else {
      if (ends_with(file, archive::kSuffix) && !args_.force) {
        throw Error(file + ": already has the " + std::string(archive::kSuffix) + " suffix; skipped (-f compresses it again)");
      }
      dest = file + std::string(archive::kSuffix);
    }
    if (!to_stdout) check_destination(file, dest);
    auto in = open_input(file);
    const auto& m = compress_model();
    archive::CompressOptions opt;
    opt.chunk_size = args_.chunk_size != 0 ? args_.chunk_size : archive::kDefaultChunkSize;
    opt.threads = threads_;
    opt.verify = args_.verify;
    const auto start = Clock::now();
    opt.progress = progress_for(in->name(), *in, start);
    const auto s = write_output(
        to_stdout ? std::nullopt : std::optional(dest), in_stat,
        [&](archive::ByteSink& out) { return archive::compress(m, *in, out, opt); },
        [&](const std::string& temp, const archive::ArchiveSummary& made) {
          if (args_.verify) verify_file(temp, dest, made);
        });
    if (!to_stdout) remove_input(file);  // --rm never removes an input whose output went to stdout
    report(in->name(), true, s, start);
  }

  void decompress_one(const std::string& file) {
    const auto in_stat = stat_input(file);
    refuse_terminal_input(file);
    const bool to_stdout = args_.to_stdout || (file == "-" && !args_.output);
    std::string dest;
    if (!to_stdout) {
      if (args_.output) {
        dest = *args_.output;
      } else if (ends_with(file, archive::kSuffix) && file.size() > archive::kSuffix.size() && file.back() != '/') {
        dest = file.substr(0, file.size() - archive::kSuffix.size());
      } else {
        throw Error(file + ": unknown suffix (not " + std::string(archive::kSuffix) + "); skipped (use -o NAME or -c)");
      }
      check_destination(file, dest);
    }
    auto in = open_input(file);
    archive::ArchiveReader reader(*in);
    const auto m = archive_model(reader);
    const auto start = Clock::now();
    const archive::DecompressOptions opt = decode_options(*in, start);
    const auto s = write_output(to_stdout ? std::nullopt : std::optional(dest), in_stat,
                                [&](archive::ByteSink& out) { return archive::decompress(reader, *m, out, opt); });
    if (!to_stdout) remove_input(file);
    report(in->name(), false, s, start);
  }

  void test_one(const std::string& file) {
    stat_input(file);
    refuse_terminal_input(file);
    auto in = open_input(file);
    archive::ArchiveReader reader(*in);
    const auto m = archive_model(reader);
    const auto start = Clock::now();
    const archive::ArchiveSummary s = archive::test(reader, *m, decode_options(*in, start));
    progress_.clear();
    if (args_.verbosity >= 2) {
      std::fprintf(stderr, "lmzip: %s: OK (%llu bytes in %llu chunks, model %s)\n", in->name().c_str(),
                   static_cast<unsigned long long>(s.original_size), static_cast<unsigned long long>(s.chunk_count),
                   s.header.model.name.c_str());
    }
  }

  void list_one(const std::string& file) {
    stat_input(file);
    refuse_terminal_input(file);
    auto in = open_input(file);
    report_.add(in->name(), archive::list(*in));
  }

  CompressArgs args_;
  unsigned threads_ = 1;
  ListReport report_;
  ProgressLine progress_;
  std::shared_ptr<const model::ByteModel> model_;

  // The model an archive needs: -m (and --tokenizer) when given, else the built-in it names.
  std::shared_ptr<const model::ByteModel> archive_model(const archive::ArchiveReader& reader) const {
    return archive::model_for_archive(reader.header(), reader.name(), args_.model, archive::kDefaultModel, open_options());
  }

  model::OpenOptions open_options() const {
    model::OpenOptions o;
    o.tokenizer = args_.tokenizer;
    return o;
  }
  bool failed_ = false;
};

}  // namespace

int run_compressor(const std::vector<std::string>& argv) {
  CompressArgs args;
  try {
    args = parse_compress_args(argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "lmzip: %s\nTry 'lmzip --help' for more information.\n", e.what());
    return 1;
  }
  if (args.help) {
    std::fputs(compress_usage().c_str(), stdout);
    return 0;
  }
  if (args.version) {
    std::printf("lmzip %s\n", lmzip::version());
    return 0;
  }
  return Compressor(std::move(args)).run();
}

}  // namespace lmzip::cli
