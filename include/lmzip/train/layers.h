// lmzip/train/layers.h - forward/backward pairs of every layer of the byte transformer.
//
// The equations are docs/model.md's (the training forward must agree with the float64 reference,
// lmzip/model/reference_model.h); the backward equations are in docs/training.md. Templated on the
// scalar (explicitly instantiated for float and double), so the float64 gradient checks run the
// very same code as float32 training.
//
// Conventions (llm.c style): activations are row-major (N, C) with N = B * T positions, sequence
// b's position t at row b * T + t. A forward writes its outputs (overwriting). A backward ADDS
// (+=) into every gradient it produces, so callers zero gradients once and let branches accumulate.
// Pointers of different arguments never alias unless stated. All functions are single-threaded;
// the loops marked "omp:" are where `#pragma omp parallel for` goes once CMake links OpenMP.
#pragma once

#include <cstdint>

namespace lmzip::train {

// out[n, :] = E[tokens[n], :] * sqrt(D). E is (257, D).
template <class T>
void embedding_forward(T* out, const int* tokens, const T* E, int N, int D);
// dE[tokens[n], :] += dout[n, :] * sqrt(D).
template <class T>
void embedding_backward(T* dE, const T* dout, const int* tokens, int N, int D);

// out[n] = (x[n] - mean) * rstd * w + b, rstd = 1 / sqrt(var + eps) (biased var); mean and rstd
// (N) are saved for the backward.
template <class T>
void layernorm_forward(T* out, T* mean, T* rstd, const T* x, const T* w, const T* b, int N, int D, double eps);
template <class T>
void layernorm_backward(T* dx, T* dw, T* db, const T* dout, const T* x, const T* w, const T* mean,
                        const T* rstd, int N, int D);

// out[n, o] = b[o] + sum_i x[n, i] W[o, i]; W is (OUT, IN), b (OUT) or null (no bias). Each
// output is summed in the reference's order: bias first, then i ascending.
template <class T>
void matmul_forward(T* out, const T* x, const T* W, const T* b, int N, int IN, int OUT);
// dx += dout W, dW += dout^T x, db += column sums of dout (db may be null when there is no bias).
template <class T>
void matmul_backward(T* dx, T* dW, T* db, const T* dout, const T* x, const T* W, int N, int IN, int OUT);

// The RoPE angles of positions 0..Tlen-1: cos/sin tables (Tlen, hd/2), angle p * theta^(-2j/hd),
// computed in double exactly as the reference does, then rounded to T.
template <class T>
void rope_tables(T* cos_t, T* sin_t, int Tlen, int hd, double theta);
// Rotates every head's slice of x (B, Tlen, H*hd) in place: (u_j, u_{j+hd/2}) <- R(p) (u_j, u_{j+hd/2}).
template <class T>
void rope_forward(T* x, const T* cos_t, const T* sin_t, int B, int Tlen, int H, int hd);
// dx <- R(p)^T dx, in place (the rotation is orthogonal and linear, so no input is saved).
template <class T>
void rope_backward(T* dx, const T* cos_t, const T* sin_t, int B, int Tlen, int H, int hd);

// Causal multi-head attention: q, k, v (B, Tlen, H*hd) after RoPE; att (B, H, Tlen, Tlen) gets
// the softmax probabilities (entries above the diagonal are zero); out (B, Tlen, H*hd) the heads'
// weighted sums of v. Scores are (q . k) / sqrt(hd), softmax with the row maximum subtracted.
template <class T>
void attention_forward(T* out, T* att, const T* q, const T* k, const T* v, int B, int Tlen, int H, int hd);
template <class T>
void attention_backward(T* dq, T* dk, T* dv, const T* dout, const T* att, const T* q, const T* k, const T* v,
                        int B, int Tlen, int H, int hd);

// out = GELU(x) (tanh approximation), n elements.
template <class T>
void gelu_forward(T* out, const T* x, int n);
template <class T>
void gelu_backward(T* dx, const T* x, const T* dout, int n);

// out = a + b, n elements; backward: da += dout, db += dout.
template <class T>
void residual_forward(T* out, const T* a, const T* b, int n);
template <class T>
void residual_backward(T* da, T* db, const T* dout, int n);

// probs[n] = softmax(logits[n]) over V; losses[n] = -ln probs[n][targets[n]].
// @return the mean of losses (accumulated in double).
template <class T>
double crossentropy_forward(T* probs, T* losses, const T* logits, const int* targets, int N, int V);
// d(mean loss)/d logits: dlogits[n] += (probs[n] - onehot(targets[n])) / N.
template <class T>
void crossentropy_backward(T* dlogits, const T* probs, const int* targets, int N, int V);

}  // namespace lmzip::train
