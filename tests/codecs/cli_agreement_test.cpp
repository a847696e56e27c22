// Agreement with the command-line tools that the codecs stand for (gzip -9 -n, xz -6, xz -9e,
// bzip2 -9, zstd -19 --no-check), on two Canterbury texts. Each test is skipped, with the reason,
// when the tool or the data file is missing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "lmzip/codecs/registry.h"
#include "test_support.h"

namespace lmzip::codecs {
namespace {

namespace fs = std::filesystem;

// Runs a shell command and returns its standard output, or nullopt if it failed.
std::optional<Bytes> run_capture(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  Bytes out;
  std::uint8_t buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.insert(out.end(), buffer, buffer + n);
  int status = ::pclose(pipe);
  if (status != 0) return std::nullopt;
  return out;
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

class CliAgreement : public ::testing::Test {
 protected:
  // The Canterbury text `file`, or skips; the tool at /usr/bin/<tool>, or skips.
  std::optional<fs::path> text_file(const std::string& file) {
    auto dir = test::shared_data_dir();
    if (!dir) return std::nullopt;
    fs::path path = *dir / "text" / "canterbury" / file;
    if (!fs::exists(path)) return std::nullopt;
    return path;
  }

  static bool have_tool(const std::string& tool) { return fs::exists("/usr/bin/" + tool); }

  // Compares the codec's output with `<tool_command> -c FILE` on alice29 and lcet10: identical
  // bytes if `identical`, else sizes within 0.5%. Both decoders must read the other's stream.
  void compare(const std::string& codec_name, const std::string& tool, const std::string& flags,
               const std::string& decode_flags, bool identical) {
    if (!have_tool(tool)) GTEST_SKIP() << "/usr/bin/" << tool << " not installed; skipped";
    auto codec = Registry::builtin().create(codec_name);
    for (const char* file : {"alice29.txt", "lcet10.txt"}) {
      auto path = text_file(file);
      if (!path) GTEST_SKIP() << file << " not found in ../shared/data/text/canterbury; skipped";
      SCOPED_TRACE(codec_name + " vs " + tool + " " + flags + " on " + std::string(file));
      Bytes raw = test::read_file(*path);
      Bytes ours = codec->compress(raw);
      auto theirs = run_capture("/usr/bin/" + tool + " " + flags + " -c " + quoted(*path));
      ASSERT_TRUE(theirs.has_value()) << tool << " failed";
      if (identical) {
        EXPECT_EQ(ours.size(), theirs->size());
        EXPECT_TRUE(ours == *theirs) << "outputs differ";
      } else {
        double relative = std::abs(static_cast<double>(ours.size()) - static_cast<double>(theirs->size())) /
                          static_cast<double>(theirs->size());
        EXPECT_LT(relative, 0.005) << "ours " << ours.size() << " bytes, " << tool << " " << theirs->size();
      }
      EXPECT_EQ(codec->decompress(*theirs, raw.size()), raw) << "our decoder on the tool's stream";
      test::TempDir dir;
      fs::path packed_path = dir / "packed";
      test::write_file(packed_path, ours);
      auto decoded = run_capture("/usr/bin/" + tool + " " + decode_flags + " -c " + quoted(packed_path));
      ASSERT_TRUE(decoded.has_value()) << tool << " could not decode our stream";
      EXPECT_TRUE(*decoded == raw) << tool << " decoded our stream to different bytes";
    }
  }
};

TEST_F(CliAgreement, GzipWithinHalfAPercentOfGzip9n) { compare("gzip", "gzip", "-9 -n", "-d", false); }

TEST_F(CliAgreement, XzIdenticalToXz6) { compare("xz", "xz", "-6", "-d", true); }

TEST_F(CliAgreement, XzExtremeIdenticalToXz9e) { compare("xz-9e", "xz", "-9e", "-d", true); }

TEST_F(CliAgreement, Bzip2IdenticalToBzip2Minus9) { compare("bzip2", "bzip2", "-9", "-d", true); }

TEST_F(CliAgreement, ZstdIdenticalToZstd19WithoutChecksum) {
  compare("zstd", "zstd", "-q -19 --no-check", "-q -d", true);
}

}  // namespace
}  // namespace lmzip::codecs
