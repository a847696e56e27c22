#include "lmzip/model/open_model.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "lmzip/archive/defaults.h"
#include "lmzip/error.h"
#include "lmzip/model/sha256.h"
#include "test_support.h"

namespace lmzip::model {
namespace {

TEST(OpenModel, BuiltinNames) {
  const auto names = builtin_model_names();
  std::vector<std::string> expected = embedded_model_names();
  ASSERT_FALSE(expected.empty());
  EXPECT_NE(std::find(expected.begin(), expected.end(), "lmzip-200k"), expected.end())
      << "the first default model stays embedded: its archives decode without a file";
  for (const char* n : {"order0", "order1", "order2"}) expected.push_back(n);
  ASSERT_EQ(names, expected);
  for (const auto& n : names) {
    auto m = open_model(n);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->identity().name, n);
  }
}

TEST(OpenModel, EmbeddedModelsAreTheShippedFilesByteForByte) {
  for (const auto& name : embedded_model_names()) {
    const auto file = std::filesystem::path(LMZIP_SOURCE_DIR) / "models" / name / "model.safetensors";
    const Bytes bytes = test::read_file(file);
    const auto embedded = open_model(name);
    const auto from_file = open_model(file.string());
    EXPECT_EQ(embedded->identity().sha256, sha256_hex(bytes)) << name << ": the archive identity is the file's SHA-256";
    EXPECT_EQ(embedded->identity().sha256, from_file->identity().sha256) << name;
    EXPECT_EQ(embedded->identity().parameters, from_file->identity().parameters) << name;
    EXPECT_EQ(embedded->identity().context, 2048u) << name;
  }
  EXPECT_EQ(open_model("lmzip-200k")->identity().parameters, 232128u);
}

TEST(OpenModel, TheDefaultModelIsTheFirstEmbeddedOne) {
  EXPECT_EQ(embedded_model_name(), archive::kDefaultModel);
  EXPECT_EQ(embedded_model_names().front(), embedded_model_name());
}

TEST(OpenModel, UnknownNameListsTheBuiltinModels) {
  try {
    open_model("order9");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("order9"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("order2"), std::string::npos) << e.what();
  }
}

TEST(OpenModel, AFileThatIsNoModelFailsNamingIt) {
  test::TempDir tmp;
  const auto path = tmp / "not-a-model.bin";
  test::write_file(path, Bytes{1, 2, 3});
  try {
    open_model(path.string());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lmzip::model
