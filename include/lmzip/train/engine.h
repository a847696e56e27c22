// lmzip/train/engine.h - where a training step's forward and backward run.
//
// An Engine computes the mean next-byte loss of a batch (B windows of T bytes) for given
// parameters, and its gradient. Backends (docs/training.md, "Backends"):
//   "cpu"          TrainModel<float> on `threads` threads, data parallel: each thread takes
//                  batch/threads windows, the gradients are averaged in thread order
//   "cuda"         the GPU model (src/train/gpu) on the first CUDA device, GEMMs in cuBLAS;
//                  built when CMake finds nvcc, usable when a device is present
//   "emulated-gpu" the CUDA backend's own code (kernels and call sequence) run on the CPU: slow,
//                  for tests on machines without a GPU
//   "auto"         "cuda" when usable, else "cpu"
// Parameters and gradients are host buffers in the canonical layout of lmzip/train/params.h; the
// optimizer, schedule and checkpoints (lmzip/train/trainer.h) are the same for every backend.
#pragma once
#include <memory>
#include <span>
#include <string>

#include "lmzip/bytes.h"
#include "lmzip/model/config.h"

namespace lmzip::train {

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string backend() const = 0;  // "cpu", "cuda" or "emulated-gpu"
  virtual std::string device() const = 0;   // e.g. "2 threads", "NVIDIA H100 80GB HBM3"
  virtual int batch() const = 0;
  virtual int seq_len() const = 0;
  // Mean loss (nats per byte) of `params` on `bytes` (batch() * seq_len() bytes, window b at
  // b * seq_len()). @throws lmzip::Error if a size is wrong.
  virtual double forward(std::span<const float> params, ByteView bytes) = 0;
  // forward(), then the mean loss's gradient written into `grads` (parameter_count()).
  virtual double forward_backward(std::span<const float> params, ByteView bytes, std::span<float> grads) = 0;
};

struct EngineOptions {
  std::string backend = "auto";  // "auto", "cpu", "cuda" or "emulated-gpu"
  int threads = 1;               // cpu: threads; the batch must be a multiple of it
  bool tf32 = true;              // cuda: let cuBLAS use TF32 tensor cores (training only)
  // cuda, emulated-gpu: attention as the fused kernels (no T x T buffers) where the head size
  // allows, or always materialised (GEMMs and a softmax kernel, B*H*T*T floats per layer: the
  // plain twin, slower and far larger, kept as a fall-back).
  bool fused_attention = true;
};

// @throws lmzip::Error for an unknown backend, a batch that is not a multiple of the threads,
//         "cuda" asked for where it cannot run (the message says why), or out of device memory.
std::unique_ptr<Engine> make_engine(const model::Config& c, int batch, int seq_len, const EngineOptions& o);

// Empty when the CUDA backend can run here; otherwise why not (not built with CUDA, no device,
// driver too old, ...).
std::string cuda_unavailable_reason();

}  // namespace lmzip::train
