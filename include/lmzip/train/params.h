// lmzip/train/params.h - a model's parameters (or their gradients) in one buffer of scalars.
//
// llm.c style: one allocation of parameter_count() scalars, carved into the tensors of
// tensor_specs(config) in canonical order (lmzip/model/weights.h). For Scalar = float the buffer
// has exactly the layout of OwnedWeights::data(), so a training state and a model file share it
// element for element. Scalar = double runs the same training code in float64 for gradient checks.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lmzip/model/config.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/weights.h"

namespace lmzip::train {

using model::Config;

// One layer's tensors; P is float, double, or a const of either.
template <class P>
struct LayerTensors {
  P* ln1_w;   // (D)
  P* ln1_b;   // (D)
  P* wq;      // (D, D)
  P* wk;      // (D, D)
  P* wv;      // (D, D)
  P* wo;      // (D, D)
  P* ln2_w;   // (D)
  P* ln2_b;   // (D)
  P* up_w;    // (M, D)
  P* up_b;    // (M)
  P* down_w;  // (D, M)
  P* down_b;  // (D)
};

// Pointers to every tensor of a flat buffer in canonical order.
template <class P>
struct Tensors {
  P* embed;  // (257, D)
  std::vector<LayerTensors<P>> layers;
  P* lnf_w;   // (D)
  P* lnf_b;   // (D)
  P* head_w;  // (256, D)
  P* head_b;  // (256)
};

// Carves `base` (config.parameter_count() elements, canonical order) into tensors.
template <class P>
Tensors<P> carve(const Config& c, P* base) {
  const std::size_t D = static_cast<std::size_t>(c.d_model), M = static_cast<std::size_t>(c.d_mlp);
  Tensors<P> t{};
  P* p = base;
  auto take = [&p](std::size_t n) { P* r = p; p += n; return r; };
  t.embed = take(257 * D);
  t.layers.resize(static_cast<std::size_t>(c.n_layers));
  for (auto& L : t.layers) {
    L.ln1_w = take(D); L.ln1_b = take(D);
    L.wq = take(D * D); L.wk = take(D * D); L.wv = take(D * D); L.wo = take(D * D);
    L.ln2_w = take(D); L.ln2_b = take(D);
    L.up_w = take(M * D); L.up_b = take(M);
    L.down_w = take(D * M); L.down_b = take(D);
  }
  t.lnf_w = take(D); t.lnf_b = take(D);
  t.head_w = take(256 * D); t.head_b = take(256);
  return t;
}

// The parameters of `w` widened (or copied) to Scalar, canonical order.
template <class Scalar>
std::vector<Scalar> params_from_weights(const model::Weights& w) {
  std::vector<Scalar> out;
  out.reserve(w.config.parameter_count());
  const auto specs = model::tensor_specs(w.config);
  const auto ptrs = model::tensor_pointers(w);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    for (std::uint64_t j = 0; j < specs[i].size(); ++j) out.push_back(static_cast<Scalar>(ptrs[i][j]));
  }
  return out;
}

// OwnedWeights holding `params` (canonical order) rounded to float.
// @throws lmzip::Error if params.size() != c.parameter_count() or the config is invalid.
template <class Scalar>
model::OwnedWeights weights_from_params(const Config& c, std::span<const Scalar> params);

}  // namespace lmzip::train
