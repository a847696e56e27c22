// The GPU training backend's kernels, one functor per kernel (docs/training.md, "The CUDA backend").
//
// Every kernel is a small struct whose operator()(i) does the work of one thread, with __host__
// __device__ under nvcc, so the very same code runs two ways: launched on a CUDA device by CudaOps
// (cuda_ops.cu) and looped over on the CPU by HostOps (host_ops.h), where the tests hold it to the
// CPU backend's layers (lmzip/train/layers.h) without a GPU. Layouts are the CPU backend's:
// activations row-major (N, C) with N = B * T; attention tensors per head (B, H, T, ...).
//
// Training is not on the coding path: these kernels need not be bit-exact (docs/numerics.md), only
// close to the CPU backend (tests/train/gpu_model_test.cpp states the tolerance). The fused
// attention kernels are in flash_kernels.h, LayerNorm's in layernorm.h, the materialised
// attention's causal softmax in softmax.h.
#pragma once
#include <math.h>

#include <cstdint>

#if defined(__CUDACC__)
#define LMZIP_HD __host__ __device__
#else
#define LMZIP_HD
#endif

namespace lmzip::train::gpu {

using Index = std::int64_t;

// A row sum split over kRowLanes threads so that neighbouring threads read neighbouring floats
// (layernorm.h, softmax.h): thread (n, lane) adds elements lane, lane + kRowLanes, ... of row n
// into partial[n * kRowLanes + lane], then one thread per row adds its partials in lane order,
// an order fixed by the row's length alone, never by the launch configuration.
inline constexpr int kRowLanes = 32;

LMZIP_HD inline float sum_lanes(const float* partial, Index n) {
  float s = 0.0f;
  for (int lane = 0; lane < kRowLanes; ++lane) s += partial[n * kRowLanes + lane];
  return s;
}

// Buffers of the coalesced row kernels (layernorm.h, softmax.h): two of rows * kRowLanes partial
// sums, two of rows values.
struct RowScratch {
  float* partial_a; float* partial_b; float* row_a; float* row_b;
};

// out[n, :] = E[tokens[n], :] * scale; one thread per element of out (N * D).
struct EmbeddingForward {
  float* out; const int* tokens; const float* E; int D; float scale;
  LMZIP_HD void operator()(Index i) const { out[i] = E[static_cast<Index>(tokens[i / D]) * D + i % D] * scale; }
};

// onehot[n, s] = (tokens[n] == s), (N, V): the embedding's backward is then one GEMM,
// dE += onehot^T dout (deterministic, no atomics). One thread per element.
struct OneHot {
  float* onehot; const int* tokens; int V;
  LMZIP_HD void operator()(Index i) const { onehot[i] = tokens[i / V] == static_cast<int>(i % V) ? 1.0f : 0.0f; }
};

// out[n, o] += b[o]; one thread per element (N * OUT).
struct AddBias {
  float* out; const float* b; int OUT;
  LMZIP_HD void operator()(Index i) const { out[i] += b[i % OUT]; }
};

// RoPE on x (B*T, H*hd) in place, sign +1 (forward) or -1 (backward, R^T); one thread per
// rotated pair (B*T*H*hd/2).
struct Rope {
  float* x; const float* cos_t; const float* sin_t; int T; int H; int hd; float sign;
  LMZIP_HD void operator()(Index i) const {
    const int half = hd / 2;
    const Index j = i % half, a = (i / half) % H, row = i / (static_cast<Index>(half) * H);
    const Index p = row % T;
    float* u = x + row * H * hd + a * hd;
    const float c = cos_t[p * half + j], s = sign * sin_t[p * half + j];
    const float u0 = u[j], u1 = u[j + half];
    u[j] = u0 * c - u1 * s;
    u[j + half] = u1 * c + u0 * s;
  }
};

// (B, T, H, hd) <-> (B, H, T, hd). Permute: out = per-head copy of in; Unpermute: out (B, T, H*hd)
// += or = in (B, H, T, hd). One thread per element.
struct PermuteHeads {
  float* out; const float* in; int T; int H; int hd;
  LMZIP_HD void operator()(Index i) const {  // i indexes in (B, T, H, hd)
    const Index j = i % hd, a = (i / hd) % H, t = (i / (static_cast<Index>(hd) * H)) % T;
    const Index b = i / (static_cast<Index>(hd) * H * T);
    out[((b * H + a) * T + t) * hd + j] = in[i];
  }
};
struct UnpermuteHeads {
  float* out; const float* in; int T; int H; int hd; bool accumulate;
  LMZIP_HD void operator()(Index i) const {  // i indexes out (B, T, H, hd)
    const Index j = i % hd, a = (i / hd) % H, t = (i / (static_cast<Index>(hd) * H)) % T;
    const Index b = i / (static_cast<Index>(hd) * H * T);
    const float v = in[((b * H + a) * T + t) * hd + j];
    out[i] = accumulate ? out[i] + v : v;
  }
};

constexpr float kGeluK = 0.7978845608028654f;  // sqrt(2/pi)

struct GeluForward {
  float* out; const float* x;
  LMZIP_HD void operator()(Index i) const {
    const float u = x[i];
    out[i] = 0.5f * u * (1.0f + tanhf(kGeluK * (u + 0.044715f * u * u * u)));
  }
};

// dx = GELU'(x) dout (written, not accumulated: its only consumer is a fresh buffer).
struct GeluBackward {
  float* dx; const float* x; const float* dout;
  LMZIP_HD void operator()(Index i) const {
    const float u = x[i];
    const float th = tanhf(kGeluK * (u + 0.044715f * u * u * u));
    const float d = 0.5f * (1.0f + th) + 0.5f * u * (1.0f - th * th) * kGeluK * (1.0f + 3.0f * 0.044715f * u * u);
    dx[i] = d * dout[i];
  }
};

// out = a + b (out may be a or b).
struct Add {
  float* out; const float* a; const float* b;
  LMZIP_HD void operator()(Index i) const { out[i] = a[i] + b[i]; }
};

// dst += src.
struct Accumulate {
  float* dst; const float* src;
  LMZIP_HD void operator()(Index i) const { dst[i] += src[i]; }
};

struct Fill {
  float* dst; float value;
  LMZIP_HD void operator()(Index i) const { dst[i] = value; }
};

// Softmax of logits row n over V and its loss -ln p[target] = ln(sum) - (z_t - max), as
// lmzip::train::crossentropy_forward. One thread per row.
struct CrossEntropyForward {
  float* probs; float* losses; const float* logits; const int* targets; int V;
  LMZIP_HD void operator()(Index n) const {
    const float* z = logits + n * V;
    float* p = probs + n * V;
    float mx = z[0];
    for (int s = 1; s < V; ++s) mx = z[s] > mx ? z[s] : mx;
    float sum = 0.0f;
    for (int s = 0; s < V; ++s) sum += (p[s] = expf(z[s] - mx));
    const float inv = 1.0f / sum;
    for (int s = 0; s < V; ++s) p[s] *= inv;
    losses[n] = logf(sum) - (z[targets[n]] - mx);
  }
};

// dlogits = (probs - onehot(target)) / N, one thread per element (N * V).
struct CrossEntropyBackward {
  float* dlogits; const float* probs; const int* targets; int V; float inv_n;
  LMZIP_HD void operator()(Index i) const {
    const float indicator = targets[i / V] == static_cast<int>(i % V) ? 1.0f : 0.0f;
    dlogits[i] = (probs[i] - indicator) * inv_n;
  }
};

}  // namespace lmzip::train::gpu
