// The whole model's gradient (TrainModel<double>::backward) against central finite differences
// of its loss, for every parameter of a tiny config.
#include <gtest/gtest.h>

#include <cmath>

#include "grad_check.h"
#include "lmzip/error.h"
#include "lmzip/model/model_file.h"
#include "lmzip/train/train_model.h"

namespace lmzip::train {
namespace {

model::Config tiny() {
  model::Config c;
  c.d_model = 8;
  c.n_layers = 2;
  c.n_heads = 2;
  c.d_mlp = 16;
  c.context = 16;
  return c;
}

Bytes random_bytes(std::size_t n, std::uint64_t seed) {
  Bytes b(n);
  const auto r = test::random_vec(n, seed);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((r[i] + 1.0) * 128.0);
  return b;
}

TEST(TrainModelGrad, EveryParameterAgreesWithFiniteDifferences) {
  const model::Config c = tiny();
  const int B = 2, T = 7;
  // Perturbed LayerNorms so their weights and biases matter, and a larger head so the loss is
  // not flat.
  model::OwnedWeights w = model::random_weights(c, 42, {.perturb_layernorm = true});
  std::vector<double> params = params_from_weights<double>(w);
  const Bytes bytes = random_bytes(B * T, 7);
  TrainModel<double> m(c, B, T);
  m.forward(params, bytes);
  m.backward();
  const std::vector<double> analytic(m.grads().begin(), m.grads().end());
  auto loss = [&] { return m.forward(params, bytes); };
  // eps 1e-5: the truncation error (eps^2) is still negligible and the rounding error of the
  // difference (~1e-16 |loss| / eps ~ 1e-10) is 10x smaller than at 1e-6. Gradients below 1e-3
  // in size are held to an absolute 1e-9 (1e-6 x the floor): relative error is only noise there.
  const auto r = test::grad_check(loss, params, analytic, 1e-5, 1e-3);
  EXPECT_EQ(r.checked, c.parameter_count());
  EXPECT_LT(r.max_rel, 1e-6);
  RecordProperty("max_rel", testing::PrintToString(r.max_rel));
  // Every tensor receives a gradient (none silently left zero). The embedding rows of bytes that
  // never occur as input are the only exact zeros.
  double norm = 0;
  for (double g : analytic) norm += g * g;
  EXPECT_GT(norm, 0.0);
}

TEST(TrainModelGrad, FloatGradientsTrackDouble) {
  const model::Config c = tiny();
  const int B = 2, T = 7;
  model::OwnedWeights w = model::random_weights(c, 43, {.perturb_layernorm = true});
  const Bytes bytes = random_bytes(B * T, 8);
  TrainModel<double> md(c, B, T);
  TrainModel<float> mf(c, B, T);
  const auto pd = params_from_weights<double>(w);
  const double ld = md.forward(pd, bytes);
  const double lf = mf.forward(std::span<const float>(w.data()), bytes);
  EXPECT_NEAR(lf, ld, 1e-5 * ld);
  md.backward();
  mf.backward();
  double diff = 0, ref = 0;
  for (std::size_t i = 0; i < pd.size(); ++i) {
    diff += (mf.grads()[i] - md.grads()[i]) * (mf.grads()[i] - md.grads()[i]);
    ref += md.grads()[i] * md.grads()[i];
  }
  EXPECT_LT(std::sqrt(diff / ref), 1e-5);
}

TEST(TrainModelGrad, RejectsBadShapes) {
  const model::Config c = tiny();
  EXPECT_THROW(TrainModel<float>(c, 1, 17), Error);
  EXPECT_THROW(TrainModel<float>(c, 0, 4), Error);
  TrainModel<float> m(c, 1, 4);
  EXPECT_THROW(m.backward(), Error);
  std::vector<float> p(c.parameter_count());
  const Bytes three(3);
  EXPECT_THROW(m.forward(p, three), Error);
}

}  // namespace
}  // namespace lmzip::train
