// run_state.h (private) - the per-session memory of the int8 transformer (llama2.c's RunState):
// activation buffers for a block of B positions and the KV cache for the whole context (keys
// and values int8, quantised per (position, head) vector).
// Shapes: B = block rows, D = d_model, M = d_mlp, H = n_heads, hdp = head_dim_pad,
// K = in_pad (int8 row stride), C = context, Cp = ctx_pad, L = n_layers, V = 256.
#pragma once

#include <cstdint>

#include "lmzip/model/int8/kernels.h"
#include "quantized_model.h"

namespace lmzip::model::int8 {

struct RunState {
  // activations of the current block
  AlignedVector<float> x;         // (B, D) residual stream
  AlignedVector<float> xn;        // (B, D) LayerNorm output, then the projection outputs
  AlignedVector<std::int8_t> xq;  // (B, K) quantised matmul input, zero padded
  AlignedVector<float> xs;        // (B) its scales
  AlignedVector<float> qkv;       // (B, 3D) q | k | v, RoPE applied to q and k in place
  AlignedVector<std::int8_t> qq;  // (B, H, hdp) quantised queries
  AlignedVector<float> q_coef;    // (B, H) query scale / sqrt(hd)
  AlignedVector<float> att;       // (B, D) attention output
  AlignedVector<float> hid;       // (B, M) MLP hidden
  AlignedVector<float> logits;    // (B, V)
  AlignedVector<float> probs;     // (V)
  AlignedVector<float> weights;   // (kAttentionGroup, Cp/16, H, 16) attention weights scratch
  // KV cache
  AlignedVector<std::int8_t> key;          // (L, H, Cp/16, hdp/4, 16, 4) int8 keys (key_index layout)
  AlignedVector<float> key_scale;          // (L, H, Cp) per (position, head) key scale
  AlignedVector<std::int32_t> key_sum128;  // (L, H, Cp) 128 * sum of the key's int8 values
  AlignedVector<std::int8_t> value;        // (L, C, D) int8 values, heads side by side
  AlignedVector<float> value_scale;        // (L, H, Cp) per (position, head) value scale

  RunState(const QuantizedModel& m, int rows) {
    const Config& c = m.config;
    const std::size_t B = static_cast<std::size_t>(rows), D = c.d_model, M = c.d_mlp, H = c.n_heads;
    const std::size_t L = c.n_layers, Cp = m.ctx_pad, hdp = m.head_dim_pad;
    x.assign(B * D, 0.0f);
    xn.assign(B * D, 0.0f);
    xq.assign(B * m.in_pad, 0);
    xs.assign(B, 0.0f);
    qkv.assign(B * 3 * D, 0.0f);
    qq.assign(B * H * hdp, 0);
    q_coef.assign(B * H, 0.0f);
    att.assign(B * D, 0.0f);
    hid.assign(B * M, 0.0f);
    logits.assign(B * kByteVocab, 0.0f);
    probs.assign(kByteVocab, 0.0f);
    weights.assign(kAttentionGroup * H * Cp, 0.0f);
    key.assign(L * H * Cp * hdp, 0);
    key_scale.assign(L * H * Cp, 0.0f);
    key_sum128.assign(L * H * Cp, 0);
    value.assign(L * static_cast<std::size_t>(c.context) * D, 0);
    value_scale.assign(L * H * Cp, 0.0f);
  }
};

}  // namespace lmzip::model::int8
