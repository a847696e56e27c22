// quantized_model.h (private) - what an Int8Transformer holds: the weights quantised for the
// int8 kernels, the float parameters it copies, the RoPE table and the chosen kernels.
// Shapes: D = d_model, M = d_mlp, H = n_heads, hd = head_dim, V = 256.
#pragma once

#include <vector>

#include "lmzip/model/config.h"
#include "lmzip/model/int8/kernels.h"
#include "lmzip/model/int8/rope_table.h"
#include "lmzip/model/weights.h"

namespace lmzip::model::int8 {

struct QuantizedLayer {
  AlignedVector<float> ln1_w, ln1_b;  // (D)
  QMatrix wqkv;                       // (3D, D): rows [0,D) wq, [D,2D) wk, [2D,3D) wv; no bias
  QMatrix wo;                         // (D, D), no bias
  AlignedVector<float> ln2_w, ln2_b;  // (D)
  QMatrix up;                         // (M, D) + bias (M)
  QMatrix down;                       // (D, M) + bias (D)
};

struct QuantizedModel {
  Config config;
  int head_dim = 0;                    // hd = D / H
  int head_dim_pad = 0;                // hd rounded up to 4 (key cache groups)
  int ctx_pad = 0;                     // context rounded up to 16 (key cache blocks)
  int in_pad = 0;                      // max(D, M) rounded up to 4: the int8 activation row stride
  float embed_scale = 0;               // sqrt(D), correctly rounded
  float attn_scale = 0;                // 1 / sqrt(hd), both steps correctly rounded
  AlignedVector<float> embed;          // (257, D) float, row 256 = BOS
  std::vector<QuantizedLayer> layers;  // L
  AlignedVector<float> lnf_w, lnf_b;   // (D)
  QMatrix head;                        // (V, D) + bias (V)
  RopeTable rope;                      // (context, hd/2)
  const Kernels* kernels = nullptr;
  int block = 64;  // positions per block in tables_for_chunk
};

// Validates the config and weights and quantises them. @throws lmzip::Error (see
// Int8Transformer's constructor).
QuantizedModel quantize_model(const Weights& w, KernelPath path, int block);

}  // namespace lmzip::model::int8
