#include "lmzip/common/file_io.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip {
namespace {

namespace fs = std::filesystem;

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(AtomicFile, CommitReplacesTheDestination) {
  test::TempDir tmp;
  const auto path = tmp / "out.bin";
  test::write_file(path, Bytes{1, 2, 3});
  {
    AtomicFile f(path);
    f.write(Bytes{9, 8});
    EXPECT_EQ(test::read_file(path), (Bytes{1, 2, 3})) << "the old file stays until commit";
    f.write(Bytes{7});
    f.commit();
  }
  EXPECT_EQ(test::read_file(path), (Bytes{9, 8, 7}));
  EXPECT_EQ(entries(tmp.path()), 1u) << "no temporary file left";
}

TEST(AtomicFile, NoCommitLeavesNothingBehind) {
  test::TempDir tmp;
  const auto path = tmp / "out.bin";
  try {
    AtomicFile f(path);
    f.write(Bytes(100, 0x55));
    throw Error("simulated failure");
  } catch (const Error&) {
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(entries(tmp.path()), 0u);
}

TEST(AtomicFile, MissingFolderNamesTheFile) {
  test::TempDir tmp;
  try {
    AtomicFile f(tmp / "no" / "such" / "report.json");
    FAIL() << "expected lmzip::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("report.json"), std::string::npos) << e.what();
  }
}

TEST(WriteFileAtomically, WritesContent) {
  test::TempDir tmp;
  write_file_atomically(tmp / "a.txt", "hello\n");
  EXPECT_EQ(test::read_file(tmp / "a.txt"), (Bytes{'h', 'e', 'l', 'l', 'o', '\n'}));
  EXPECT_EQ(read_whole_file(tmp / "a.txt").size(), 6u);
  EXPECT_THROW(read_whole_file(tmp / "missing.txt"), Error);
}

}  // namespace
}  // namespace lmzip
