// The byte transformer through the whole compressor: a confident random model (sharpened head)
// codes a sample of itself well below 8 bits per byte, archives decode bit-exactly, and the
// archive bytes are the same for every kernel path, thread count and batch (block) size.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "lmzip/archive/archive.h"
#include "lmzip/model/int8/int8_transformer.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/open_model.h"
#include "lmzip/model/sampler.h"
#include "test_support.h"

namespace lmzip::archive {
namespace {

using model::int8::Int8Options;
using model::int8::Int8Transformer;
using model::int8::KernelPath;

model::OwnedWeights confident_weights() {
  model::Config c = model::preset("200K");
  c.context = 512;
  model::OwnedWeights w = model::random_weights(c, 42);
  for (const char* t : {"head.weight", "head.bias"}) {
    for (float& v : w.tensor(t)) v *= 8.0f;
  }
  return w;
}

model::ModelIdentity test_identity() {
  model::ModelIdentity id;
  id.name = "confident-random-200k";
  id.sha256 = std::string(64, 'a');
  id.parameters = model::preset("200K").parameter_count();
  return id;
}

TEST(TransformerArchive, CodesItsOwnSampleAndRoundTrips) {
  const auto w = confident_weights();
  Int8Transformer m(w.view(), test_identity());
  model::SampleOptions so;
  so.count = 1400;
  so.seed = 1;
  // Samples of at most 512 bytes each (the context), concatenated: 3 chunks of 512 + a tail.
  Bytes input;
  for (int part = 0; part < 3; ++part) {
    so.count = part < 2 ? 512 : 376;
    so.seed = static_cast<std::uint64_t>(part + 1);
    Bytes s = model::sample(m, {}, so);
    input.insert(input.end(), s.begin(), s.end());
  }
  CompressOptions co;
  co.chunk_size = 512;
  co.verify = true;
  const Bytes archive = compress_bytes(m, input, co);
  EXPECT_LT(archive.size(), input.size() * 6 / 10) << "the model must beat storing raw on its own samples";
  EXPECT_EQ(decompress_bytes(m, archive), input);

  // Same archive for every kernel path, block size and thread count.
  for (KernelPath path : {KernelPath::reference, KernelPath::avx2, KernelPath::avx512}) {
    if (!model::int8::kernel_path_supported(path)) continue;
    for (int block : {1, 64, 512}) {
      Int8Options o;
      o.kernels = path;
      o.block = block;
      Int8Transformer other(w.view(), test_identity(), o);
      for (unsigned threads : {1u, 3u}) {
        CompressOptions c2 = co;
        c2.verify = false;
        c2.threads = threads;
        EXPECT_EQ(compress_bytes(other, input, c2), archive)
            << model::int8::to_string(path) << " block " << block << " threads " << threads;
      }
    }
  }
}

TEST(TransformerArchive, RandomBytesAreStoredRawWithinTheBound) {
  const auto w = confident_weights();
  Int8Transformer m(w.view(), test_identity());
  Bytes input(3000);
  std::uint64_t x = 7;
  for (auto& b : input) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    b = static_cast<std::uint8_t>(x >> 56);
  }
  CompressOptions co;
  co.chunk_size = 512;
  const Bytes archive = compress_bytes(m, input, co);
  EXPECT_LE(archive.size(), input.size() + 9 * 6 + 4 + 372);
  EXPECT_EQ(decompress_bytes(m, archive), input);
}

// A frozen archive made by a transformer model file: any change to the engine's numerics, the
// model file format or the archive format that would stop old archives decoding fails here.
// The model file is rebuilt from its seed (its bytes, and so its SHA-256, are pinned by the
// golden digests of random_weights). To regenerate after a deliberate, version-bumped change:
//   LMZIP_WRITE_GOLDEN=1 build/lmzip_tests --gtest_filter='TransformerArchive.Golden*'
TEST(TransformerArchive, GoldenArchiveDecodesAndReencodesIdentically) {
  test::TempDir tmp;
  const auto model_path = tmp / "confident-200k.safetensors";
  const auto w = confident_weights();
  model::write_model_file(model_path, w.config(), w.view(), "confident-random-200k");
  const auto m = model::open_model(model_path.string());

  const auto dir = std::filesystem::path(LMZIP_SOURCE_DIR) / "tests/golden/transformer";
  if (std::getenv("LMZIP_WRITE_GOLDEN")) {
    model::SampleOptions so;
    so.count = 500;
    so.seed = 99;
    Bytes input = model::sample(*m, {}, so);
    const std::string tail = " and then some plain English text that the random model has never seen.";
    input.insert(input.end(), tail.begin(), tail.end());
    CompressOptions co;
    co.chunk_size = 512;
    std::filesystem::create_directories(dir);
    test::write_file(dir / "sample.bin", input);
    test::write_file(dir / "sample.bin.lmz", compress_bytes(*m, input, co));
  }
  const Bytes input = test::read_file(dir / "sample.bin");
  const Bytes golden = test::read_file(dir / "sample.bin.lmz");
  EXPECT_EQ(decompress_bytes(*m, golden), input);
  CompressOptions co;
  co.chunk_size = 512;
  co.threads = 2;
  EXPECT_EQ(compress_bytes(*m, input, co), golden);
  EXPECT_LT(golden.size(), input.size() * 8 / 10) << "the first chunk must be model-coded";
}

}  // namespace
}  // namespace lmzip::archive
