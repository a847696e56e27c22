// A GGUF image written byte by byte from the spec (not by lmzip's writer) is read correctly, and
// lmzip's writer produces exactly the same bytes for the same content.
#include "lmzip/gguf/gguf.h"

#include <gtest/gtest.h>

#include "image_builder.h"
#include "lmzip/error.h"

namespace lmzip::gguf {
namespace {

// Alignment 64 (stated in the metadata); two tensors:
//   "tok.weight"  F32  dims [3, 2] at offset 0     values 0.5 * i - 1
//   "out.weight"  Q8_0 dims [32]   at offset 64    d = 0.25 (fp16 0x3400), q = i - 16
Bytes hand_built() {
  test::ImageBuilder b;
  b.raw({'G', 'G', 'U', 'F'});                       // magic, bytes 47 47 55 46
  b.raw({3, 0, 0, 0});                               // version 3
  b.raw({2, 0, 0, 0, 0, 0, 0, 0});                   // tensor count
  b.raw({7, 0, 0, 0, 0, 0, 0, 0});                   // metadata count
  // general.architecture: STRING (8) "llama"
  b.raw({20, 0, 0, 0, 0, 0, 0, 0}).raw({'g', 'e', 'n', 'e', 'r', 'a', 'l', '.', 'a', 'r', 'c', 'h', 'i', 't', 'e', 'c',
                                        't', 'u', 'r', 'e'});
  b.raw({8, 0, 0, 0}).raw({5, 0, 0, 0, 0, 0, 0, 0, 'l', 'l', 'a', 'm', 'a'});
  // general.alignment: UINT32 (4) 64
  b.key("general.alignment", 4).raw({64, 0, 0, 0});
  // llama.block_count: UINT64 (10) 0x0102030405060708
  b.key("llama.block_count", 10).raw({8, 7, 6, 5, 4, 3, 2, 1});
  // x.eps: FLOAT32 (6) 1e-5f; x.neg: INT16 (3) -2; x.flag: BOOL (7) true
  b.key("x.eps", 6).f32(1e-5f);
  b.key("x.neg", 3).raw({0xFE, 0xFF});
  b.key("x.flag", 7).raw({1});
  // tokenizer.ggml.tokens: ARRAY (9) of STRING (8), 2 elements: "<s>", "a b"
  b.key("tokenizer.ggml.tokens", 9).u32(8).u64(2).str("<s>").str("a b");
  // tensor infos
  b.str("tok.weight").raw({2, 0, 0, 0}).u64(3).u64(2).raw({0, 0, 0, 0}).u64(0);
  b.str("out.weight").raw({1, 0, 0, 0}).u64(32).raw({8, 0, 0, 0}).u64(64);
  b.pad_to(64);
  for (int i = 0; i < 6; ++i) b.f32(0.5f * static_cast<float>(i) - 1.0f);
  b.pad_to(64);
  b.raw({0x00, 0x34});                                // fp16 0.25
  for (int i = 0; i < 32; ++i) b.u8(static_cast<std::uint8_t>(static_cast<std::int8_t>(i - 16)));
  b.pad_to(64);
  return b.b;
}

TEST(GgufHandBuilt, ParsesEveryField) {
  const Bytes image = hand_built();
  const GgufFile f = GgufFile::from_bytes(image, "hand.gguf");
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.alignment(), 64u);
  ASSERT_EQ(f.metadata().size(), 7u);
  EXPECT_EQ(f.metadata()[0].first, "general.architecture");
  EXPECT_EQ(f.get_string("general.architecture"), "llama");
  EXPECT_EQ(f.find("general.alignment")->type, ValueType::UINT32);
  EXPECT_EQ(f.get_uint("llama.block_count"), 0x0102030405060708u);
  EXPECT_EQ(f.find("llama.block_count")->type, ValueType::UINT64);
  EXPECT_EQ(f.get_float("x.eps"), static_cast<double>(1e-5f));
  EXPECT_EQ(f.get_int("x.neg"), -2);
  EXPECT_EQ(f.find("x.neg")->type, ValueType::INT16);
  EXPECT_TRUE(f.get_bool("x.flag"));
  const Value* tokens = f.find("tokenizer.ggml.tokens");
  ASSERT_NE(tokens, nullptr);
  EXPECT_EQ(tokens->element_type, ValueType::STRING);
  ASSERT_EQ(tokens->as_array().size(), 2u);
  EXPECT_EQ(tokens->as_array()[1].as_string(), "a b");

  ASSERT_EQ(f.tensors().size(), 2u);
  const TensorInfo& tok = f.tensors()[0];
  EXPECT_EQ(tok.name, "tok.weight");
  EXPECT_EQ(tok.dims, (std::vector<std::uint64_t>{3, 2}));
  EXPECT_EQ(tok.type, TensorType::F32);
  EXPECT_EQ(f.data_start() % 64, 0u);
  EXPECT_EQ(tok.data.data(), f.bytes().data() + f.data_start());
  EXPECT_EQ(to_float32(tok, "hand.gguf"), (std::vector<float>{-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f}));
  const TensorInfo& out = f.tensors()[1];
  EXPECT_EQ(out.offset, 64u);
  EXPECT_EQ(out.type, TensorType::Q8_0);
  EXPECT_EQ(out.data.size(), 34u);
  const auto y = to_float32(out, "hand.gguf");
  ASSERT_EQ(y.size(), 32u);
  for (int i = 0; i < 32; ++i) EXPECT_EQ(y[static_cast<std::size_t>(i)], 0.25f * static_cast<float>(i - 16)) << i;
}

TEST(GgufHandBuilt, WriterProducesTheSameBytes) {
  Metadata m;
  m.emplace_back("general.architecture", Value::string("llama"));
  m.emplace_back("general.alignment", Value::u32(64));
  m.emplace_back("llama.block_count", Value::u64(0x0102030405060708u));
  m.emplace_back("x.eps", Value::f32(1e-5f));
  m.emplace_back("x.neg", Value::i16(-2));
  m.emplace_back("x.flag", Value::boolean(true));
  m.emplace_back("tokenizer.ggml.tokens", Value::array(ValueType::STRING, {Value::string("<s>"), Value::string("a b")}));
  std::vector<float> q(32);
  for (int i = 0; i < 32; ++i) q[static_cast<std::size_t>(i)] = 0.25f * static_cast<float>(i - 16);
  q[0] = -127 * 0.25f;  // so that max |x| / 127 = 0.25 exactly; patched back below
  std::vector<TensorToWrite> ts;
  ts.push_back({"tok.weight", {3, 2}, TensorType::F32, encode_tensor(std::vector<float>{-1, -0.5f, 0, 0.5f, 1, 1.5f}, TensorType::F32)});
  ts.push_back({"out.weight", {32}, TensorType::Q8_0, encode_tensor(q, TensorType::Q8_0)});
  ts[1].data[2] = static_cast<std::uint8_t>(static_cast<std::int8_t>(-16));
  EXPECT_EQ(encode_gguf(m, ts, 64), hand_built());
}

TEST(GgufHandBuilt, Version2IsRead) {
  Bytes image = hand_built();
  image[4] = 2;
  EXPECT_EQ(GgufFile::from_bytes(image, "v2.gguf").version(), 2u);
}

TEST(GgufHandBuilt, NoTensorsAndNoPadding) {
  test::ImageBuilder b;
  b.header(3, 0, 1).key("a", 0).u8(1);  // 34 bytes, not padded: accepted without tensors
  const GgufFile f = GgufFile::from_bytes(b.b, "meta-only.gguf");
  EXPECT_EQ(f.find("a")->as_uint(), 1u);
  EXPECT_TRUE(f.tensors().empty());
}

}  // namespace
}  // namespace lmzip::gguf
