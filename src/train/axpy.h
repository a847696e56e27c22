// src/train/axpy.h (private) - y[0..n) += a * x[0..n), in blocks of 8 with a constant trip count
// so that GCC's -O2 (very-cheap cost model) turns each block into vector code. Each y[i] gets one
// multiply and one add, so the result is the same as the plain loop (no reassociation).
#pragma once

namespace lmzip::train::detail {

template <class T>
inline void axpy(T* __restrict y, T a, const T* __restrict x, int n) {
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int u = 0; u < 8; ++u) y[i + u] += a * x[i + u];
  }
  for (; i < n; ++i) y[i] += a * x[i];
}

}  // namespace lmzip::train::detail
