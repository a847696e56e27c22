// lmzip/model/weights.h - the float32 parameters of a byte transformer, as stored in its
// safetensors file. Matrices are row-major with shape (out, in): y[o] = sum_i W[o][i] x[i].
// Shapes use L = n_layers, D = d_model, M = d_mlp, V = 256.
//
// Tensor names in the file (all F32, little-endian):
//   embed.weight                (257, D)    row 256 = BOS
//   layers.{l}.ln1.weight / .bias        (D)
//   layers.{l}.attn.wq / wk / wv / wo    (D, D)
//   layers.{l}.ln2.weight / .bias        (D)
//   layers.{l}.mlp.up.weight   (M, D)   layers.{l}.mlp.up.bias   (M)
//   layers.{l}.mlp.down.weight (D, M)   layers.{l}.mlp.down.bias (D)
//   ln_f.weight / ln_f.bias    (D)
//   head.weight                (V, D)   head.bias (V)
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "lmzip/model/config.h"

namespace lmzip::model {

struct LayerWeights {
  const float* ln1_w;   // (D)
  const float* ln1_b;   // (D)
  const float* wq;      // (D, D)
  const float* wk;      // (D, D)
  const float* wv;      // (D, D)
  const float* wo;      // (D, D)
  const float* ln2_w;   // (D)
  const float* ln2_b;   // (D)
  const float* up_w;    // (M, D)
  const float* up_b;    // (M)
  const float* down_w;  // (D, M)
  const float* down_b;  // (D)
};

// A read-only view of every tensor; the memory belongs to whoever made the view (a mapped
// model file or an owned buffer).
struct Weights {
  Config config;
  const float* embed;   // (257, D)
  std::vector<LayerWeights> layers;  // L entries
  const float* lnf_w;   // (D)
  const float* lnf_b;   // (D)
  const float* head_w;  // (V, D)
  const float* head_b;  // (V)
};

// One tensor of the model: its name in the file and its shape (row-major).
struct TensorSpec {
  std::string name;                   // e.g. "layers.0.attn.wq"
  std::vector<std::uint64_t> shape;   // e.g. {D, D}
  std::uint64_t size() const;         // number of elements (product of shape)
};

// Every tensor of a model with config `c`, in the canonical order: embed.weight, then for each
// layer ln1.weight, ln1.bias, attn.wq, attn.wk, attn.wv, attn.wo, ln2.weight, ln2.bias,
// mlp.up.weight, mlp.up.bias, mlp.down.weight, mlp.down.bias; then ln_f.weight, ln_f.bias,
// head.weight, head.bias. The sizes add up to c.parameter_count().
std::vector<TensorSpec> tensor_specs(const Config& c);

// The tensor pointers of `w`, in the order of tensor_specs(w.config).
std::vector<const float*> tensor_pointers(const Weights& w);

// A view with config `c` whose i-th tensor (order of tensor_specs(c)) is ptrs[i].
// @throws lmzip::Error if ptrs.size() does not match.
Weights make_weights(const Config& c, std::span<const float* const> ptrs);

}  // namespace lmzip::model
