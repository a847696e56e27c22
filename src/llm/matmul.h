// src/llm/matmul.h (private) - the float32 matmul of the Llama forward, one summation order on
// every kernel path (docs/llm.md, "Numerics").
//
// Every output is the canonical 16-lane dot product of numerics.h:
//   lane[u] = ((+0 + w[u]*x[u]) + w[u+16]*x[u+16]) + ...        u = 0..15, each product rounded
//   lane[u] += lane[u+8] (u < 8); lane[u] += lane[u+4] (u < 4); lane[u] += lane[u+2] (u < 2);
//   dot = lane[0] + lane[1];   y = dot (+ b)
// The products past n are left out, which equals adding +0 (a lane is never -0). The reference
// path is these loops; the AVX2 path keeps lanes 0-7 and 8-15 in two registers, the AVX-512 path
// in one; tiles of tokens x rows share the loads and change no sum.
#pragma once

#include "lmzip/model/int8/kernel_path.h"

namespace lmzip::llm::detail {

// y[r * ldy + i] = dot(w + i * ldw, x + r * ldx, n) (+ b[i] if b) for r < rows, i < d.
// `path` must be resolved (reference, avx2 or avx512) and supported by this CPU.
void matmul(model::int8::KernelPath path, float* y, int ldy, const float* x, int ldx, int rows,
            const float* w, long ldw, const float* b, int n, int d);

// The canonical dot product (the reference definition).
float dot_reference(const float* w, const float* x, int n);

}  // namespace lmzip::llm::detail
