// Hostile input: every malformed image throws lmzip::Error naming the file (and key or tensor);
// nothing crashes or reads outside the image.
#include "lmzip/gguf/gguf.h"

#include <gtest/gtest.h>

#include <random>

#include "image_builder.h"
#include "lmzip/error.h"

namespace lmzip::gguf {
namespace {

using test::ImageBuilder;

// Expects from_bytes to throw an Error starting "bad.gguf: " and holding every one of `parts`.
void expect_error(const Bytes& image, std::initializer_list<std::string> parts) {
  try {
    GgufFile::from_bytes(image, "bad.gguf");
    ADD_FAILURE() << "no error; expected one mentioning " << *parts.begin();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("bad.gguf: ", 0), 0u) << msg;
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

// A valid file whose last tensor ends exactly at the end of the file (so every prefix is invalid).
Bytes small_valid_file() {
  Metadata m;
  m.emplace_back("general.architecture", Value::string("llama"));
  m.emplace_back("a.nested", Value::array(ValueType::ARRAY, {Value::array(ValueType::UINT16, {Value::u16(7)})}));
  m.emplace_back("a.flag", Value::boolean(true));
  std::vector<TensorToWrite> ts;
  ts.push_back({"q", {32}, TensorType::Q8_0, encode_tensor(std::vector<float>(32, 0.5f), TensorType::Q8_0)});
  ts.push_back({"w", {8}, TensorType::F32, encode_tensor(std::vector<float>(8, 1.0f), TensorType::F32)});
  return encode_gguf(m, ts);
}

TEST(GgufBadInput, EveryTruncationFails) {
  const Bytes full = small_valid_file();
  ASSERT_NO_THROW(GgufFile::from_bytes(full, "ok.gguf"));
  for (std::size_t n = 0; n < full.size(); ++n) {
    const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_THROW(GgufFile::from_bytes(prefix, "bad.gguf"), Error) << "prefix of " << n << " bytes";
  }
}

TEST(GgufBadInput, RandomCorruptionNeverCrashes) {
  const Bytes full = small_valid_file();
  std::mt19937 rng(99);
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    Bytes b = full;
    for (int k = 0; k < 1 + i % 4; ++k) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
    try {
      const GgufFile f = GgufFile::from_bytes(b, "fuzz.gguf");
      for (const auto& t : f.tensors()) {
        try {
          to_float32(t, "fuzz.gguf");
        } catch (const Error&) {
        }
      }
    } catch (const Error&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
}

TEST(GgufBadInput, MagicAndVersion) {
  expect_error(ImageBuilder().raw({'G', 'G', 'U', 'G'}).u32(3).u64(0).u64(0).b, {"not a GGUF file", "GGUG"});
  expect_error(ImageBuilder().header(1, 0, 0).b, {"version 1 is not supported"});
  expect_error(ImageBuilder().header(4, 0, 0).b, {"version 4 is not supported"});
  expect_error(ImageBuilder().header(0x03000000, 0, 0).b, {"byte-swapped"});
  expect_error(Bytes{}, {"truncated", "magic"});
  EXPECT_NO_THROW(GgufFile::from_bytes(ImageBuilder().header(3, 0, 0).b, "empty.gguf"));  // no keys, no tensors
}

TEST(GgufBadInput, CountsThatCannotFit) {
  expect_error(ImageBuilder().header(3, 0, 1u << 30).b, {"metadata count 1073741824 cannot fit"});
  expect_error(ImageBuilder().header(3, ~std::uint64_t{0}, 0).b, {"tensor count"});
}

TEST(GgufBadInput, StringsPastTheEnd) {
  expect_error(ImageBuilder().header(3, 0, 1).u64(1000).raw({'a', 'b', 'c', 'd', 'e', 'f'}).b, {"metadata entry 0", "runs past the end"});
  expect_error(ImageBuilder().header(3, 0, 1).key("k", 8).u64(~std::uint64_t{0} - 3).raw({'x'}).b,
               {"metadata key k", "runs past the end"});
  expect_error(ImageBuilder().header(3, 0, 1).u64(70000).u64(0).b, {"over the limit of 65535"});
  expect_error(ImageBuilder().header(3, 0, 1).key("k", 9).u32(8).u64(1u << 20).str("x").b,
               {"metadata key k", "array of 1048576 STRING runs past the end"});
}

TEST(GgufBadInput, BadKeysAndValues) {
  expect_error(ImageBuilder().header(3, 0, 2).key("k", 0).u8(1).key("k", 0).u8(2).b, {"metadata key k", "repeated"});
  expect_error(ImageBuilder().header(3, 0, 1).key("", 0).u8(1).u8(0).b, {"empty or not printable"});
  expect_error(ImageBuilder().header(3, 0, 1).key("k\x01", 0).u8(1).b, {"empty or not printable"});
  expect_error(ImageBuilder().header(3, 0, 1).key("k", 13).u8(1).b, {"metadata key k", "value type 13"});
  expect_error(ImageBuilder().header(3, 0, 1).key("k", 7).u8(2).b, {"metadata key k", "BOOL value is 2"});
  expect_error(ImageBuilder().header(3, 0, 1).key("k", 9).u32(42).u64(0).b, {"array element type 42"});
  ImageBuilder big;  // 2^22 + 1 UINT8 values: over the metadata's value limit, refused before allocating
  big.header(3, 0, 1).key("big", 9).u32(0).u64((1u << 22) + 1);
  big.b.resize(big.b.size() + (1u << 22) + 1, 0);
  expect_error(big.b, {"metadata key big", "more than 4194304 values"});
  ImageBuilder deep;
  deep.header(3, 0, 1).key("deep", 9);
  for (int i = 0; i < 70; ++i) deep.u32(9).u64(1);
  deep.u32(0).u64(0);
  expect_error(deep.b, {"metadata key deep", "nested more than 64"});
}

TEST(GgufBadInput, BadAlignment) {
  for (const std::uint32_t a : {0u, 3u, 48u, 1u << 21}) {
    expect_error(ImageBuilder().header(3, 0, 1).key("general.alignment", 4).u32(a).b,
                 {"metadata key general.alignment", "not a power of two"});
  }
  expect_error(ImageBuilder().header(3, 0, 1).key("general.alignment", 8).str("32").b,
               {"metadata key general.alignment", "not an integer"});
}

// A one-tensor file: header, the tensor info, padding to 32, then `data_bytes` zero bytes.
Bytes one_tensor(const std::string& name, std::initializer_list<std::uint64_t> dims, std::uint32_t type,
                 std::uint64_t offset, std::size_t data_bytes) {
  ImageBuilder b;
  b.header(3, 1, 0).tensor(name, dims, type, offset).pad_to(32);
  b.b.resize(b.b.size() + data_bytes, 0);
  return b.b;
}

TEST(GgufBadInput, BadTensorInfos) {
  EXPECT_NO_THROW(GgufFile::from_bytes(one_tensor("t", {4, 2}, 0, 0, 32), "ok.gguf"));
  expect_error(one_tensor("t", {std::uint64_t{1} << 32, std::uint64_t{1} << 32}, 0, 0, 32),
               {"tensor t", "more than INT64_MAX elements"});
  expect_error(one_tensor("t", {std::uint64_t{1} << 63}, 24, 0, 32), {"tensor t", "more than INT64_MAX"});
  expect_error(one_tensor("t", {std::uint64_t{1} << 62}, 0, 0, 32), {"tensor t", "too large"});
  expect_error(one_tensor("t", {4, 2}, 0, 1u << 20, 32), {"tensor t", "past the end of the data section"});
  expect_error(one_tensor("t", {4, 2}, 0, 0, 31), {"tensor t", "data [0, 32)", "runs past the end of the data section (31 bytes)"});
  expect_error(one_tensor("t", {4, 2}, 0, ~std::uint64_t{31}, 32), {"tensor t", "past the end"});
  expect_error(one_tensor("t", {4}, 0, 16, 64), {"tensor t", "offset 16 is not a multiple of the alignment 32"});
  expect_error(one_tensor("t", {33}, 8, 0, 64), {"tensor t", "blocks of 32", "dims[0] is 33"});
  expect_error(one_tensor("t", {1, 1, 1, 1, 1}, 0, 0, 32), {"tensor t", "5 dimensions"});
  expect_error(one_tensor("", {4}, 0, 0, 32), {"tensor 0", "name is empty"});
  expect_error(one_tensor(std::string(65, 'n'), {4}, 0, 0, 32), {"tensor 0", "over the limit of 64"});
  EXPECT_NO_THROW(GgufFile::from_bytes(one_tensor(std::string(64, 'n'), {4}, 0, 0, 32), "ok.gguf"));
  // The padding before the data section is missing.
  expect_error(ImageBuilder().header(3, 1, 0).tensor("t", {0}, 0, 0).b, {"padding before the data section"});
}

TEST(GgufBadInput, DuplicateAndOverlappingTensors) {
  ImageBuilder dup;
  dup.header(3, 2, 0).tensor("t", {4}, 0, 0).tensor("t", {4}, 0, 32).pad_to(32);
  dup.b.resize(dup.b.size() + 64, 0);
  expect_error(dup.b, {"tensor t", "name is repeated"});
  ImageBuilder overlap;
  overlap.header(3, 2, 0).tensor("a", {16}, 0, 0).tensor("b", {4}, 0, 32).pad_to(32);
  overlap.b.resize(overlap.b.size() + 64, 0);
  expect_error(overlap.b, {"tensor b", "overlaps tensor a"});
}

TEST(GgufBadInput, UnknownTypeIsAcceptedUntilConverted) {
  const GgufFile f = GgufFile::from_bytes(one_tensor("odd", {5, 3}, 1000, 0, 0), "u.gguf");
  ASSERT_EQ(f.tensors().size(), 1u);
  try {
    to_float32(f.tensors()[0], "u.gguf");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "u.gguf: tensor odd: type 1000 is not supported (F32, F16, BF16, Q8_0 are)");
  }
  // Its offset is still checked.
  expect_error(one_tensor("odd", {5}, 1000, 64, 32), {"tensor odd", "past the end of the data section"});
}

}  // namespace
}  // namespace lmzip::gguf
