// Private to src/model/int8: the weighted sum over values for one query and any head_dim, in
// plain C++ with the reference's operations and order (AttentionArgs in kernels.h). The SIMD
// attention kernels fall back to it for head dimensions they have no vector code for.
#pragma once

#include <cstddef>

#include "lmzip/model/int8/kernels.h"

namespace lmzip::model::int8 {

inline void scalar_weighted_values(const AttentionArgs& a, const float* total) {
  const int H = a.n_heads, hd = a.head_dim, D = H * hd;
  for (int h = 0; h < H; ++h) {
    for (int d = h * hd; d < (h + 1) * hd; ++d) {
      float acc = 0.0f;
      for (int t = 0; t < a.n_keys; ++t) {
        acc =
            acc + a.weights[weight_index(H, h, t)] * static_cast<float>(a.values[static_cast<std::size_t>(t) * D + d]);
      }
      a.out[d] = acc / total[h];
    }
  }
}

}  // namespace lmzip::model::int8
