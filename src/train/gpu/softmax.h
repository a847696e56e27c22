// The materialised attention's causal softmax on the GPU backend: the plain kernels (one thread
// per row) and the coalesced ones the model runs (docs/training.md, "The CUDA backend").
//
// att holds B*H*T rows of T floats, row r the scores of query t = r % T against keys 0..T-1; the
// softmax runs over entries 0..t and zeroes the rest. One thread per row reads its row while the
// next thread reads the next, T floats (8 KB at T 2048) further on, so every float a warp loads
// touches 32 cache lines. The coalesced kernels give each row kRowLanes threads (kernels.h):
// thread (r, lane) handles entries lane, lane + kRowLanes, ... of row r, so that neighbouring
// threads read neighbouring floats. Forward: each lane keeps an online softmax's pair (its
// maximum and the sum of exp(entry - maximum)) in one pass, one thread per row merges the pairs in
// lane order, and the lanes write the row. Backward: the lanes' partial sums of att * datt, their
// total in lane order, and the lanes write the row. Every order is fixed by T alone. The plain
// kernels are the twins that tests/train/gpu/softmax_test.cpp holds the coalesced ones to.
#pragma once
#include "kernels.h"

namespace lmzip::train::gpu {

// Row r of att (B*H*T rows of T scaled scores, position t = r % T) becomes the causal softmax:
// entries 0..t normalised with the row maximum subtracted, entries above t zero.
struct CausalSoftmax {
  float* att; int T;
  LMZIP_HD void operator()(Index r) const {
    const Index t = r % T;
    float* row = att + r * T;
    float mx = -INFINITY;
    for (Index s = 0; s <= t; ++s) mx = row[s] > mx ? row[s] : mx;
    float sum = 0.0f;
    for (Index s = 0; s <= t; ++s) sum += (row[s] = expf(row[s] - mx));
    const float inv = 1.0f / sum;
    for (Index s = 0; s <= t; ++s) row[s] *= inv;
    for (Index s = t + 1; s < T; ++s) row[s] = 0.0f;
  }
};

// datt row r (dL/d probabilities) becomes dL/d q.k (the scores before scaling, times `scale`):
// scale * att (datt - sum att datt) for entries 0..t, zero above.
struct CausalSoftmaxBackward {
  float* datt; const float* att; int T; float scale;
  LMZIP_HD void operator()(Index r) const {
    const Index t = r % T;
    float* d = datt + r * T;
    const float* a = att + r * T;
    float weighted = 0.0f;
    for (Index s = 0; s <= t; ++s) weighted += a[s] * d[s];
    for (Index s = 0; s <= t; ++s) d[s] = a[s] * (d[s] - weighted) * scale;
    for (Index s = t + 1; s < T; ++s) d[s] = 0.0f;
  }
};

// pmax, psum[r * kRowLanes + lane]: the maximum m of the lane's entries of row r (those <= t)
// and the sum of exp(entry - m) over them; -INFINITY and 0 for a lane with none. One thread per
// (row, lane).
struct SoftmaxRowPartials {
  float* pmax; float* psum; const float* att; int T;
  LMZIP_HD void operator()(Index i) const {
    const Index r = i / kRowLanes;
    const Index t = r % T;
    const float* row = att + r * T;
    float m = -INFINITY, s = 0.0f;
    for (Index j = i % kRowLanes; j <= t; j += kRowLanes) {
      const float x = row[j];
      if (x > m) {
        s = s * expf(m - x) + 1.0f;  // the first entry: 0 * exp(-inf) + 1
        m = x;
      } else {
        s += expf(x - m);
      }
    }
    pmax[i] = m;
    psum[i] = s;
  }
};

// row_max[r] = the row's maximum over entries 0..t, row_inv[r] = 1 / sum of exp(entry - row_max),
// from the lanes' pairs in lane order. One thread per row.
struct SoftmaxRowStats {
  float* row_max; float* row_inv; const float* pmax; const float* psum;
  LMZIP_HD void operator()(Index r) const {
    const float* pm = pmax + r * kRowLanes;
    const float* ps = psum + r * kRowLanes;
    float m = -INFINITY;
    for (int lane = 0; lane < kRowLanes; ++lane) m = pm[lane] > m ? pm[lane] : m;
    float s = 0.0f;
    for (int lane = 0; lane < kRowLanes; ++lane) {
      if (ps[lane] > 0.0f) s += ps[lane] * expf(pm[lane] - m);
    }
    row_max[r] = m;
    row_inv[r] = 1.0f / s;
  }
};

// Row r's entries j <= t become exp(att - row_max) row_inv, the others 0. One thread per
// (row, lane), each writing entries lane, lane + kRowLanes, ... < T.
struct SoftmaxApply {
  float* att; const float* row_max; const float* row_inv; int T;
  LMZIP_HD void operator()(Index i) const {
    const Index r = i / kRowLanes;
    const Index t = r % T;
    float* row = att + r * T;
    const float m = row_max[r], inv = row_inv[r];
    for (Index j = i % kRowLanes; j < T; j += kRowLanes) row[j] = j <= t ? expf(row[j] - m) * inv : 0.0f;
  }
};

// partial[r * kRowLanes + lane] = sum of att * datt over the lane's entries of row r (those <= t).
// One thread per (row, lane).
struct SoftmaxBackwardPartials {
  float* partial; const float* datt; const float* att; int T;
  LMZIP_HD void operator()(Index i) const {
    const Index r = i / kRowLanes;
    const Index t = r % T;
    const float* a = att + r * T;
    const float* d = datt + r * T;
    float s = 0.0f;
    for (Index j = i % kRowLanes; j <= t; j += kRowLanes) s += a[j] * d[j];
    partial[i] = s;
  }
};

// out[r] = the row's partial sums, added in lane order. One thread per row.
struct RowTotal {
  float* out; const float* partial;
  LMZIP_HD void operator()(Index r) const { out[r] = sum_lanes(partial, r); }
};

// Row r's entries j <= t of datt become scale att (datt - weighted[r]), the others 0. One thread
// per (row, lane), as SoftmaxApply.
struct SoftmaxBackwardApply {
  float* datt; const float* att; const float* weighted; int T; float scale;
  LMZIP_HD void operator()(Index i) const {
    const Index r = i / kRowLanes;
    const Index t = r % T;
    float* d = datt + r * T;
    const float* a = att + r * T;
    const float w = weighted[r];
    for (Index j = i % kRowLanes; j < T; j += kRowLanes) d[j] = j <= t ? a[j] * (d[j] - w) * scale : 0.0f;
  }
};

// att (rows, T) of scaled scores becomes the causal softmax, as CausalSoftmax.
template <class Ops>
void causal_softmax_forward(Ops& ops, const RowScratch& s, float* att, Index rows, int T) {
  ops.launch(rows * kRowLanes, SoftmaxRowPartials{s.partial_a, s.partial_b, att, T});
  ops.launch(rows, SoftmaxRowStats{s.row_a, s.row_b, s.partial_a, s.partial_b});
  ops.launch(rows * kRowLanes, SoftmaxApply{att, s.row_a, s.row_b, T});
}

// datt (rows, T), dL/d probabilities, becomes dL/d q.k times scale, as CausalSoftmaxBackward.
template <class Ops>
void causal_softmax_backward(Ops& ops, const RowScratch& s, float* datt, const float* att, Index rows, int T,
                             float scale) {
  ops.launch(rows * kRowLanes, SoftmaxBackwardPartials{s.partial_a, datt, att, T});
  ops.launch(rows, RowTotal{s.row_a, s.partial_a});
  ops.launch(rows * kRowLanes, SoftmaxBackwardApply{datt, att, s.row_a, T, scale});
}

}  // namespace lmzip::train::gpu
