// HostOps: the GPU model's back end on the CPU (gpu_model.h). Kernels run as plain loops over
// their thread index and GEMMs as a textbook triple loop, so the tests can run the CUDA backend's
// exact call sequence and kernels without a GPU (backend "emulated-gpu").
#pragma once
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "gpu_model.h"

namespace lmzip::train::gpu {

class HostOps {
 public:
  template <class T>
  T* alloc(std::size_t count) {
    void* p = std::calloc(count == 0 ? 1 : count, sizeof(T));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void release(void* p) { std::free(p); }
  void upload(void* dst, const void* src, std::size_t bytes) { std::memcpy(dst, src, bytes); }
  void download(void* dst, const void* src, std::size_t bytes) { std::memcpy(dst, src, bytes); }
  void zero(float* p, std::size_t count) { std::memset(p, 0, count * sizeof(float)); }
  template <class F>
  void launch(Index n, const F& f) {
    for (Index i = 0; i < n; ++i) f(i);
  }
  void gemm(const Gemm& g);
};

}  // namespace lmzip::train::gpu
