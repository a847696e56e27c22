// Microbenchmarks of the CPU trainer's vectorised kernels (src/train/vec_kernels.h) at every width
// this CPU runs, beside the reference layers they replace (libm's expf / tanhf, one element at a
// time): a causal block of softmax rows (lengths 1..2048, as one head of a 2048-byte window) and
// its backward, and GELU forward and backward over 1 M activations.
// Run: build/lmzip_microbench --benchmark_filter=Train
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "lmzip/train/layers.h"
#include "train/vec_kernels.h"

namespace {

using lmzip::train::detail::VecKernels;
using lmzip::train::detail::vec_kernels;

constexpr int kT = 2048;
constexpr int kGelu = 1 << 20;

std::vector<float> noise(std::size_t n, float scale) {
  std::vector<float> v(n);
  std::uint64_t s = 42;
  for (float& x : v) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    x = scale * (static_cast<float>(s >> 40) / static_cast<float>(1 << 24) - 0.5f);
  }
  return v;
}

// The widths as benchmark arguments; 0 is the reference loop.
void widths(benchmark::internal::Benchmark* b) {
  b->Arg(0);
  for (const VecKernels& k : vec_kernels()) b->Arg(k.width);
}

const VecKernels* table(int width) {
  for (const VecKernels& k : vec_kernels()) {
    if (k.width == width) return &k;
  }
  return nullptr;
}

// The loop the trainer ran before the vector kernels (layers_fast.cpp's history).
void softmax_reference(float* row, int n) {
  float mx = -INFINITY;
  for (int r = 0; r < n; ++r) mx = row[r] > mx ? row[r] : mx;
  float sum = 0;
  for (int r = 0; r < n; ++r) sum += (row[r] = std::exp(row[r] - mx));
  const float inv = 1.0f / sum;
  for (int r = 0; r < n; ++r) row[r] *= inv;
}

void BM_TrainSoftmaxBlock(benchmark::State& state) {
  const VecKernels* k = table(static_cast<int>(state.range(0)));
  const std::vector<float> scores = noise(kT, 16.0f);
  std::vector<float> row(kT);
  for (auto _ : state) {
    for (int n = 1; n <= kT; ++n) {
      std::copy(scores.begin(), scores.begin() + n, row.begin());
      k ? k->softmax_in_place(row.data(), n) : softmax_reference(row.data(), n);
      benchmark::DoNotOptimize(row.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * (kT * (kT + 1) / 2));
}
BENCHMARK(BM_TrainSoftmaxBlock)->Apply(widths);

void BM_TrainSoftmaxBackwardBlock(benchmark::State& state) {
  const VecKernels* k = table(static_cast<int>(state.range(0)));
  std::vector<float> p = noise(kT, 1.0f), grad = noise(kT, 2.0f), d(kT);
  for (float& v : p) v = std::abs(v) / kT;
  for (auto _ : state) {
    for (int n = 1; n <= kT; ++n) {
      std::copy(grad.begin(), grad.begin() + n, d.begin());
      if (k) {
        k->softmax_backward_in_place(d.data(), p.data(), n, 0.125f);
      } else {
        float w = 0;
        for (int r = 0; r < n; ++r) w += p[r] * d[r];
        for (int r = 0; r < n; ++r) d[r] = p[r] * (d[r] - w) * 0.125f;
      }
      benchmark::DoNotOptimize(d.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * (kT * (kT + 1) / 2));
}
BENCHMARK(BM_TrainSoftmaxBackwardBlock)->Apply(widths);

void BM_TrainGeluForward(benchmark::State& state) {
  const VecKernels* k = table(static_cast<int>(state.range(0)));
  const std::vector<float> x = noise(kGelu, 8.0f);
  std::vector<float> out(kGelu);
  for (auto _ : state) {
    k ? k->gelu_forward(out.data(), x.data(), kGelu) : lmzip::train::gelu_forward(out.data(), x.data(), kGelu);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kGelu);
}
BENCHMARK(BM_TrainGeluForward)->Apply(widths);

void BM_TrainGeluBackward(benchmark::State& state) {
  const VecKernels* k = table(static_cast<int>(state.range(0)));
  const std::vector<float> x = noise(kGelu, 8.0f), dout = noise(kGelu, 1.0f);
  std::vector<float> dx(kGelu);
  for (auto _ : state) {
    k ? k->gelu_backward(dx.data(), x.data(), dout.data(), kGelu)
      : lmzip::train::gelu_backward(dx.data(), x.data(), dout.data(), kGelu);
    benchmark::DoNotOptimize(dx.data());
  }
  state.SetItemsProcessed(state.iterations() * kGelu);
}
BENCHMARK(BM_TrainGeluBackward)->Apply(widths);

}  // namespace
