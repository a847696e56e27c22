// vec_kernels.h - the float32 twins' pointwise kernels on a vector unit: GELU
// (lmzip/train/layers_fast.h) and the softmax rows of attention (layers_fast.cpp), on
// vec_math.h's lanes, compiled at every width this CPU may run and chosen at run time.
// Training only; tests/train/vec_kernels_test.cpp holds every width to float64 and to libm.
#pragma once

#include <vector>

namespace lmzip::train::detail {

struct VecKernels {
  int width;  // floats a vector: 16 (AVX-512), 8 (AVX2) or 4 (any CPU)

  // row[0..n) <- softmax(row[0..n)), n >= 1.
  void (*softmax_in_place)(float* row, int n);
  // The softmax's backward for one row, in place: with w = sum_r p[r] d[r],
  // d[r] <- p[r] (d[r] - w) scale for r < n.
  void (*softmax_backward_in_place)(float* d, const float* p, int n, float scale);
  // out[i] = GELU(x[i]); dx[i] += GELU'(x[i]) dout[i] (the tanh form, as the reference layers).
  void (*gelu_forward)(float* out, const float* x, int n);
  void (*gelu_backward)(float* dx, const float* x, const float* dout, int n);
};

// Every width this CPU runs, widest (the one the trainer uses) first; never empty.
const std::vector<VecKernels>& vec_kernels();

}  // namespace lmzip::train::detail
