// to_float32 / encode_tensor: Q8_0 bytes and error bounds, unsupported and unknown types.
#include "lmzip/gguf/gguf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "image_builder.h"
#include "lmzip/error.h"

namespace lmzip::gguf {
namespace {

// Blocks of 32 at many scales, with zero blocks, single spikes, ties and fp16-subnormal scales.
std::vector<float> q8_inputs() {
  std::mt19937 rng(7);
  std::vector<float> v;
  for (const float scale : {1.0f, 1e-3f, 3e-6f, 1e-9f, 250.0f, 60000.0f}) {
    std::uniform_real_distribution<float> dist(-scale, scale);
    for (int b = 0; b < 8; ++b) {
      for (int j = 0; j < 32; ++j) v.push_back(dist(rng));
    }
  }
  for (int j = 0; j < 32; ++j) v.push_back(0.0f);                      // all zero
  for (int j = 0; j < 32; ++j) v.push_back(j == 5 ? -3.0f : 0.0f);     // one spike
  for (int j = 0; j < 32; ++j) v.push_back(j == 0 ? 127.0f : static_cast<float>(j) - 0.5f);  // ties
  return v;
}

TEST(GgufConvert, Q8_0BytesFollowTheDocumentedRule) {
  const auto x = q8_inputs();
  const Bytes bytes = encode_tensor(x, TensorType::Q8_0);
  ASSERT_EQ(bytes.size(), x.size() / 32 * 34);
  for (std::size_t b = 0; b < x.size() / 32; ++b) {
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[b * 32 + j]));
    const float d = amax / 127.0f;
    const std::uint8_t* blk = &bytes[b * 34];
    EXPECT_EQ(blk[0] | (blk[1] << 8), float_to_half(d)) << b;
    for (int j = 0; j < 32; ++j) {
      const long q = d == 0 ? 0 : std::lround(x[b * 32 + j] / d);
      EXPECT_EQ(static_cast<std::int8_t>(blk[2 + j]), std::max(-127L, std::min(127L, q))) << b << " " << j;
    }
  }
  // The tie block: d = 1, so x = j - 0.5 rounds away from zero.
  const std::uint8_t* ties = &bytes[bytes.size() - 34];
  EXPECT_EQ(static_cast<std::int8_t>(ties[2 + 1]), 1);   // 0.5 -> 1
  EXPECT_EQ(static_cast<std::int8_t>(ties[2 + 2]), 2);   // 1.5 -> 2
  EXPECT_EQ(static_cast<std::int8_t>(ties[2 + 3]), 3);   // 2.5 -> 3
}

TEST(GgufConvert, Q8_0DequantisationAndErrorBound) {
  const auto x = q8_inputs();
  TensorInfo t{"w", {32, x.size() / 32}, TensorType::Q8_0, 0, {}};
  const Bytes bytes = encode_tensor(x, TensorType::Q8_0);
  t.data = bytes;
  const auto y = to_float32(t, "q.gguf");
  ASSERT_EQ(y.size(), x.size());
  for (std::size_t b = 0; b < x.size() / 32; ++b) {
    const std::uint8_t* blk = &bytes[b * 34];
    const float d16 = half_to_float(static_cast<std::uint16_t>(blk[0] | (blk[1] << 8)));
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[b * 32 + j]));
    const double d = amax / 127.0f;
    const double bound = 0.5 * d * (1 + 1e-6) + 127 * std::fabs(d - d16) + 1e-6 * amax;
    for (int j = 0; j < 32; ++j) {
      const std::size_t i = b * 32 + j;
      EXPECT_EQ(y[i], d16 * static_cast<float>(static_cast<std::int8_t>(blk[2 + j]))) << i;  // x = d * q
      EXPECT_LE(std::fabs(static_cast<double>(x[i]) - y[i]), bound) << i;
    }
    if (amax > 1e-3f) {
      EXPECT_LE(127 * std::fabs(d - d16), 0.07 * d) << b;  // normal fp16: d16 within 2^-11
    }
  }
}

TEST(GgufConvert, EncodeRejects) {
  EXPECT_THROW(encode_tensor(std::vector<float>(31, 1.0f), TensorType::Q8_0), Error);
  std::vector<float> v(32, 1.0f);
  v[3] = NAN;
  EXPECT_THROW(encode_tensor(v, TensorType::Q8_0), Error);
  v[3] = 1e7f;  // scale 1e7 / 127 > 65504
  EXPECT_THROW(encode_tensor(v, TensorType::Q8_0), Error);
  EXPECT_THROW(encode_tensor(std::vector<float>(32, 1.0f), TensorType::Q4_0), Error);
}

TEST(GgufConvert, UnsupportedAndUnknownTypesNameTensorAndType) {
  // A file holding a Q4_K tensor and a tensor of type 99: both parse; converting either fails.
  test::ImageBuilder b;
  b.header(3, 2, 0).tensor("blk.0.attn_q.weight", {256}, 12, 0).tensor("mystery", {8}, 99, 160).pad_to(32);
  b.b.resize(b.b.size() + 160 + 32, 0);
  const GgufFile f = GgufFile::from_bytes(b.b, "x.gguf");
  ASSERT_EQ(f.tensors().size(), 2u);
  EXPECT_EQ(f.tensors()[0].data.size(), 144u);  // one Q4_K block
  EXPECT_EQ(f.tensors()[1].type, static_cast<TensorType>(99));
  EXPECT_TRUE(f.tensors()[1].data.empty());
  EXPECT_EQ(tensor_type_name(f.tensors()[1].type), "type 99");
  try {
    to_float32(f.tensors()[0], "x.gguf");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "x.gguf: tensor blk.0.attn_q.weight: type Q4_K is not supported (F32, F16, BF16, Q8_0 are)");
  }
  try {
    to_float32(f.tensors()[1], "x.gguf");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "x.gguf: tensor mystery: type 99 is not supported (F32, F16, BF16, Q8_0 are)");
  }
  TensorInfo short_data{"s", {4}, TensorType::F32, 0, {}};
  EXPECT_THROW(to_float32(short_data, "x.gguf"), Error);
}

TEST(GgufConvert, TypeTable) {
  EXPECT_EQ(tensor_type_name(TensorType::BF16), "BF16");
  EXPECT_EQ(tensor_type_name(TensorType::IQ4_XS), "IQ4_XS");
  EXPECT_EQ(tensor_type_name(static_cast<TensorType>(4)), "type 4");  // Q4_2, removed
  EXPECT_EQ(tensor_type_traits(TensorType::Q6_K)->type_size, 210u);
  EXPECT_EQ(tensor_type_traits(TensorType::Q8_0)->block_size, 32u);
  const std::uint64_t dims[] = {256, 3};
  EXPECT_EQ(tensor_byte_size(TensorType::Q4_K, dims), 3u * 144u);
  const std::uint64_t bad[] = {100, 3};
  EXPECT_FALSE(tensor_byte_size(TensorType::Q4_K, bad));
  const std::uint64_t huge[] = {std::uint64_t{1} << 62, 4};
  EXPECT_FALSE(tensor_byte_size(TensorType::I8, huge));
}

}  // namespace
}  // namespace lmzip::gguf
