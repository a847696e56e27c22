// lmzip/train/adamw.h - AdamW with decoupled weight decay, the learning-rate schedule and
// gradient clipping by global norm. Deterministic: plain sequential loops, sums in double.
//
// Update for parameter p with gradient g at step t = 1, 2, ... (learning rate lr from the schedule):
//   m = beta1 m + (1 - beta1) g          v = beta2 v + (1 - beta2) g^2
//   mhat = m / (1 - beta1^t)             vhat = v / (1 - beta2^t)
//   p = p - lr (mhat / (sqrt(vhat) + eps) + wd p)     wd = weight_decay if p decays, else 0
// Weight decay applies to the matrices only: attn.wq/wk/wv/wo, mlp.up.weight, mlp.down.weight,
// head.weight. Not to embed.weight (a rare byte's row would shrink between the few steps that
// see it; the sqrt(D) scale already fixes its size), LayerNorm weights and biases, or any bias.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lmzip/model/config.h"

namespace lmzip::train {

struct AdamWOptions {
  double lr = 1e-3;       // peak learning rate
  double beta1 = 0.9;
  double beta2 = 0.95;
  double eps = 1e-8;
  double weight_decay = 0.1;
};

// Linear warm-up from lr/warmup_steps to lr over steps 0..warmup_steps-1, then cosine decay from
// lr to min_lr over steps warmup_steps..total_steps-1; min_lr from then on.
//   step < W:        lr (step + 1) / W
//   W <= step < S:   min_lr + (lr - min_lr) (1 + cos(pi (step - W) / (S - W))) / 2
//   step >= S:       min_lr
struct LrSchedule {
  double lr = 1e-3;
  double min_lr = 1e-4;
  std::int64_t warmup_steps = 100;
  std::int64_t total_steps = 10000;
  double at(std::int64_t step) const;  // step counts from 0
};

// Scales `grads` by max_norm / ||grads||_2 when the global norm exceeds max_norm (max_norm <= 0:
// no clipping). @return the norm before clipping (summed in double, in order).
double clip_grad_norm(std::span<float> grads, double max_norm);

// Per-element decay flags for the parameters of `c` in canonical order: 1 for the matrices above.
std::vector<std::uint8_t> weight_decay_mask(const model::Config& c);

// The optimizer state for one parameter buffer.
class AdamW {
 public:
  // @param decay_mask one flag per parameter (weight_decay_mask(config) for a model; any mask for
  // tests). @throws lmzip::Error if an option is out of range.
  AdamW(std::vector<std::uint8_t> decay_mask, const AdamWOptions& options);

  // One update at learning rate `lr` (normally schedule.at(step())).
  // @throws lmzip::Error if the sizes differ from the mask's.
  void step(std::span<float> params, std::span<const float> grads, double lr);

  std::int64_t steps_taken() const { return t_; }
  std::span<const float> m() const { return m_; }
  std::span<const float> v() const { return v_; }
  // For resuming from a checkpoint: the moment buffers and the step count.
  // @throws lmzip::Error if the sizes differ.
  void restore(std::span<const float> m, std::span<const float> v, std::int64_t steps_taken);

 private:
  std::vector<std::uint8_t> decay_;
  AdamWOptions o_;
  std::vector<float> m_, v_;
  std::int64_t t_ = 0;
};

}  // namespace lmzip::train
