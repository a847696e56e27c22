#include "lmzip/model/sha256.h"

#include <gtest/gtest.h>

#include <string_view>

#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::model {
namespace {

ByteView view(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional").
TEST(Sha256, FipsVectors) {
  EXPECT_EQ(sha256_hex(view("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(view("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),  // 448 bits
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, OneMillionAs) {
  const std::string a(1000000, 'a');
  EXPECT_EQ(sha256_hex(view(a)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, FileEqualsBuffer) {
  test::TempDir tmp;
  Bytes data(3 * (1 << 20) + 17);  // over several read blocks
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 2654435761u >> 13);
  test::write_file(tmp / "f.bin", data);
  EXPECT_EQ(sha256_file(tmp / "f.bin"), sha256_hex(data));
  test::write_file(tmp / "empty", Bytes{});
  EXPECT_EQ(sha256_file(tmp / "empty"), sha256_hex(view("")));
}

TEST(Sha256, MissingFileNamesIt) {
  test::TempDir tmp;
  try {
    sha256_file(tmp / "nope.safetensors");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.safetensors"), std::string::npos);
  }
}

}  // namespace
}  // namespace lmzip::model
