// Writer -> reader round trips: metadata of every type (nested arrays, strings), tensors of every
// encodable type, through memory and through a file.
#include "lmzip/gguf/gguf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::gguf {
namespace {

Metadata every_type() {
  Metadata m;
  m.emplace_back("general.architecture", Value::string("llama"));
  m.emplace_back("t.u8", Value::u8(255));
  m.emplace_back("t.i8", Value::i8(-128));
  m.emplace_back("t.u16", Value::u16(65535));
  m.emplace_back("t.i16", Value::i16(-32768));
  m.emplace_back("t.u32", Value::u32(4294967295u));
  m.emplace_back("t.i32", Value::i32(std::numeric_limits<std::int32_t>::min()));
  m.emplace_back("t.u64", Value::u64(std::numeric_limits<std::uint64_t>::max()));
  m.emplace_back("t.i64", Value::i64(std::numeric_limits<std::int64_t>::min()));
  m.emplace_back("t.f32", Value::f32(-1.5e-7f));
  m.emplace_back("t.f64", Value::f64(3.141592653589793));
  m.emplace_back("t.true", Value::boolean(true));
  m.emplace_back("t.false", Value::boolean(false));
  m.emplace_back("t.empty_string", Value::string(""));
  m.emplace_back("t.bytes", Value::string(std::string("a\0b\xff\xfe", 5)));
  m.emplace_back("t.strings", Value::array(ValueType::STRING, {Value::string("<s>"), Value::string(""), Value::string("é")}));
  m.emplace_back("t.floats", Value::array(ValueType::FLOAT32, {Value::f32(0.5f), Value::f32(-0.0f), Value::f32(INFINITY)}));
  m.emplace_back("t.empty_array", Value::array(ValueType::INT64, {}));
  m.emplace_back("t.nested", Value::array(ValueType::ARRAY, {
      Value::array(ValueType::INT32, {Value::i32(1), Value::i32(-2)}),
      Value::array(ValueType::STRING, {Value::string("x")}),
      Value::array(ValueType::ARRAY, {Value::array(ValueType::BOOL, {Value::boolean(true)})}),
  }));
  m.emplace_back("t.bools", Value::array(ValueType::BOOL, {Value::boolean(false), Value::boolean(true)}));
  return m;
}

std::vector<float> random_values(std::size_t n, float scale, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

TEST(GgufRoundTrip, MetadataOfEveryType) {
  const Metadata m = every_type();
  const GgufFile f = GgufFile::from_bytes(encode_gguf(m, {}), "meta.gguf");
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.alignment(), 32u);
  ASSERT_EQ(f.metadata().size(), m.size());
  for (std::size_t i = 0; i < m.size(); ++i) {
    EXPECT_EQ(f.metadata()[i].first, m[i].first);
    EXPECT_EQ(f.metadata()[i].second, m[i].second) << m[i].first;
  }
  EXPECT_TRUE(f.tensors().empty());
  EXPECT_EQ(f.find("t.u8")->as_uint(), 255u);
  EXPECT_EQ(f.find("t.i8")->as_int(), -128);
  EXPECT_EQ(f.find("t.u64")->as_uint(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(f.find("t.f32")->as_float(), static_cast<double>(-1.5e-7f));
  EXPECT_EQ(f.find("t.bytes")->as_string(), std::string("a\0b\xff\xfe", 5));
  EXPECT_EQ(f.find("t.nested")->as_array()[2].as_array()[0].as_array()[0].as_bool(), true);
  EXPECT_EQ(f.find("t.nested")->as_array()[2].element_type, ValueType::ARRAY);
  EXPECT_EQ(f.find("t.nested")->as_array()[2].as_array()[0].element_type, ValueType::BOOL);
  EXPECT_EQ(f.find("t.empty_array")->element_type, ValueType::INT64);
  EXPECT_EQ(f.find("missing"), nullptr);
  EXPECT_EQ(f.get_string("general.architecture"), "llama");
  EXPECT_EQ(f.get_uint("t.u16"), 65535u);
  EXPECT_EQ(f.get_int("t.u32"), 4294967295);
  EXPECT_TRUE(f.get_bool("t.true"));
  EXPECT_DOUBLE_EQ(f.get_float("t.f64"), 3.141592653589793);
}

TEST(GgufRoundTrip, ValueAccessorsCheckTypes) {
  EXPECT_EQ(Value::i16(7).as_uint(), 7u);
  EXPECT_EQ(Value::u8(7).as_int(), 7);
  EXPECT_THROW(Value::i8(-1).as_uint(), Error);
  EXPECT_THROW(Value::u64(std::uint64_t{1} << 63).as_int(), Error);
  EXPECT_THROW(Value::string("7").as_uint(), Error);
  EXPECT_THROW(Value::f32(1).as_int(), Error);
  EXPECT_THROW(Value::u32(1).as_float(), Error);
  EXPECT_THROW(Value::u8(1).as_bool(), Error);
  EXPECT_THROW(Value::u8(1).as_string(), Error);
  EXPECT_THROW(Value::string("").as_array(), Error);
  EXPECT_THROW(Value::array(ValueType::INT32, {Value::i64(1)}), Error);
  const GgufFile f = GgufFile::from_bytes(encode_gguf(every_type(), {}), "meta.gguf");
  try {
    f.get_uint("general.architecture");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "meta.gguf: metadata key general.architecture: metadata value is STRING, not an integer");
  }
  try {
    f.require("llama.block_count");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "meta.gguf: metadata key llama.block_count is missing");
  }
}

TEST(GgufRoundTrip, TensorsOfEveryEncodableType) {
  const auto v = random_values(64 * 3, 0.7f, 1);
  std::vector<TensorToWrite> ts;
  ts.push_back({"f32", {64, 3}, TensorType::F32, encode_tensor(v, TensorType::F32)});
  ts.push_back({"f16", {64, 3}, TensorType::F16, encode_tensor(v, TensorType::F16)});
  ts.push_back({"bf16", {64, 3}, TensorType::BF16, encode_tensor(v, TensorType::BF16)});
  ts.push_back({"q8_0", {64, 3}, TensorType::Q8_0, encode_tensor(v, TensorType::Q8_0)});
  ts.push_back({"scalar", {}, TensorType::F32, encode_tensor(std::vector<float>{2.5f}, TensorType::F32)});
  ts.push_back({"empty", {0, 4}, TensorType::F16, {}});
  ts.push_back({"odd", {3}, TensorType::F16, encode_tensor(std::vector<float>{1, 2, 3}, TensorType::F16)});
  for (const std::uint64_t alignment : {8u, 32u, 64u, 4096u}) {
    const Bytes image = encode_gguf({{"general.name", Value::string("t")}}, ts, alignment);
    EXPECT_EQ(image.size() % alignment, 0u);
    const GgufFile f = GgufFile::from_bytes(image, "t.gguf");
    EXPECT_EQ(f.alignment(), alignment);
    EXPECT_EQ(f.metadata().size(), alignment == 32 ? 1u : 2u);  // general.alignment added when not 32
    ASSERT_EQ(f.tensors().size(), ts.size());
    for (std::size_t i = 0; i < ts.size(); ++i) {
      const TensorInfo& t = f.tensors()[i];
      EXPECT_EQ(t.name, ts[i].name);
      EXPECT_EQ(t.dims, ts[i].dims);
      EXPECT_EQ(t.type, ts[i].type);
      EXPECT_EQ(t.offset % alignment, 0u);
      EXPECT_EQ(Bytes(t.data.begin(), t.data.end()), ts[i].data) << t.name;
      EXPECT_EQ((f.data_start() + t.offset) % alignment, 0u);
      EXPECT_EQ(f.find_tensor(t.name), &t);
    }
    EXPECT_EQ(f.find_tensor("nope"), nullptr);
    const std::string label = "t.gguf";
    EXPECT_EQ(to_float32(*f.find_tensor("f32"), label), v);  // bit-exact
    const auto f16 = to_float32(*f.find_tensor("f16"), label);
    const auto bf16 = to_float32(*f.find_tensor("bf16"), label);
    for (std::size_t i = 0; i < v.size(); ++i) {
      EXPECT_EQ(f16[i], half_to_float(float_to_half(v[i])));
      EXPECT_EQ(bf16[i], bf16_to_float(float_to_bf16(v[i])));
      EXPECT_LE(std::fabs(f16[i] - v[i]), std::fabs(v[i]) * 0x1p-11f + 0x1p-25f);
      EXPECT_LE(std::fabs(bf16[i] - v[i]), std::fabs(v[i]) * 0x1p-8f);
    }
    EXPECT_EQ(to_float32(*f.find_tensor("scalar"), label), std::vector<float>{2.5f});
    EXPECT_EQ(to_float32(*f.find_tensor("odd"), label), (std::vector<float>{1, 2, 3}));
    EXPECT_TRUE(to_float32(*f.find_tensor("empty"), label).empty());
    EXPECT_EQ(f.find_tensor("empty")->element_count(), 0u);
    EXPECT_EQ(f.find_tensor("f32")->element_count(), 192u);
  }
}

TEST(GgufRoundTrip, ThroughAFile) {
  lmzip::test::TempDir dir;
  const auto v = random_values(32, 1.0f, 2);
  const std::vector<TensorToWrite> ts{{"w", {32}, TensorType::Q8_0, encode_tensor(v, TensorType::Q8_0)}};
  write_gguf(dir / "m.gguf", every_type(), ts);
  GgufFile f(dir / "m.gguf");
  EXPECT_EQ(f.path(), dir / "m.gguf");
  EXPECT_EQ(Bytes(f.bytes().begin(), f.bytes().end()), encode_gguf(every_type(), ts));
  GgufFile moved = std::move(f);
  const auto y = to_float32(*moved.find_tensor("w"), moved.path().string());
  ASSERT_EQ(y.size(), v.size());
  EXPECT_EQ(moved.find("t.strings")->as_array()[2].as_string(), "é");
  try {
    GgufFile missing(dir / "none.gguf");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("none.gguf"), std::string::npos);
  }
}

TEST(GgufRoundTrip, WriterRejectsBadInput) {
  const Bytes four = encode_tensor(std::vector<float>{1, 2, 3, 4}, TensorType::F32);
  const auto bad = [&](const Metadata& m, const std::vector<TensorToWrite>& ts, std::uint64_t a = 32) {
    EXPECT_THROW(encode_gguf(m, ts, a), Error);
  };
  bad({{"", Value::u8(1)}}, {});
  bad({{"k\n", Value::u8(1)}}, {});
  bad({{"k", Value::u8(1)}, {"k", Value::u8(2)}}, {});
  bad({{std::string(65536, 'k'), Value::u8(1)}}, {});
  Value v = Value::u8(1);
  v.v = std::uint64_t{256};
  bad({{"k", v}}, {});  // does not fit UINT8
  v = Value::i8(1);
  v.v = std::int64_t{-129};
  bad({{"k", v}}, {});
  v = Value::u8(1);
  v.v = std::string("x");
  bad({{"k", v}}, {});  // type and alternative disagree
  bad({{"general.alignment", Value::u32(64)}}, {}, 32);
  bad({{"general.alignment", Value::u64(64)}}, {}, 64);
  bad({}, {}, 48);
  bad({}, {}, 4);
  bad({}, {{"t", {4}, TensorType::F32, four}, {"t", {4}, TensorType::F32, four}});
  bad({}, {{"", {4}, TensorType::F32, four}});
  bad({}, {{std::string(64, 'n'), {4}, TensorType::F32, four}});
  bad({}, {{"t", {5}, TensorType::F32, four}});
  bad({}, {{"t", {4}, TensorType::Q8_0, four}});
  bad({}, {{"t", {1, 1, 1, 1, 4}, TensorType::F32, four}});
  bad({}, {{"t", {4}, static_cast<TensorType>(99), four}});
  Value deep = Value::u8(0);
  for (int i = 0; i < 65; ++i) deep = Value::array(deep.type, {deep});
  bad({{"k", deep}}, {});
  EXPECT_NO_THROW(encode_gguf({{"general.alignment", Value::u32(64)}}, {}, 64));
  lmzip::test::TempDir dir;
  try {
    write_gguf(dir / "x.gguf", {{"", Value::u8(1)}}, {});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind((dir / "x.gguf").string() + ": ", 0), 0u) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.gguf"));
}

}  // namespace
}  // namespace lmzip::gguf
