// fast_rows.h - the row kernels of the float32 attention twin (layers_fast.cpp), vectorised
// (vec_math.h) and compiled for AVX-512 and AVX2 beside the baseline, chosen at run time.
// Training only; tests/train/fast_rows_test.cpp holds them to float64 softmaxes.
#pragma once

namespace lmzip::train::detail {

// row[0..n) <- softmax(row[0..n)), n >= 1.
void softmax_in_place(float* row, int n);

// The softmax's backward for one row, in place: with w = sum_r p[r] d[r],
// d[r] <- p[r] (d[r] - w) scale for r < n.
void softmax_backward_in_place(float* d, const float* p, int n, float scale);

}  // namespace lmzip::train::detail
