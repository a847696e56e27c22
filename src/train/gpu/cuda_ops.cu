// CudaOps: the GPU model's back end on a CUDA device (gpu_model.h), and the "cuda" engine.
//
// Kernels are the functors of kernels.h launched one thread per index; GEMMs go to cuBLAS
// (row-major calls mapped onto its column-major API: C^T = op(B)^T op(A)^T). TF32 tensor cores
// are allowed when asked (training only: the coding path never runs here, docs/numerics.md).
// Built only when CMake finds nvcc (LMZIP_HAVE_CUDA); gpu/cuda_unavailable.cpp stands in otherwise.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "../engines.h"
#include "gpu_model.h"

namespace lmzip::train::gpu {

namespace {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw Error(std::string("cuda: ") + what + ": " + cudaGetErrorString(e));
}

void check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS) throw Error(std::string("cublas: ") + what + ": status " + std::to_string(static_cast<int>(s)));
}

template <class F>
__global__ void run_kernel(F f, Index n) {
  const Index i = static_cast<Index>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) f(i);
}

class CudaOps {
 public:
  explicit CudaOps(bool tf32) {
    check(cublasCreate(&handle_), "cublasCreate");
    check(cublasSetMathMode(handle_, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
  }
  ~CudaOps() { cublasDestroy(handle_); }
  CudaOps(const CudaOps&) = delete;
  CudaOps& operator=(const CudaOps&) = delete;

  template <class T>
  T* alloc(std::size_t count) {
    void* p = nullptr;
    const cudaError_t e = cudaMalloc(&p, (count == 0 ? 1 : count) * sizeof(T));
    if (e != cudaSuccess) {
      throw Error("cuda: cannot allocate " + std::to_string(count * sizeof(T) >> 20) + " MiB of device memory (" +
                  cudaGetErrorString(e) + "); use a smaller --batch");
    }
    check(cudaMemset(p, 0, (count == 0 ? 1 : count) * sizeof(T)), "cudaMemset");
    return static_cast<T*>(p);
  }
  void release(void* p) { cudaFree(p); }
  void upload(void* dst, const void* src, std::size_t bytes) {
    check(cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice), "upload");
  }
  void download(void* dst, const void* src, std::size_t bytes) {
    check(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToHost), "download");  // waits for the kernels
  }
  void zero(float* p, std::size_t count) { check(cudaMemsetAsync(p, 0, count * sizeof(float)), "cudaMemset"); }

  // One thread per index, in blocks of the size that gives the kernel the most resident warps
  // (asked of the runtime once per kernel): the attention kernels hold a row or two in registers
  // (up to 255 a thread), where blocks of 256 would leave a single block, 8 warps, on an SM.
  template <class F>
  void launch(Index n, const F& f) {
    if (n <= 0) return;
    static const int threads = block_size(run_kernel<F>);
    const Index blocks = (n + threads - 1) / threads;
    run_kernel<<<static_cast<unsigned>(blocks), threads>>>(f, n);
    check(cudaGetLastError(), "kernel launch");
  }

  template <class K>
  static int block_size(K kernel) {
    int min_grid = 0, threads = 0;
    check(cudaOccupancyMaxPotentialBlockSize(&min_grid, &threads, kernel, 0, 0), "cudaOccupancyMaxPotentialBlockSize");
    return threads > 0 ? threads : 128;
  }

  void gemm(const Gemm& g) {
    const cublasOperation_t opA = g.ta ? CUBLAS_OP_T : CUBLAS_OP_N, opB = g.tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    check(cublasSgemmStridedBatched(handle_, opB, opA, g.n, g.m, g.k, &g.alpha, g.B, g.ldb, g.sB, g.A, g.lda, g.sA,
                                    &g.beta, g.C, g.ldc, g.sC, g.batch),
          "sgemm");
  }

 private:
  cublasHandle_t handle_{};
};

}  // namespace

}  // namespace lmzip::train::gpu

namespace lmzip::train::detail {

std::string cuda_unavailable_reason() {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) return std::string("no usable CUDA device (") + cudaGetErrorString(e) + ")";
  if (count == 0) return "no CUDA device";
  return "";
}

std::unique_ptr<Engine> make_cuda_engine(const model::Config& c, int batch, int seq_len, bool tf32,
                                         bool fused_attention) {
  const std::string why = cuda_unavailable_reason();
  if (!why.empty()) throw Error("train: --backend cuda: " + why);
  cudaDeviceProp prop{};
  gpu::check(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
  return std::make_unique<gpu::GpuEngine<gpu::CudaOps>>("cuda", prop.name, c, batch, seq_len,
                                                        gpu::attention(fused_attention), tf32);
}

}  // namespace lmzip::train::detail
