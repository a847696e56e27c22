#include "lmzip/common/checksum.h"

#include <gtest/gtest.h>

#include <string>

#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip {
namespace {

ByteView view(const std::string& s) { return ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

TEST(Checksum, Xxh64KnownValues) {
  // XXH64 test vectors from the xxHash specification (seed 0).
  EXPECT_EQ(xxh64(view("")), 0xEF46DB3751D8E999ull);
  EXPECT_EQ(to_hex64(xxh64(view(""))), "ef46db3751d8e999");
  EXPECT_EQ(to_hex64(0x1), "0000000000000001");
}

TEST(Checksum, IncrementalEqualsOneShotAndFile) {
  std::string text(100000, 'x');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + (i * 7919) % 26);
  Xxh64 h;
  h.update(view(text.substr(0, 12345)));
  h.update(view(text.substr(12345)));
  EXPECT_EQ(h.digest(), xxh64(view(text)));
  test::TempDir tmp;
  test::write_file(tmp / "t.txt", view(text));
  EXPECT_EQ(xxh64_file(tmp / "t.txt"), xxh64(view(text)));
  EXPECT_THROW(xxh64_file(tmp / "missing"), Error);
}

}  // namespace
}  // namespace lmzip
