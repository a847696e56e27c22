#include "lmzip/model/safetensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::model {
namespace {

ByteView view_of(const std::vector<float>& v) {
  return {reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * sizeof(float)};
}

// A file image from a header text (unpadded unless the text is) and a data section.
Bytes image(const std::string& header, const Bytes& data) {
  Bytes out(8);
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(header.size() >> (8 * i));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// Expects parse_safetensors to throw an Error whose message holds every one of `parts`.
void expect_error(const Bytes& file, std::initializer_list<std::string> parts) {
  try {
    parse_safetensors(file, "model.safetensors");
    ADD_FAILURE() << "no error; expected one mentioning " << *parts.begin();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("model.safetensors: ", 0), 0u) << msg;
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

TEST(Safetensors, DTypes) {
  EXPECT_EQ(dtype_from_name("F32"), DType::F32);
  EXPECT_EQ(dtype_size(DType::F32), 4u);
  EXPECT_EQ(dtype_size(DType::BF16), 2u);
  EXPECT_EQ(dtype_size(DType::F64), 8u);
  EXPECT_EQ(dtype_size(DType::I8), 1u);
  for (const char* n : {"F16", "BF16", "F64", "I8", "U8", "I32", "I64", "BOOL"}) {
    ASSERT_TRUE(dtype_from_name(n)) << n;
    EXPECT_EQ(dtype_name(*dtype_from_name(n)), n);
  }
  EXPECT_FALSE(dtype_from_name("f32"));
  EXPECT_FALSE(dtype_from_name("float32"));
}

TEST(Safetensors, WriteReadRoundTrip) {
  test::TempDir tmp;
  const std::vector<float> a{1.5f, -2.0f, 3.25f, 0.0f, 1e-30f, -7.0f};  // (2, 3)
  const std::vector<float> b{42.0f};                                     // (1)
  const Bytes c{1, 2, 3};                                                // U8 (3)
  const std::vector<TensorToWrite> tensors{
      {"zeta", DType::F32, {2, 3}, view_of(a)},
      {"alpha", DType::F32, {1}, view_of(b)},
      {"bytes", DType::U8, {3}, c},
      {"empty", DType::F32, {0, 4}, {}},
  };
  const SafetensorsMetadata meta{{"format", "test"}, {"k", "v \"quoted\" é"}};
  write_safetensors(tmp / "t.safetensors", tensors, meta);

  SafetensorsFile f(tmp / "t.safetensors");
  EXPECT_EQ(f.metadata(), meta);
  ASSERT_EQ(f.tensors().size(), 4u);
  EXPECT_EQ(f.tensors()[0].name, "alpha");  // sorted by name
  const auto* za = f.find("zeta");
  ASSERT_NE(za, nullptr);
  EXPECT_EQ(za->dtype, DType::F32);
  EXPECT_EQ(za->shape, (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(za->element_count(), 6u);
  ASSERT_EQ(za->data.size(), 24u);
  EXPECT_EQ(std::memcmp(za->data.data(), a.data(), 24), 0);
  EXPECT_EQ(f.find("bytes")->data[2], 3);
  EXPECT_EQ(f.find("empty")->data.size(), 0u);
  EXPECT_EQ(f.find("missing"), nullptr);
  EXPECT_EQ(f.tensors()[0].file_offset % 4, 0u);

  // The file is exactly encode_safetensors' image, and encoding is deterministic.
  const Bytes img = encode_safetensors(tensors, meta);
  EXPECT_EQ(test::read_file(tmp / "t.safetensors"), img);
  EXPECT_EQ(encode_safetensors(tensors, meta), img);
  EXPECT_EQ(Bytes(f.bytes().begin(), f.bytes().end()), img);
}

TEST(Safetensors, LayoutAsTheReferenceLibrary) {
  const std::vector<float> a{1, 2};
  const std::vector<double> d{3};
  const ByteView dv(reinterpret_cast<const std::uint8_t*>(d.data()), 8);
  const Bytes u{9};
  const std::vector<TensorToWrite> tensors{
      {"b", DType::F32, {2}, view_of(a)}, {"a", DType::U8, {1}, u}, {"c", DType::F64, {1}, dv}};
  const Bytes img = encode_safetensors(tensors, {{"x", "y"}});
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | img[static_cast<std::size_t>(i)];
  EXPECT_EQ(n % 8, 0u) << "header padded so the data starts 8-aligned";
  const std::string header(img.begin() + 8, img.begin() + 8 + static_cast<std::ptrdiff_t>(n));
  // __metadata__ first, then larger elements first, then names; fields dtype, shape, data_offsets.
  const std::string expect =
      R"({"__metadata__":{"x":"y"},"c":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},)"
      R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"a":{"dtype":"U8","shape":[1],"data_offsets":[16,17]}})";
  EXPECT_EQ(header.substr(0, expect.size()), expect);
  EXPECT_EQ(header.find_first_not_of(' ', expect.size()), std::string::npos) << "padding is spaces";
  EXPECT_EQ(img.size(), 8 + n + 17);
  EXPECT_NO_THROW(parse_safetensors(img, "x"));
  // No metadata: the key is left out.
  const Bytes plain = encode_safetensors(tensors, {});
  EXPECT_EQ(std::string(plain.begin() + 8, plain.begin() + 9 + 4), R"({"c":)");
}

TEST(Safetensors, WriterRejectsBadInput) {
  const std::vector<float> a{1, 2, 3};
  EXPECT_THROW(encode_safetensors(std::vector<TensorToWrite>{{"a", DType::F32, {2}, view_of(a)}}, {}), Error);
  EXPECT_THROW(encode_safetensors(std::vector<TensorToWrite>{{"a", DType::F32, {3}, view_of(a)},
                                                             {"a", DType::F32, {3}, view_of(a)}},
                                  {}),
               Error);
  EXPECT_THROW(encode_safetensors(std::vector<TensorToWrite>{{"", DType::F32, {3}, view_of(a)}}, {}), Error);
  EXPECT_THROW(encode_safetensors(std::vector<TensorToWrite>{{"__metadata__", DType::F32, {3}, view_of(a)}}, {}),
               Error);
}

TEST(Safetensors, FailedWriteLeavesTheOldFile) {
  test::TempDir tmp;
  test::write_file(tmp / "t.safetensors", Bytes{1, 2, 3});
  const std::vector<float> a{1, 2, 3};
  EXPECT_THROW(write_safetensors(tmp / "t.safetensors",
                                 std::vector<TensorToWrite>{{"a", DType::F32, {4}, view_of(a)}}, {}),
               Error);
  EXPECT_EQ(test::read_file(tmp / "t.safetensors"), (Bytes{1, 2, 3}));
}

TEST(Safetensors, AcceptsUnpaddedHeadersAndEmptyFiles) {
  expect_error(Bytes{}, {"too short"});
  EXPECT_NO_THROW(parse_safetensors(image("{}", {}), "x"));
  const std::string header = R"({"t":{"dtype":"U8","shape":[3],"data_offsets":[0,3]}}  )";  // odd length
  const Bytes file = image(header, {7, 8, 9});
  const auto c = parse_safetensors(file, "x");  // views point into `file`
  EXPECT_EQ(c.tensors.at(0).data[1], 8);
  EXPECT_EQ(c.data_start, 8u + header.size());
}

TEST(Safetensors, CorruptHeaders) {
  const Bytes data(16384, 0);
  const std::string ok = R"({"layers.0.attn.wq":{"dtype":"F32","shape":[64,64],"data_offsets":[0,16384]}})";
  ASSERT_NO_THROW(parse_safetensors(image(ok, data), "x"));

  Bytes truncated = image(ok, data);
  truncated.resize(truncated.size() - 100);
  expect_error(truncated, {"layers.0.attn.wq", "run past the data section"});
  Bytes huge = image(ok, data);
  huge[7] = 0x7f;
  expect_error(huge, {"header length", "over the limit"});
  Bytes past = image(ok, data);
  past[2] = 0x10;  // about 1 MB: within the limit, past the end of the file
  expect_error(past, {"runs past the end of the file"});
  expect_error(Bytes{5, 0, 0, 0}, {"too short"});
  expect_error(image(ok.substr(0, ok.size() - 1), data), {"not valid JSON"});
  expect_error(image(" " + ok, data), {"does not begin with '{'"});
  expect_error(image("[1,2]", {}), {"does not begin with '{'"});
  expect_error(image(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                     {1, 2}),
               {"repeats the key \"a\""});
  expect_error(image("{\"\xff\":1}", {}), {"not valid JSON"});  // invalid UTF-8
}

TEST(Safetensors, CorruptEntries) {
  const Bytes data(16384, 0);
  auto one = [&](const std::string& entry) { return image(R"({"layers.0.attn.wq":)" + entry + "}", data); };
  expect_error(one(R"({"dtype":"F32","shape":[64,64],"data_offsets":[0,16000]})"),
               {"tensor layers.0.attn.wq: shape [64,64] (F32) needs 16384 bytes, range has 16000"});
  expect_error(one(R"({"dtype":"F31","shape":[64,64],"data_offsets":[0,16384]})"),
               {"layers.0.attn.wq", "unknown dtype \"F31\""});
  expect_error(one(R"({"dtype":"F32","shape":[64,-64],"data_offsets":[0,16384]})"),
               {"layers.0.attn.wq", "shape dimension"});
  expect_error(one(R"({"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16384]})"),
               {"layers.0.attn.wq", "too large"});
  expect_error(one(R"({"dtype":"F32","shape":[64,64],"data_offsets":[16384,0]})"), {"end before begin"});
  expect_error(one(R"({"dtype":"F32","shape":[64,64],"data_offsets":[0]})"), {"pair"});
  expect_error(one(R"({"dtype":"F32","shape":[64,64]})"), {"needs the fields"});
  expect_error(one(R"({"dtype":"F32","shape":[64,64],"data_offsets":[0,16384],"extra":1})"),
               {"unexpected field \"extra\""});
  expect_error(one(R"([1])"), {"not a JSON object"});
  expect_error(image(R"({"__metadata__":{"a":1}})", {}), {"__metadata__", "not a string"});
  expect_error(image(R"({"__metadata__":[]})", {}), {"__metadata__", "not a JSON object"});
}

TEST(Safetensors, RangesMustTileTheDataSection) {
  const std::string a = R"("a":{"dtype":"U8","shape":[4],"data_offsets":)";
  const std::string b = R"("b":{"dtype":"U8","shape":[4],"data_offsets":)";
  const Bytes d8(8, 1);
  EXPECT_NO_THROW(parse_safetensors(image("{" + a + "[4,8]}," + b + "[0,4]}}", d8), "x"));
  expect_error(image("{" + a + "[0,4]}," + b + "[2,6]}}", d8), {"tensor b", "overlaps tensor a"});
  expect_error(image("{" + a + "[0,4]}," + b + "[4,8]}}", Bytes(9, 1)), {"trailing bytes"});
  expect_error(image("{" + a + "[0,4]}," + b + "[5,9]}}", Bytes(9, 1)), {"tensor b", "hole"});
  expect_error(image("{" + a + "[0,4]}," + b + "[6,10]}}", d8), {"tensor b", "run past"});
}

TEST(Safetensors, RandomCorruptionsAreErrorsNotCrashes) {
  // Deterministic mutations of a valid image (bytes of the length and header changed, random
  // truncations): each parse either succeeds with views inside the image or throws lmzip::Error.
  const std::vector<float> a(12, 0.5f), b(4, 2.0f);
  const Bytes good = encode_safetensors(
      std::vector<TensorToWrite>{{"a", DType::F32, {3, 4}, view_of(a)}, {"b", DType::F32, {4}, view_of(b)}},
      {{"format", "x"}});
  std::uint64_t state = 12345;
  auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL, state >> 33; };
  int errors = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    Bytes bad = good;
    if (trial % 3 == 0) {
      bad.resize(next() % good.size());
    } else {
      const int edits = 1 + static_cast<int>(next() % 3);
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = next() % std::min<std::size_t>(bad.size(), 8 + 160);
        bad[at] = static_cast<std::uint8_t>(next());
      }
    }
    try {
      const auto c = parse_safetensors(bad, "m");
      for (const auto& t : c.tensors) {
        ASSERT_GE(t.data.data(), bad.data());
        ASSERT_LE(t.data.data() + t.data.size(), bad.data() + bad.size());
      }
    } catch (const Error&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 1000);
}

TEST(Safetensors, MissingFileNamesIt) {
  test::TempDir tmp;
  try {
    SafetensorsFile f(tmp / "absent.safetensors");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.safetensors"), std::string::npos);
  }
}

}  // namespace
}  // namespace lmzip::model
