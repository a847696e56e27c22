// The one model and input that tools/torch_reference.py was run on (docs/training.md, docs/model.md):
// its logits (tests/golden/model/torch_logits_f64.bin, TorchReference.*) and its loss and
// gradients (tests/golden/train/torch_grads_f64.safetensors, TorchGradients.*). Both golden files
// come from this model's file (write_model_file()) and this text, so they change together.
#pragma once

#include <string>

#include "lmzip/model/model_file.h"

namespace lmzip::test {

// D 32, 2 layers, 4 heads, M 128, context 64, LayerNorms perturbed, seed 20261127.
inline model::OwnedWeights torch_reference_weights() {
  model::Config c;
  c.d_model = 32;
  c.n_layers = 2;
  c.n_heads = 4;
  c.d_mlp = 128;
  c.context = 64;
  model::InitOptions o;
  o.perturb_layernorm = true;
  return model::random_weights(c, 20261127, o);
}

// 43 bytes, ASCII and three bytes above 127.
inline const std::string kTorchReferenceText = "Language models are compressors: \x01\xff\x80 bytes!";

}  // namespace lmzip::test
