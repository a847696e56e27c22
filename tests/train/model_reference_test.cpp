// The training forward against the float64 reference forward (lmzip/model/reference_model.h):
// the same model definition, so the same logits (to float32 rounding in float, to summation-order
// rounding in double), and a random model's loss near ln 256.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "grad_check.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/reference_model.h"
#include "lmzip/train/train_model.h"

namespace lmzip::train {
namespace {

Bytes sample_text(std::size_t n, std::uint64_t seed) {
  Bytes b(n);
  const auto r = test::random_vec(n, seed);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((r[i] + 1.0) * 128.0);
  return b;
}

template <class Scalar>
double max_rel_diff_to_reference(const model::OwnedWeights& w, const Bytes& bytes, int B, int T) {
  TrainModel<Scalar> m(w.config(), B, T);
  const auto params = params_from_weights<Scalar>(w);
  m.forward(params, bytes);
  double worst = 0;
  for (int b = 0; b < B; ++b) {
    const auto ref = model::reference_logits(w, ByteView(bytes).subspan(static_cast<std::size_t>(b) * T, T));
    for (int t = 0; t < T; ++t) {
      for (int s = 0; s < 256; ++s) {
        const double got = m.logits()[(static_cast<std::size_t>(b) * T + t) * 256 + s];
        const double want = ref[static_cast<std::size_t>(t)][static_cast<std::size_t>(s)];
        worst = std::max(worst, std::abs(got - want) / std::max(1.0, std::abs(want)));
      }
    }
  }
  return worst;
}

TEST(TrainForward, LogitsEqualReference200K) {
  const model::Config c = model::preset("200K");
  const model::OwnedWeights w = model::random_weights(c, 2024, {.perturb_layernorm = true});
  const int B = 2, T = 64;
  const Bytes bytes = sample_text(B * T, 99);
  const double f32 = max_rel_diff_to_reference<float>(w, bytes, B, T);
  const double f64 = max_rel_diff_to_reference<double>(w, bytes, B, T);
  RecordProperty("f32_max_rel", testing::PrintToString(f32));
  RecordProperty("f64_max_rel", testing::PrintToString(f64));
  EXPECT_LT(f32, 1e-4);
  EXPECT_LT(f64, 1e-10);
}

TEST(TrainForward, RandomModelLossNearLn256AndMatchesReferenceBits) {
  const model::Config c = model::preset("200K");
  const model::OwnedWeights w = model::random_weights(c, 7);
  const int B = 2, T = 64;
  const Bytes bytes = sample_text(B * T, 5);
  TrainModel<float> m(c, B, T);
  const double loss = m.forward(std::span<const float>(w.data()), bytes);
  EXPECT_NEAR(loss, std::log(256.0), 0.7);
  double bits = 0;
  for (int b = 0; b < B; ++b) bits += model::reference_bits(w, ByteView(bytes).subspan(b * T, T));
  EXPECT_NEAR(loss * B * T / std::numbers::ln2, bits, 1e-4 * bits);
}

}  // namespace
}  // namespace lmzip::train
