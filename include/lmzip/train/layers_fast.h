// lmzip/train/layers_fast.h - float32 twins of the heavy layers of lmzip/train/layers.h (the
// affine layer and causal attention, written as GEMMs on a BLAS, OpenBLAS when the build found
// it; GELU and attention's softmax rows on a vector unit, src/train/vec_kernels.h). Same
// arguments and the same contract as the reference layers (a forward overwrites, a backward adds);
// only the order of the sums differs, so results agree with the reference to float32 rounding, not
// bit for bit (tests/train/layers_fast_test.cpp). Training only.
//
// TrainModel<float> runs the GEMM twins when lmzip was built with OpenBLAS (their fallback GEMM is
// a plain loop, slower than the reference layers' vectorised axpy loops, so without OpenBLAS it
// keeps the reference layers) and the GELU twins always; TrainModel<double> (the gradient checks)
// always runs the reference layers.
#pragma once

#include <string>

namespace lmzip::train::fast {

// Whether the twins run on OpenBLAS (else on a plain loop), and its description for logs.
bool accelerated();
std::string backend();

void matmul_forward(float* out, const float* x, const float* W, const float* b, int N, int IN, int OUT);
void matmul_backward(float* dx, float* dW, float* db, const float* dout, const float* x, const float* W, int N,
                     int IN, int OUT);

// Causal attention, computed in blocks of query rows so that only the scores on or below the
// diagonal's block are formed.
void attention_forward(float* out, float* att, const float* q, const float* k, const float* v, int B, int Tlen,
                       int H, int hd);
void attention_backward(float* dq, float* dk, float* dv, const float* dout, const float* att, const float* q,
                        const float* k, const float* v, int B, int Tlen, int H, int hd);

// GELU (tanh form) with a vectorised tanh (src/train/vec_kernels.h); no BLAS involved.
void gelu_forward(float* out, const float* x, int n);
void gelu_backward(float* dx, const float* x, const float* dout, int n);

}  // namespace lmzip::train::fast
