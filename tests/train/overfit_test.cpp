// End to end: forward, backward, clipping, AdamW and the schedule drive a tiny model's loss on a
// short repetitive text far below ln 256 (it can overfit), deterministically.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "lmzip/model/model_file.h"
#include "lmzip/train/adamw.h"
#include "lmzip/train/train_model.h"

namespace lmzip::train {
namespace {

std::vector<double> train_losses(int steps) {
  model::Config c;
  c.d_model = 32;
  c.n_layers = 2;
  c.n_heads = 2;
  c.d_mlp = 128;
  c.context = 64;
  model::OwnedWeights w = model::random_weights(c, 1);
  std::span<float> params = w.data();
  const std::string text = "the cat sat on the mat. the dog sat on the log. ";
  const int B = 4, T = 32;
  TrainModel<float> m(c, B, T);
  AdamW opt(weight_decay_mask(c), {.lr = 3e-3, .beta1 = 0.9, .beta2 = 0.95, .eps = 1e-8, .weight_decay = 0.01});
  const LrSchedule sched{.lr = 3e-3, .min_lr = 3e-4, .warmup_steps = 20, .total_steps = steps};
  std::vector<double> losses;
  Bytes batch(B * T);
  for (int step = 0; step < steps; ++step) {
    for (int b = 0; b < B; ++b) {  // sequence b starts at offset (7 step + 11 b) of the periodic text
      for (int t = 0; t < T; ++t) {
        batch[b * T + t] = static_cast<std::uint8_t>(text[(7 * step + 11 * b + t) % text.size()]);
      }
    }
    losses.push_back(m.forward(std::span<const float>(params), batch));
    m.backward();
    std::vector<float> g(m.grads().begin(), m.grads().end());
    clip_grad_norm(g, 1.0);
    opt.step(params, g, sched.at(step));
  }
  return losses;
}

TEST(TrainOverfit, RepetitiveTextLossFallsFarBelowLn256) {
  const auto losses = train_losses(300);
  EXPECT_NEAR(losses.front(), std::log(256.0), 1.0);
  const double last = losses.back();
  RecordProperty("final_loss", testing::PrintToString(last));
  EXPECT_LT(last, 0.5) << "first " << losses.front() << " last " << last;
  for (double l : losses) EXPECT_TRUE(std::isfinite(l));
}

TEST(TrainOverfit, Deterministic) {
  EXPECT_EQ(train_losses(5), train_losses(5));
}

}  // namespace
}  // namespace lmzip::train
