#include "lmzip/model/model_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model/safetensors.h"
#include "lmzip/model/sha256.h"
#include "test_support.h"

namespace lmzip::model {
namespace {

Config tiny() { return Config{.d_model = 8, .n_layers = 2, .n_heads = 2, .d_mlp = 16, .context = 64}; }

// The tensors of `w` as write_model_file would write them, for building altered files.
std::vector<TensorToWrite> tensors_of(const OwnedWeights& w) {
  std::vector<TensorToWrite> out;
  for (const auto& s : tensor_specs(w.config())) {
    const auto t = w.tensor(s.name);
    out.push_back({s.name, DType::F32, s.shape, {reinterpret_cast<const std::uint8_t*>(t.data()), t.size_bytes()}});
  }
  return out;
}

SafetensorsMetadata meta_of(const Config& c) {
  return {{"format", std::string(kModelFormat)}, {"config", to_json(c)}};
}

// Expects ModelFile(path) to throw an Error holding the path and every one of `parts`.
void expect_open_error(const std::filesystem::path& path, std::initializer_list<std::string> parts) {
  try {
    ModelFile m(path);
    ADD_FAILURE() << "opened; expected an error mentioning " << *parts.begin();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path.filename().string()), std::string::npos) << msg;
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

bool same_tensors(const Weights& a, const Weights& b) {
  const auto specs = tensor_specs(a.config);
  const auto pa = tensor_pointers(a), pb = tensor_pointers(b);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (std::memcmp(pa[i], pb[i], specs[i].size() * sizeof(float)) != 0) return false;
  }
  return true;
}

TEST(ModelFile, RoundTripsEveryTensor) {
  test::TempDir tmp;
  const Config c = preset("200K");
  const OwnedWeights w = random_weights(c, 7, {.perturb_layernorm = true});
  write_model_file(tmp / "m.safetensors", c, w, "lmzip-test-200k");
  const ModelFile m(tmp / "m.safetensors");
  EXPECT_EQ(m.config(), c);
  EXPECT_EQ(m.name(), "lmzip-test-200k");
  EXPECT_TRUE(same_tensors(m.weights(), w));
  EXPECT_EQ(m.weights().layers.size(), 4u);
  EXPECT_EQ(m.file_size(), std::filesystem::file_size(tmp / "m.safetensors"));
  // Views point into the mapping (the writer pads, so nothing needed realigning).
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(m.weights().embed) % 4, 0u);
}

TEST(ModelFile, Sha256IsTheFileHashAndStable) {
  test::TempDir tmp;
  const Config c = tiny();
  const OwnedWeights w = random_weights(c, 1);
  write_model_file(tmp / "a.safetensors", c, w, "x");
  write_model_file(tmp / "b.safetensors", c, w, "x");
  const ModelFile a(tmp / "a.safetensors");
  EXPECT_EQ(a.sha256(), sha256_file(tmp / "a.safetensors"));
  EXPECT_EQ(a.sha256().size(), 64u);
  EXPECT_EQ(test::read_file(tmp / "a.safetensors"), test::read_file(tmp / "b.safetensors")) << "deterministic bytes";
  EXPECT_EQ(ModelFile(tmp / "b.safetensors").sha256(), a.sha256());
  write_model_file(tmp / "c.safetensors", c, random_weights(c, 2), "x");
  EXPECT_NE(ModelFile(tmp / "c.safetensors").sha256(), a.sha256());
  write_model_file(tmp / "d.safetensors", c, w, "y");
  EXPECT_NE(ModelFile(tmp / "d.safetensors").sha256(), a.sha256()) << "the name is part of the file";
}

TEST(ModelFile, NameDefaultsToTheFileStem) {
  test::TempDir tmp;
  write_model_file(tmp / "my-model.safetensors", tiny(), random_weights(tiny(), 1));
  EXPECT_EQ(ModelFile(tmp / "my-model.safetensors").name(), "my-model");
}

TEST(ModelFile, MoveKeepsTheWeightsValid) {
  test::TempDir tmp;
  const OwnedWeights w = random_weights(tiny(), 3);
  write_model_file(tmp / "m.safetensors", tiny(), w);
  ModelFile a(tmp / "m.safetensors");
  const float* embed = a.weights().embed;
  ModelFile b(std::move(a));
  EXPECT_EQ(b.weights().embed, embed);
  EXPECT_TRUE(same_tensors(b.weights(), w));
}

TEST(ModelFile, MisalignedForeignFileIsCopied) {
  test::TempDir tmp;
  const OwnedWeights w = random_weights(tiny(), 4);
  Bytes img = encode_safetensors(tensors_of(w), meta_of(tiny()));
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | img[static_cast<std::size_t>(i)];
  // Re-frame with one more space of header: the data now starts at an odd offset.
  Bytes odd(img.begin(), img.begin() + 8 + static_cast<std::ptrdiff_t>(n));
  odd.push_back(' ');
  odd.insert(odd.end(), img.begin() + 8 + static_cast<std::ptrdiff_t>(n), img.end());
  odd[0] = static_cast<std::uint8_t>(odd[0] + 1);
  test::write_file(tmp / "odd.safetensors", odd);
  const ModelFile m(tmp / "odd.safetensors");
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(m.weights().head_w) % 4, 0u);
  EXPECT_TRUE(same_tensors(m.weights(), w));
}

class CorruptModelFile : public ::testing::Test {
 protected:
  test::TempDir tmp;
  const Config c = tiny();
  const OwnedWeights w = random_weights(c, 5);
  std::filesystem::path path = tmp / "model.safetensors";
  void write(const std::vector<TensorToWrite>& t, const SafetensorsMetadata& meta) { write_safetensors(path, t, meta); }
};

TEST_F(CorruptModelFile, Truncated) {
  write_model_file(path, c, w);
  Bytes b = test::read_file(path);
  b.resize(b.size() - 10);
  test::write_file(path, b);
  expect_open_error(path, {"tensor"});
  b.resize(5);
  test::write_file(path, b);
  expect_open_error(path, {"too short"});
}

TEST_F(CorruptModelFile, HugeHeaderLength) {
  write_model_file(path, c, w);
  Bytes b = test::read_file(path);
  b[6] = 0xff;
  test::write_file(path, b);
  expect_open_error(path, {"header length"});
}

TEST_F(CorruptModelFile, BadJson) {
  write_model_file(path, c, w);
  Bytes b = test::read_file(path);
  b[9] = '#';
  test::write_file(path, b);
  expect_open_error(path, {"not valid JSON"});
}

TEST_F(CorruptModelFile, MissingTensor) {
  auto t = tensors_of(w);
  std::erase_if(t, [](const TensorToWrite& x) { return x.name == "layers.0.attn.wo"; });
  write(t, meta_of(c));
  expect_open_error(path, {"tensor layers.0.attn.wo is missing"});
}

TEST_F(CorruptModelFile, WrongShape) {
  auto t = tensors_of(w);
  for (auto& x : t) {
    if (x.name == "layers.1.mlp.up.weight") x.shape = {8, 16};  // transposed: same bytes
  }
  write(t, meta_of(c));
  expect_open_error(path, {"tensor layers.1.mlp.up.weight: shape [8,16], expected [16,8]"});
}

TEST_F(CorruptModelFile, WrongDType) {
  auto t = tensors_of(w);
  for (auto& x : t) {
    if (x.name == "ln_f.bias") x.dtype = DType::I32;
  }
  write(t, meta_of(c));
  expect_open_error(path, {"tensor ln_f.bias: dtype I32, expected F32"});
}

TEST_F(CorruptModelFile, UnexpectedTensor) {
  auto t = tensors_of(w);
  const std::vector<float> extra{1, 2};
  t.push_back({"layers.2.ln1.weight", DType::F32, {2}, {reinterpret_cast<const std::uint8_t*>(extra.data()), 8}});
  write(t, meta_of(c));
  expect_open_error(path, {"unexpected tensor layers.2.ln1.weight"});
}

TEST_F(CorruptModelFile, WrongOrMissingMetadata) {
  auto meta = meta_of(c);
  meta["format"] = "pt";
  write(tensors_of(w), meta);
  expect_open_error(path, {"metadata format is \"pt\"", std::string(kModelFormat)});
  write(tensors_of(w), {{"config", to_json(c)}});
  expect_open_error(path, {"no \"format\" metadata"});
  write(tensors_of(w), {{"format", std::string(kModelFormat)}});
  expect_open_error(path, {"no \"config\" metadata"});
  meta = meta_of(c);
  meta["config"] = "{\"d_model\":8}";
  write(tensors_of(w), meta);
  expect_open_error(path, {"metadata config", "missing field"});
}

TEST_F(CorruptModelFile, ConfigDisagreesWithTensors) {
  Config other = c;
  other.d_mlp = 32;
  write(tensors_of(w), meta_of(other));
  expect_open_error(path, {"tensor layers.0.mlp.up.weight: shape [16,8], expected [32,8]"});
}

TEST_F(CorruptModelFile, NonFiniteValue) {
  OwnedWeights bad = w;
  bad.tensor("head.weight")[3] = std::numeric_limits<float>::quiet_NaN();
  write(tensors_of(bad), meta_of(c));
  expect_open_error(path, {"tensor head.weight: element 3 is not finite"});
  EXPECT_THROW(write_model_file(tmp / "w.safetensors", c, bad), Error);
  EXPECT_FALSE(std::filesystem::exists(tmp / "w.safetensors"));
}

TEST_F(CorruptModelFile, NotAFile) {
  expect_open_error(tmp / "absent.safetensors", {"cannot open"});
}

TEST(ModelFileWriter, RefusesAMismatchedConfig) {
  test::TempDir tmp;
  const OwnedWeights w = random_weights(tiny(), 1);
  Config other = tiny();
  other.context = 32;
  EXPECT_THROW(write_model_file(tmp / "m.safetensors", other, w), Error);
}

}  // namespace
}  // namespace lmzip::model
