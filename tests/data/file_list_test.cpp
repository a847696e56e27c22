// list_files: sorted, recursive, filtered by extension inside folders, explicit files always kept.
#include <gtest/gtest.h>

#include <string>

#include "lmzip/data/dataset.h"
#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::data {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& p, std::size_t size = 3) {
  fs::create_directories(p.parent_path());
  test::write_file(p, Bytes(size, 'x'));
}

std::vector<std::string> relative_names(const std::vector<SourceFile>& files, const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.path.lexically_relative(root).generic_string());
  return out;
}

class FileListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    touch(dir / "b.png");
    touch(dir / "a.JPG");
    touch(dir / "sub/z.jpeg");
    touch(dir / "sub/deeper/c.Pgm");
    touch(dir / "sub/notes.txt", 10);
    touch(dir / "sub/sound.wav");
    touch(dir / "sub/sound2.FLAC");
    touch(dir / "x.ppm");
    touch(dir / "y.pnm");
    touch(dir / "readme");
    fs::create_directories(dir / "empty");
  }
  test::TempDir dir;
};

TEST_F(FileListTest, ImagesSortedAndFiltered) {
  DatasetSpec spec;
  spec.modality = Modality::image;
  spec.paths = {dir.path()};
  const auto files = list_files(spec);
  EXPECT_EQ(relative_names(files, dir.path()),
            (std::vector<std::string>{"a.JPG", "b.png", "sub/deeper/c.Pgm", "sub/z.jpeg", "x.ppm",
                                      "y.pnm"}));
  EXPECT_EQ(files[0].size_bytes, 3u);
}

TEST_F(FileListTest, AudioAndText) {
  DatasetSpec spec;
  spec.modality = Modality::audio;
  spec.paths = {dir / "sub"};
  EXPECT_EQ(relative_names(list_files(spec), dir.path()),
            (std::vector<std::string>{"sub/sound.wav", "sub/sound2.FLAC"}));
  spec.modality = Modality::text;  // every regular file
  const auto files = list_files(spec);
  EXPECT_EQ(relative_names(files, dir.path()),
            (std::vector<std::string>{"sub/deeper/c.Pgm", "sub/notes.txt", "sub/sound.wav",
                                      "sub/sound2.FLAC", "sub/z.jpeg"}));
  EXPECT_EQ(files[1].size_bytes, 10u);
}

TEST_F(FileListTest, ExplicitFilesAlwaysTakenAndSortedWithTheRest) {
  DatasetSpec spec;
  spec.modality = Modality::image;
  spec.paths = {dir / "sub/notes.txt", dir / "sub/deeper", dir / "b.png", dir / "b.png"};
  EXPECT_EQ(relative_names(list_files(spec), dir.path()),
            (std::vector<std::string>{"b.png", "sub/deeper/c.Pgm", "sub/notes.txt"}));
}

TEST_F(FileListTest, ErrorsNameThePath) {
  DatasetSpec spec;
  spec.modality = Modality::image;
  spec.paths = {dir / "empty"};
  try {
    list_files(spec);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
  }
  spec.paths = {dir / "does_not_exist"};
  try {
    list_files(spec);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does_not_exist"), std::string::npos) << e.what();
  }
  spec.modality = Modality::audio;
  spec.paths = {dir / "sub/deeper"};  // only a .Pgm there
  EXPECT_THROW(list_files(spec), Error);
  spec.paths.clear();
  EXPECT_THROW(list_files(spec), Error);
  spec.modality = Modality::random;
  EXPECT_TRUE(list_files(spec).empty());
}

TEST(ModalityExtension, CaseInsensitive) {
  EXPECT_TRUE(has_modality_extension(Modality::image, "a/B.PNG"));
  EXPECT_TRUE(has_modality_extension(Modality::image, "x.JpEg"));
  EXPECT_FALSE(has_modality_extension(Modality::image, "x.gif"));
  EXPECT_FALSE(has_modality_extension(Modality::image, "png"));
  EXPECT_TRUE(has_modality_extension(Modality::audio, "x.Flac"));
  EXPECT_FALSE(has_modality_extension(Modality::audio, "x.mp3"));
  EXPECT_TRUE(has_modality_extension(Modality::text, "anything"));
  EXPECT_FALSE(has_modality_extension(Modality::random, "x.txt"));
}

}  // namespace
}  // namespace lmzip::data
