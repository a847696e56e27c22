#include "lmzip/model/config.h"

#include <gtest/gtest.h>

#include "lmzip/error.h"
#include "lmzip/model/weights.h"

namespace lmzip::model {
namespace {

TEST(Config, ParameterCountOfThe200KPresetByHand) {
  // D = 64, M = 256, L = 4:
  //   embed 257*64 = 16448
  //   layer 2*64 + 4*64*64 + 2*64 + 256*64 + 256 + 64*256 + 64 = 128 + 16384 + 128 + 16384 + 256 + 16384 + 64 = 49728
  //   ln_f 128, head 256*64 + 256 = 16640
  //   16448 + 4*49728 + 128 + 16640 = 232128 = the paper's 231,936 + 3*64 (BOS row, ln_f weight and bias)
  EXPECT_EQ(16448u + 4u * 49728u + 128u + 16640u, 232128u);
  EXPECT_EQ(231936u + 3u * 64u, 232128u);
  EXPECT_EQ(preset("200K").parameter_count(), 232128u);
}

TEST(Config, PresetsMatchThePaperPlusThreeD) {
  // REFERENCE.md section 6: the public architecture's counts; lmzip adds 3 x d_model.
  EXPECT_EQ(preset("200K").parameter_count(), 231936u + 3u * 64u);
  EXPECT_EQ(preset("800K").parameter_count(), 856832u + 3u * 128u);
  EXPECT_EQ(preset("3.2M").parameter_count(), 3286272u + 3u * 256u);
  EXPECT_EQ(preset("800K").parameter_count(), 857216u);
  EXPECT_EQ(preset("3.2M").parameter_count(), 3287040u);
}

TEST(Config, TheLargerPresetIsTheSeriesNextStep) {
  // d 512, MLP 2048: embed 257*512 = 131584; a layer 2*1024 (LayerNorms) + 4*512*512 +
  // (2048*512 + 2048) + (512*2048 + 512) = 3150336; ln_f 1024; head 256*512 + 256 = 131328.
  EXPECT_EQ(131584u + 4u * 3150336u + 1024u + 131328u, 12865280u);
  const Config c = preset("12.8M");
  EXPECT_EQ(c.parameter_count(), 12865280u);
  EXPECT_EQ(c.head_dim(), 32);  // the fused attention kernels' best-measured head size
  EXPECT_EQ(c.n_layers, 4);
  EXPECT_EQ(c.d_mlp, 4 * c.d_model);
  EXPECT_EQ(c.context, 2048);
}

TEST(Config, PresetFields) {
  const Config c = preset("3.2M");
  EXPECT_EQ(c.d_model, 256);
  EXPECT_EQ(c.n_heads, 8);
  EXPECT_EQ(c.head_dim(), 32);
  EXPECT_EQ(c.n_layers, 4);
  EXPECT_EQ(c.d_mlp, 1024);
  EXPECT_EQ(c.context, 2048);
  EXPECT_EQ(c.rope_theta, 10000.0f);
  EXPECT_EQ(c.ln_eps, 1e-5f);
  EXPECT_EQ(preset_names(), (std::vector<std::string>{"200K", "800K", "3.2M", "12.8M"}));
  for (const auto& n : preset_names()) EXPECT_NO_THROW(preset(n).validate()) << n;
}

TEST(Config, UnknownPresetNamesTheKnownOnes) {
  try {
    preset("1B");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("1B"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("200K"), std::string::npos);
  }
}

TEST(Config, ParameterCountEqualsTheSumOfTheTensors) {
  for (const auto& n : preset_names()) {
    const Config c = preset(n);
    std::uint64_t sum = 0;
    for (const auto& s : tensor_specs(c)) sum += s.size();
    EXPECT_EQ(sum, c.parameter_count()) << n;
  }
  Config odd{.d_model = 6, .n_layers = 3, .n_heads = 3, .d_mlp = 5, .context = 7};
  std::uint64_t sum = 0;
  for (const auto& s : tensor_specs(odd)) sum += s.size();
  EXPECT_EQ(sum, odd.parameter_count());
}

TEST(Config, ValidateRejectsBadShapes) {
  auto bad = [](auto mutate) {
    Config c = preset("200K");
    mutate(c);
    EXPECT_THROW(c.validate(), Error);
  };
  bad([](Config& c) { c.n_heads = 3; });           // 64 % 3 != 0
  bad([](Config& c) { c.n_heads = 64; });          // head_dim 1 is odd
  bad([](Config& c) { c.d_model = 0; });
  bad([](Config& c) { c.n_layers = 0; });
  bad([](Config& c) { c.d_mlp = 0; });
  bad([](Config& c) { c.context = 0; });
  bad([](Config& c) { c.rope_theta = 0.5f; });
  bad([](Config& c) { c.ln_eps = 0.0f; });
  bad([](Config& c) { c.ln_eps = std::numeric_limits<float>::quiet_NaN(); });
}

TEST(Config, JsonRoundTripAndIsReadable) {
  const Config c = preset("200K");
  EXPECT_EQ(to_json(c),
            R"({"d_model":64,"n_layers":4,"n_heads":4,"d_mlp":256,"context":2048,"rope_theta":10000.0,"ln_eps":1e-05})");
  for (const auto& n : preset_names()) EXPECT_EQ(config_from_json(to_json(preset(n))), preset(n)) << n;
  Config odd{.d_model = 6, .n_layers = 3, .n_heads = 3, .d_mlp = 5, .context = 7, .rope_theta = 123.456f, .ln_eps = 3.3e-7f};
  EXPECT_EQ(config_from_json(to_json(odd)), odd);
}

TEST(Config, JsonErrors) {
  EXPECT_THROW(config_from_json("{"), Error);
  EXPECT_THROW(config_from_json("[]"), Error);
  EXPECT_THROW(config_from_json(R"({"d_model":64})"), Error);  // missing fields
  std::string j = to_json(preset("200K"));
  EXPECT_THROW(config_from_json(j.substr(0, j.size() - 1) + R"(,"extra":1})"), Error);  // unknown field
  std::string bad_heads = j;
  bad_heads.replace(bad_heads.find("\"n_heads\":4"), 11, "\"n_heads\":3");
  EXPECT_THROW(config_from_json(bad_heads), Error);  // validated
  std::string text_field = j;
  text_field.replace(text_field.find("\"d_mlp\":256"), 11, "\"d_mlp\":\"x\"");
  EXPECT_THROW(config_from_json(text_field), Error);
}

}  // namespace
}  // namespace lmzip::model
