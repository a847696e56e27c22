#include "lmzip/model/open_model.h"

#include <gtest/gtest.h>

#include "lmzip/error.h"
#include "lmzip/model/sha256.h"
#include "test_support.h"

namespace lmzip::model {
namespace {

TEST(OpenModel, BuiltinNames) {
  const auto names = builtin_model_names();
  ASSERT_EQ(names, (std::vector<std::string>{"lmzip-200k", "order0", "order1", "order2"}));
  for (const auto& n : names) {
    auto m = open_model(n);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->identity().name, n);
  }
}

TEST(OpenModel, EmbeddedModelIsTheShippedFileByteForByte) {
  const auto file = std::filesystem::path(LMZIP_SOURCE_DIR) / "models" / "lmzip-200k" / "model.safetensors";
  const Bytes bytes = test::read_file(file);
  const auto embedded = open_model(embedded_model_name());
  const auto from_file = open_model(file.string());
  EXPECT_EQ(embedded->identity().sha256, sha256_hex(bytes)) << "the archive identity is the shipped file's SHA-256";
  EXPECT_EQ(embedded->identity().sha256, from_file->identity().sha256);
  EXPECT_EQ(embedded->identity().parameters, 232128u);
  EXPECT_EQ(embedded->identity().context, 2048u);
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
