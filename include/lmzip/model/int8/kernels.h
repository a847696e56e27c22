// lmzip/model/int8/kernels.h - the compute kernels of the int8 transformer, one table of
// function pointers per kernel path. Each kernel computes exactly the functions of numerics.h
// (docs/numerics.md); the reference path is plain scalar C++ written for clarity, the SIMD paths
// must match it bit for bit (tests/model/int8/kernels_test.cpp).
//
// Shapes in comments: (rows, cols) row-major. Pointers need no particular alignment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "lmzip/model/int8/kernel_path.h"

namespace lmzip::model::int8 {

// std::vector storage aligned to 64 bytes (a cache line, one AVX-512 register).
template <class T>
struct Aligned64 {
  using value_type = T;
  Aligned64() = default;
  template <class U>
  Aligned64(const Aligned64<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64})); }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
  template <class U>
  bool operator==(const Aligned64<U>&) const {
    return true;
  }
};
template <class T>
using AlignedVector = std::vector<T, Aligned64<T>>;

inline int round_up(int n, int m) { return (n + m - 1) / m * m; }

// A weight matrix W (rows, cols) quantised per output row (quant_scale_v1 / quant_one_v1), in
// the two layouts the kernels read, plus what the SIMD kernels need precomputed.
struct QMatrix {
  int rows = 0, cols = 0;                 // logical shape (out, in)
  int rows_pad = 0, cols_pad = 0;         // rows rounded up to 16, cols to 4
  AlignedVector<std::int8_t> q;           // (rows, cols_pad) zero padded: the reference layout
  AlignedVector<std::int8_t> packed;      // (rows_pad/16, cols_pad/4, 16, 4): 16 rows x 4 columns
                                          //   per 64-byte block, the VNNI / maddubs operand layout
  AlignedVector<std::int32_t> rowsum128;  // (rows_pad) 128 * sum_i q[o][i] (VNNI offset fix)
  AlignedVector<float> scale;             // (rows_pad) per-row scale; 0 in padding rows
  AlignedVector<float> bias;              // (rows_pad) zero padded, or empty (no bias)
};

// Quantises the float matrix w (rows, cols) and copies `bias` (rows floats, or nullptr).
QMatrix quantize_matrix(const float* w, int rows, int cols, const float* bias);

// The key cache of one layer: for each head, blocks of 16 positions; a block holds, for each
// group of 4 key components, the 16 keys' 4 bytes side by side: (H, ctx_pad/16, hd_pad/4, 16, 4).
// hd_pad is the head dimension rounded up to 4 (zero padded), ctx_pad the context rounded up
// to 16.
inline std::size_t key_index(int ctx_pad, int hd_pad, int h, int t, int j) {
  return (static_cast<std::size_t>(h) * ctx_pad + static_cast<std::size_t>(t & ~15)) * hd_pad +
         static_cast<std::size_t>(j >> 2) * 64 + static_cast<std::size_t>(t & 15) * 4 + static_cast<std::size_t>(j & 3);
}

// The attention weights of one query: (ctx_pad/16, H, 16), i.e. for each block of 16
// positions the heads' 16 weights side by side, so the weighted sum over values finds every
// head's weight of position t at a fixed distance from one pointer.
inline std::size_t weight_index(int n_heads, int h, int t) {
  return (static_cast<std::size_t>(t >> 4) * n_heads + static_cast<std::size_t>(h)) * 16 +
         static_cast<std::size_t>(t & 15);
}

// Queries attend in groups of up to this many (the weights scratch holds one group).
inline constexpr int kAttentionGroup = 4;

// `rows` consecutive queries of one layer, all heads: query r attends to positions
// 0 .. n_keys + r - 1 (the batched path passes a block's queries at once). Per query and head h:
//   s_t  = float(sum_j q[h][j] * key[h][t][j]) * (q_coef[h] * key_scale[h][t])
//   e_t  = exp_v1(s_t - max_t s_t)
//   S    = canonical_sum(e_0 .. e_{n-1})
//   c_t  = e_t * value_scale[h][t]                           -> weights[weight_index(H, h, t)]
//   acc  = +0; for t = 0 .. n-1 in order: acc = acc + c_t * float(values[t][h*hd + d])   (per d)
//   out[h*hd + d] = acc / S
// Each query's result is the same whether it is computed alone or in a group.
struct AttentionArgs {
  int n_heads = 0;
  int head_dim = 0;                          // hd (even)
  int head_dim_pad = 0;                      // hd rounded up to 4
  int n_keys = 0;                            // keys of the first query, >= 1
  int rows = 1;                              // queries
  int ctx_pad = 0;                           // cache capacity, a multiple of 16
  const std::int8_t* q = nullptr;            // (rows, H, hd_pad) quantised queries, zero padded
  const float* q_coef = nullptr;             // (rows, H) query scale / sqrt(hd)
  const std::int8_t* keys = nullptr;         // key_index() layout
  const float* key_scale = nullptr;          // (H, ctx_pad)
  const std::int32_t* key_sum128 = nullptr;  // (H, ctx_pad) 128 * sum_j key[h][t][j]
  const std::int8_t* values = nullptr;       // (ctx, D) row t: int8 value of position t, heads side by side
  const float* value_scale = nullptr;        // (H, ctx_pad) per (head, position) value scale
  float* weights = nullptr;                  // scratch (kAttentionGroup, ctx_pad/16, H, 16); with rows == 1
                                             //   its first slot receives c_t (weight_index)
  float* out = nullptr;                      // (rows, D)
};

struct Kernels {
  KernelPath path;
  // For r < n, o < w.rows:  y[r*y_stride + o] = dequant_v1(sum_i w.q[o][i] * x[r*x_stride + i],
  // sx[r], w.scale[o]) (+ w.bias[o]). Each x row holds w.cols_pad int8 values (zero padded).
  void (*matmul)(const QMatrix& w, int n, const std::int8_t* x, int x_stride, const float* sx, float* y, int y_stride);
  // Quantises x[0..n) into q[0..n) (numerics.h), zero fills q[n..n_pad); @return the scale.
  float (*quantize)(const float* x, int n, int n_pad, std::int8_t* q);
  // canonical_sum(x, n).
  float (*sum)(const float* x, int n);
  // y[i] = exp_v1(x[i]); y may equal x.
  void (*exp)(const float* x, int n, float* y);
  // m = max x; e_i = exp_v1(x_i - m); p_i = e_i / canonical_sum(e). p may equal x.
  void (*softmax)(const float* x, int n, float* p);
  // mean = canonical_sum(x) / n; d_i = x_i - mean; var = canonical_sum(d_i * d_i) / n;
  // r = 1 / sqrt(var + eps); y_i = (d_i * r) * w_i + b_i. y may equal x.
  void (*layernorm)(const float* x, const float* w, const float* b, int n, float eps, float* y);
  // x[i] = gelu_v1(x[i]).
  void (*gelu)(float* x, int n);
  // See AttentionArgs.
  void (*attention)(const AttentionArgs& a);
};

// The kernels of `path` (not automatic). @throws lmzip::Error if this CPU cannot run it.
const Kernels& kernels_for(KernelPath path);

// The individual tables; callers must check kernel_path_supported() first.
const Kernels& reference_kernels();
const Kernels& avx2_kernels();
const Kernels& avx512_kernels();

}  // namespace lmzip::model::int8
