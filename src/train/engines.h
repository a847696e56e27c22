// The training backends' factories behind lmzip::train::make_engine (lmzip/train/engine.h).
// Private to src/train. The CUDA entry points are defined in gpu/cuda_ops.cu when CMake found nvcc
// and in gpu/cuda_unavailable.cpp otherwise.
#pragma once
#include <memory>
#include <string>

#include "lmzip/train/engine.h"

namespace lmzip::train::detail {

// TrainModel<float> per thread (cpu_engine.cpp).
std::unique_ptr<Engine> make_cpu_engine(const model::Config& c, int batch, int seq_len, int threads);
// The GPU model on HostOps (gpu/host_ops.cpp).
std::unique_ptr<Engine> make_emulated_engine(const model::Config& c, int batch, int seq_len, bool fused_attention);

std::string cuda_unavailable_reason();
// @throws lmzip::Error when the backend cannot run (with the reason) or the device is out of memory.
std::unique_ptr<Engine> make_cuda_engine(const model::Config& c, int batch, int seq_len, bool tf32,
                                         bool fused_attention);

}  // namespace lmzip::train::detail
