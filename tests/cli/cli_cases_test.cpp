// CLI behaviour as data: every tests/cli/cases/*.case file is one run of the lmzip program with
// its expected exit status, stdout/stderr fragments and files. Format (one directive a line,
// '#' starts a comment; @TMP@ = a fresh folder, @SHARED@ = ../shared/data, @SRC@ = the checkout).
// Set-up directives run in file order before the main run:
//   needs-shared                 skip the case when ../shared/data is absent
//   mkdir: PATH                  create a folder
//   write: PATH TEXT...          create a file holding TEXT
//   write-repeat: PATH N TEXT... create a file of N bytes: TEXT repeated (with a newline after each)
//   write-random: PATH N SEED    create a file of N pseudo-random bytes
//   truncate: SRC DST N          copy the first N bytes of SRC to DST (N < 0: all but the last -N)
//   flip: PATH OFFSET            invert the byte at OFFSET (OFFSET < 0: counted from the end)
//   chmod: PATH MODE             set permission bits (octal)
//   run: ARG ARG...              run lmzip with these arguments first; it must exit 0
// The main run:
//   args: ARG ARG...             the command line (split on spaces)
//   stdin: PATH                  its standard input (default /dev/null)
//   stdin-pipe                   its standard input is a pipe that stays open (never ends)
//   stdin-pipe: PATH             its standard input is a pipe that delivers PATH, then ends
//   stdin-pipe-open: PATH        ... that delivers PATH and then stays open
//   stdout-terminal              its standard output is a pseudo-terminal
//   interrupt-when-temp: DIR     send SIGINT once DIR holds a temporary output (".*.lmzip-tmp-*")
// Checks after the main run:
//   exit: N                      expected exit status
//   stdout: TEXT / stderr: TEXT  the stream must contain TEXT (repeatable)
//   stdout-empty / stderr-empty  the stream must be empty
//   absent: PATH / present: PATH the file must not / must exist
//   same: PATH PATH              the two files must hold the same bytes (@TMP@/.stdout is stdout)
//   mode: PATH MODE              the file's permission bits must be MODE (octal)
//   no-temp: DIR                 DIR holds no temporary output file (".*.lmzip-tmp-*")
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

#ifdef LMZIP_BINARY

namespace lmzip::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> case_files() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(fs::path(LMZIP_SOURCE_DIR) / "tests" / "cli" / "cases")) {
    if (e.path().extension() == ".case") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& content) { std::ofstream(p, std::ios::binary) << content; }

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

struct RunSpec {
  std::vector<std::string> args;
  std::string stdin_path = "/dev/null";
  bool stdin_pipe = false;
  std::string stdin_pipe_content;  // written to the pipe, which is then closed unless keep_open
  bool keep_open = false;
  bool stdout_terminal = false;
  std::string interrupt_when_temp;  // a folder to watch
  fs::path stdout_path, stderr_path;
};

bool has_temp_file(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename().string().find(".lmzip-tmp-") != std::string::npos) return true;
  }
  return false;
}

// Runs the lmzip binary; @return its wait status (or -1 if it could not start or hung).
int run_lmzip(const RunSpec& spec) {
  int pipe_fds[2] = {-1, -1};
  if (spec.stdin_pipe && ::pipe(pipe_fds) != 0) return -1;
  int master = -1;
  std::string slave_name;
  if (spec.stdout_terminal) {
    master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) return -1;
    slave_name = ::ptsname(master);
  }
  std::vector<std::string> argv_s = {LMZIP_BINARY};
  argv_s.insert(argv_s.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int in = spec.stdin_pipe ? pipe_fds[0] : ::open(spec.stdin_path.c_str(), O_RDONLY);
    int out = spec.stdout_terminal ? ::open(slave_name.c_str(), O_RDWR | O_NOCTTY)
                                   : ::open(spec.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(spec.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (spec.stdin_pipe) ::close(pipe_fds[1]);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::thread feeder;
  if (spec.stdin_pipe) {
    ::close(pipe_fds[0]);
    if (!spec.stdin_pipe_content.empty()) {
      feeder = std::thread([&] {
        ::signal(SIGPIPE, SIG_IGN);  // the child may stop reading early
        const char* p = spec.stdin_pipe_content.data();
        std::size_t left = spec.stdin_pipe_content.size();
        while (left > 0) {
          const ssize_t n = ::write(pipe_fds[1], p, left);
          if (n <= 0) break;
          p += n;
          left -= static_cast<std::size_t>(n);
        }
        if (!spec.keep_open) {
          ::close(pipe_fds[1]);
          pipe_fds[1] = -1;
        }
      });
    }
  }
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  bool interrupted = false;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    if (!interrupted && !spec.interrupt_when_temp.empty() && has_temp_file(spec.interrupt_when_temp)) {
      ::kill(pid, SIGINT);
      interrupted = true;
    }
    if (ms > 60000) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      status = -1;
      break;
    }
    if (master >= 0) {  // drain the terminal so the child never blocks on it
      char buf[4096];
      ::fcntl(master, F_SETFL, O_NONBLOCK);
      while (::read(master, buf, sizeof buf) > 0) {
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (feeder.joinable()) feeder.join();
  if (spec.stdin_pipe && pipe_fds[1] >= 0) ::close(pipe_fds[1]);
  if (master >= 0) ::close(master);
  return status;
}

class CliCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CliCase, Behaves) {
  const fs::path file = fs::path(LMZIP_SOURCE_DIR) / "tests" / "cli" / "cases" / (GetParam() + ".case");
  std::ifstream in(file);
  ASSERT_TRUE(in) << file;
  TempDir tmp;
  auto shared = shared_data_dir();
  std::vector<std::pair<std::string, std::string>> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto colon = line.find(':');
    std::string key = colon == std::string::npos ? line : line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (key == "needs-shared" && !shared) GTEST_SKIP() << "../shared/data not found; skipped";
    value = replace_all(value, "@TMP@", tmp.path().string());
    value = replace_all(value, "@SRC@", LMZIP_SOURCE_DIR);
    if (shared) value = replace_all(value, "@SHARED@", shared->string());
    lines.emplace_back(key, value);
  }

  const fs::path out = tmp / ".stdout", err = tmp / ".stderr";
  RunSpec main_run;
  main_run.stdout_path = out;
  main_run.stderr_path = err;
  int expected_exit = 0;
  for (const auto& [key, value] : lines) {
    std::istringstream words(value);
    if (key == "mkdir") {
      fs::create_directories(value);
    } else if (key == "write") {
      std::string path;
      words >> path;
      std::string text;
      std::getline(words, text);
      if (!text.empty() && text[0] == ' ') text.erase(0, 1);
      spit(path, text);
    } else if (key == "write-repeat") {
      std::string path, text;
      std::size_t n = 0;
      words >> path >> n;
      std::getline(words, text);
      if (!text.empty() && text[0] == ' ') text.erase(0, 1);
      std::string content;
      while (content.size() < n) content += text + "\n";
      spit(path, content.substr(0, n));
    } else if (key == "write-random") {
      std::string path;
      std::size_t n = 0;
      unsigned seed = 0;
      words >> path >> n >> seed;
      std::mt19937 rng(seed);
      std::string content(n, '\0');
      for (auto& c : content) c = static_cast<char>(rng());
      spit(path, content);
    } else if (key == "truncate") {
      std::string src, dst;
      long long n = 0;
      words >> src >> dst >> n;
      std::string content = slurp(src);
      const long long keep = n >= 0 ? n : static_cast<long long>(content.size()) + n;
      ASSERT_GE(keep, 0) << src;
      ASSERT_GE(static_cast<long long>(content.size()), keep) << src;
      spit(dst, content.substr(0, static_cast<std::size_t>(keep)));
    } else if (key == "flip") {
      std::string path;
      long long offset = 0;
      words >> path >> offset;
      std::string content = slurp(path);
      const long long pos = offset >= 0 ? offset : static_cast<long long>(content.size()) + offset;
      ASSERT_TRUE(pos >= 0 && pos < static_cast<long long>(content.size())) << "flip: " << value;
      content[static_cast<std::size_t>(pos)] = static_cast<char>(~content[static_cast<std::size_t>(pos)]);
      spit(path, content);
    } else if (key == "chmod") {
      std::string path, mode;
      words >> path >> mode;
      fs::permissions(path, static_cast<fs::perms>(std::stoi(mode, nullptr, 8)));
    } else if (key == "run") {
      RunSpec pre;
      pre.args = split_words(value);
      pre.stdout_path = tmp / ".setup-stdout";
      pre.stderr_path = tmp / ".setup-stderr";
      const int status = run_lmzip(pre);
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "set-up run failed: lmzip " << value << "\n" << slurp(pre.stderr_path);
    } else if (key == "args") {
      main_run.args = split_words(value);
    } else if (key == "stdin") {
      main_run.stdin_path = value;
    } else if (key == "stdin-pipe") {
      main_run.stdin_pipe = true;
      if (!value.empty()) main_run.stdin_pipe_content = slurp(value);
    } else if (key == "stdin-pipe-open") {
      main_run.stdin_pipe = true;
      main_run.keep_open = true;
      main_run.stdin_pipe_content = slurp(value);
    } else if (key == "stdout-terminal") {
      main_run.stdout_terminal = true;
    } else if (key == "interrupt-when-temp") {
      main_run.interrupt_when_temp = value;
    } else if (key == "exit") {
      expected_exit = std::stoi(value);
    }
  }
  const int status = run_lmzip(main_run);
  std::string cmd = "lmzip";
  for (const auto& a : main_run.args) cmd += " " + a;
  ASSERT_TRUE(status != -1 && WIFEXITED(status)) << cmd << " (status " << status << ")";
  const std::string so = slurp(out), se = slurp(err);
  EXPECT_EQ(WEXITSTATUS(status), expected_exit) << cmd << "\nstdout:\n" << so << "\nstderr:\n" << se;
  for (const auto& [key, value] : lines) {
    std::istringstream words(value);
    if (key == "stdout") {
      EXPECT_NE(so.find(value), std::string::npos) << "stdout lacks '" << value << "':\n" << so;
    } else if (key == "stderr") {
      EXPECT_NE(se.find(value), std::string::npos) << "stderr lacks '" << value << "':\n" << se;
    } else if (key == "stdout-empty") {
      EXPECT_EQ(so, "");
    } else if (key == "stderr-empty") {
      EXPECT_EQ(se, "");
    } else if (key == "absent") {
      EXPECT_FALSE(fs::exists(value)) << value;
    } else if (key == "present") {
      EXPECT_TRUE(fs::exists(value)) << value;
    } else if (key == "same") {
      std::string a, b;
      words >> a >> b;
      ASSERT_TRUE(fs::exists(a)) << a;
      ASSERT_TRUE(fs::exists(b)) << b;
      EXPECT_TRUE(slurp(a) == slurp(b)) << a << " and " << b << " differ";
    } else if (key == "mode") {
      std::string path, mode;
      words >> path >> mode;
      struct stat st;
      ASSERT_EQ(::stat(path.c_str(), &st), 0) << path;
      EXPECT_EQ(st.st_mode & 07777, static_cast<unsigned>(std::stoi(mode, nullptr, 8))) << path;
    } else if (key == "no-temp") {
      for (const auto& e : fs::directory_iterator(value)) {
        EXPECT_EQ(e.path().filename().string().find(".lmzip-tmp-"), std::string::npos) << "left behind: " << e.path();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, CliCase, ::testing::ValuesIn(case_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return n;
                         });

}  // namespace
}  // namespace lmzip::test

#endif  // LMZIP_BINARY
