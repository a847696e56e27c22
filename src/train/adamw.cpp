// AdamW, the learning-rate schedule and gradient clipping (lmzip/train/adamw.h).
#include "lmzip/train/adamw.h"

#include <cmath>
#include <numbers>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model/weights.h"

namespace lmzip::train {

double LrSchedule::at(std::int64_t step) const {
  if (step < warmup_steps) return lr * static_cast<double>(step + 1) / static_cast<double>(warmup_steps);
  if (step >= total_steps) return min_lr;
  const double progress =
      static_cast<double>(step - warmup_steps) / static_cast<double>(total_steps - warmup_steps);
  return min_lr + (lr - min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
}

double clip_grad_norm(std::span<float> grads, double max_norm) {
  double sq = 0;
  for (float g : grads) sq += static_cast<double>(g) * g;
  const double norm = std::sqrt(sq);
  if (max_norm > 0 && norm > max_norm) {
    const float scale = static_cast<float>(max_norm / norm);
    for (float& g : grads) g *= scale;
  }
  return norm;
}

std::vector<std::uint8_t> weight_decay_mask(const model::Config& c) {
  std::vector<std::uint8_t> mask;
  mask.reserve(c.parameter_count());
  for (const auto& s : model::tensor_specs(c)) {
    const bool decays = s.shape.size() == 2 && s.name != "embed.weight";
    mask.insert(mask.end(), s.size(), decays ? 1 : 0);
  }
  return mask;
}

AdamW::AdamW(std::vector<std::uint8_t> decay_mask, const AdamWOptions& options)
    : decay_(std::move(decay_mask)), o_(options), m_(decay_.size(), 0.0f), v_(decay_.size(), 0.0f) {
  if (!(o_.beta1 >= 0 && o_.beta1 < 1) || !(o_.beta2 >= 0 && o_.beta2 < 1) || !(o_.eps > 0) ||
      !(o_.weight_decay >= 0)) {
    throw Error("adamw: need 0 <= beta1, beta2 < 1, eps > 0, weight_decay >= 0");
  }
}

void AdamW::step(std::span<float> params, std::span<const float> grads, double lr) {
  if (params.size() != decay_.size() || grads.size() != decay_.size()) {
    throw Error("adamw: " + std::to_string(params.size()) + " parameters and " + std::to_string(grads.size()) +
                " gradients for a state of " + std::to_string(decay_.size()));
  }
  ++t_;
  const double c1 = 1.0 - std::pow(o_.beta1, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(o_.beta2, static_cast<double>(t_));
  const float b1 = static_cast<float>(o_.beta1), b2 = static_cast<float>(o_.beta2);
  const float ic1 = static_cast<float>(1.0 / c1), ic2 = static_cast<float>(1.0 / c2);
  const float flr = static_cast<float>(lr), eps = static_cast<float>(o_.eps);
  const float wd = static_cast<float>(o_.weight_decay);
  for (std::size_t i = 0; i < params.size(); ++i) {  // omp: parallel for (elementwise)
    const float g = grads[i];
    m_[i] = b1 * m_[i] + (1.0f - b1) * g;
    v_[i] = b2 * v_[i] + (1.0f - b2) * g * g;
    const float mhat = m_[i] * ic1, vhat = v_[i] * ic2;
    const float decay = decay_[i] ? wd * params[i] : 0.0f;
    params[i] -= flr * (mhat / (std::sqrt(vhat) + eps) + decay);
  }
}

void AdamW::restore(std::span<const float> m, std::span<const float> v, std::int64_t steps_taken) {
  if (m.size() != m_.size() || v.size() != v_.size() || steps_taken < 0) {
    throw Error("adamw: restored state does not match the parameters");
  }
  m_.assign(m.begin(), m.end());
  v_.assign(v.begin(), v.end());
  t_ = steps_taken;
}

}  // namespace lmzip::train
