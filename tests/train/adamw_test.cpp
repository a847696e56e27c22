// AdamW, the learning-rate schedule and gradient clipping against hand-written formulas.
#include "lmzip/train/adamw.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "lmzip/error.h"
#include "lmzip/model/weights.h"

namespace lmzip::train {
namespace {

TEST(AdamW, TwoStepsByHandOnThreeParameters) {
  AdamWOptions o{.lr = 0.01, .beta1 = 0.9, .beta2 = 0.99, .eps = 1e-8, .weight_decay = 0.5};
  AdamW opt({1, 0, 1}, o);
  std::vector<float> p = {1.0f, -2.0f, 0.5f};
  const std::vector<std::vector<float>> g = {{0.1f, -0.2f, 0.0f}, {-0.3f, 0.4f, 0.2f}};
  const std::vector<double> lr = {0.01, 0.005};
  // By hand, in double.
  double hp[3] = {1.0, -2.0, 0.5}, hm[3] = {0, 0, 0}, hv[3] = {0, 0, 0};
  const bool decays[3] = {true, false, true};
  for (int t = 1; t <= 2; ++t) {
    opt.step(p, g[t - 1], lr[t - 1]);
    for (int i = 0; i < 3; ++i) {
      const double gi = g[t - 1][i];
      hm[i] = 0.9 * hm[i] + 0.1 * gi;
      hv[i] = 0.99 * hv[i] + 0.01 * gi * gi;
      const double mhat = hm[i] / (1 - std::pow(0.9, t)), vhat = hv[i] / (1 - std::pow(0.99, t));
      hp[i] -= lr[t - 1] * (mhat / (std::sqrt(vhat) + 1e-8) + (decays[i] ? 0.5 * hp[i] : 0.0));
      EXPECT_NEAR(p[i], hp[i], 1e-6) << "step " << t << " param " << i;
    }
  }
  EXPECT_EQ(opt.steps_taken(), 2);
  EXPECT_THROW(opt.step(p, std::vector<float>(2), 0.1), Error);
}

TEST(AdamW, DecayMaskCoversMatricesOnly) {
  model::Config c;
  c.d_model = 8;
  c.n_layers = 1;
  c.n_heads = 2;
  c.d_mlp = 16;
  const auto mask = weight_decay_mask(c);
  ASSERT_EQ(mask.size(), c.parameter_count());
  std::size_t off = 0;
  for (const auto& s : model::tensor_specs(c)) {
    const bool want = s.name.ends_with(".wq") || s.name.ends_with(".wk") || s.name.ends_with(".wv") ||
                      s.name.ends_with(".wo") || s.name == "layers.0.mlp.up.weight" ||
                      s.name == "layers.0.mlp.down.weight" || s.name == "head.weight";
    for (std::uint64_t i = 0; i < s.size(); ++i) ASSERT_EQ(mask[off + i], want ? 1 : 0) << s.name;
    off += s.size();
  }
}

TEST(AdamW, ScheduleWarmupCosineFloor) {
  LrSchedule s{.lr = 1.0, .min_lr = 0.1, .warmup_steps = 10, .total_steps = 110};
  EXPECT_DOUBLE_EQ(s.at(0), 0.1);
  EXPECT_DOUBLE_EQ(s.at(4), 0.5);
  EXPECT_DOUBLE_EQ(s.at(9), 1.0);
  EXPECT_DOUBLE_EQ(s.at(10), 1.0);
  EXPECT_NEAR(s.at(60), 0.55, 1e-12);  // half way: cos(pi/2) = 0
  EXPECT_NEAR(s.at(109), 0.1 + 0.9 * 0.5 * (1 + std::cos(std::numbers::pi * 99 / 100)), 1e-12);
  EXPECT_DOUBLE_EQ(s.at(110), 0.1);
  EXPECT_DOUBLE_EQ(s.at(1000), 0.1);
  for (int i = 10; i < 110; ++i) EXPECT_LE(s.at(i + 1), s.at(i));
}

TEST(AdamW, ClipByGlobalNorm) {
  std::vector<float> g = {3.0f, 4.0f};
  EXPECT_DOUBLE_EQ(clip_grad_norm(g, 10.0), 5.0);
  EXPECT_EQ(g[0], 3.0f);
  EXPECT_DOUBLE_EQ(clip_grad_norm(g, 1.0), 5.0);
  EXPECT_NEAR(g[0], 0.6f, 1e-7);
  EXPECT_NEAR(g[1], 0.8f, 1e-7);
  EXPECT_NEAR(clip_grad_norm(g, 0.0), 1.0, 1e-7);  // 0: report only
}

}  // namespace
}  // namespace lmzip::train
