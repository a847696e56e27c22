// lmzip/train/train_model.h - the byte transformer's training forward and backward on the CPU.
//
// One model definition: the forward computes docs/model.md's equations (the same as the float64
// reference, lmzip/model/reference_model.h, which the tests hold it to) from the layer pairs of
// lmzip/train/layers.h. llm.c style: the parameters and their gradients are flat buffers in the
// canonical order of tensor_specs() (lmzip/train/params.h), the activations one allocation, and
// the gradients of the activations a second one of the same layout.
//
// A batch is B sequences of T bytes (bytes[b*T .. b*T+T-1] is sequence b). Each is read as the
// reference reads a chunk: inputs BOS, s[0], ..., s[T-2]; targets s[0], ..., s[T-1]; the loss is
// the mean over the B*T positions of -ln P(target) (nats; divide by ln 2 for bits per byte).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/model/config.h"
#include "lmzip/train/params.h"

namespace lmzip::train {

template <class Scalar>
class TrainModel {
 public:
  // Buffers for batches of `batch` sequences of `seq_len` bytes.
  // @throws lmzip::Error if the config is invalid, batch < 1, or seq_len is not in 1..context.
  TrainModel(const Config& c, int batch, int seq_len);

  const Config& config() const { return config_; }
  int batch() const { return B_; }
  int seq_len() const { return T_; }

  // Runs the forward pass and returns the mean loss (nats per byte).
  // `params` (parameter_count() scalars, canonical order) must stay unchanged and alive until
  // backward() returns. @throws lmzip::Error if a size is wrong.
  double forward(std::span<const Scalar> params, ByteView bytes);

  // d(loss)/d(params) of the last forward, written (not accumulated) into grads().
  // @throws lmzip::Error if forward() has not run.
  void backward();

  std::span<const Scalar> grads() const { return grads_; }
  // The last forward's logits, (B*T, 256): row b*T + t predicts byte t of sequence b.
  std::span<const Scalar> logits() const;
  // The last forward's per-position losses (B*T).
  std::span<const Scalar> losses() const;

 private:
  struct LayerActs {
    Scalar *ln1, *ln1_mean, *ln1_rstd, *q, *k, *v, *att, *atty, *attproj, *res2;
    Scalar *ln2, *ln2_mean, *ln2_rstd, *fch, *fch_gelu, *fcproj, *res3;
  };
  struct Acts {
    Scalar* encoded;
    std::vector<LayerActs> layers;
    Scalar *lnf, *lnf_mean, *lnf_rstd, *logits, *probs, *losses;
  };
  Acts carve_acts(Scalar* base, std::size_t* total) const;

  Config config_;
  int B_, T_;
  std::vector<Scalar> grads_;       // (parameter_count)
  std::vector<Scalar> act_buf_;     // activations
  std::vector<Scalar> dact_buf_;    // their gradients
  Acts acts_, dacts_;
  std::vector<Scalar> rope_cos_, rope_sin_;  // (T, head_dim/2)
  std::vector<int> inputs_, targets_;        // (B*T)
  const Scalar* params_ = nullptr;           // of the last forward
};

extern template class TrainModel<float>;
extern template class TrainModel<double>;

}  // namespace lmzip::train
