// CLI behaviour as data: every tests/cli/cases/*.case file is one run of the lmzip program with
// its expected exit status, stdout/stderr fragments and files. Format (one directive a line,
// '#' starts a comment; @TMP@ = a fresh folder, @SHARED@ = ../shared/data, @SRC@ = the checkout):
//   needs-shared                 skip the case when ../shared/data is absent
//   mkdir: PATH                  create a folder before the run
//   write: PATH TEXT...          create a file holding TEXT before the run
//   truncate: SRC DST N          copy the first N bytes of SRC to DST before the run
//   args: ARG ARG...             the command line (split on spaces)
//   exit: N                      expected exit status
//   stdout: TEXT / stderr: TEXT  the stream must contain TEXT (repeatable)
//   stdout-empty / stderr-empty  the stream must be empty
//   absent: PATH / present: PATH the file must not / must exist after the run
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
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

std::string shell_quote(const std::string& s) { return "'" + replace_all(s, "'", "'\\''") + "'"; }

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

  std::string cmd = shell_quote(LMZIP_BINARY);
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
      std::ofstream(path, std::ios::binary) << text;
    } else if (key == "truncate") {
      std::string src, dst;
      std::size_t n = 0;
      words >> src >> dst >> n;
      std::string content = slurp(src);
      ASSERT_GE(content.size(), n) << src;
      std::ofstream(dst, std::ios::binary) << content.substr(0, n);
    } else if (key == "args") {
      std::string arg;
      while (words >> arg) cmd += " " + shell_quote(arg);
    } else if (key == "exit") {
      expected_exit = std::stoi(value);
    }
  }
  const fs::path out = tmp / ".stdout", err = tmp / ".stderr";
  cmd += " </dev/null >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
  int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << cmd;
  const std::string so = slurp(out), se = slurp(err);
  EXPECT_EQ(WEXITSTATUS(status), expected_exit) << cmd << "\nstdout:\n" << so << "\nstderr:\n" << se;
  for (const auto& [key, value] : lines) {
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
