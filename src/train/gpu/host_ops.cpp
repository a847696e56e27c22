// HostOps's GEMM and the "emulated-gpu" engine (host_ops.h).
#include "host_ops.h"

#include "../engines.h"

namespace lmzip::train::gpu {

void HostOps::gemm(const Gemm& g) {
  for (int p = 0; p < g.batch; ++p) {
    const float* A = g.A + p * g.sA;
    const float* B = g.B + p * g.sB;
    float* C = g.C + p * g.sC;
    for (int i = 0; i < g.m; ++i) {
      for (int j = 0; j < g.n; ++j) {
        float sum = 0.0f;
        for (int l = 0; l < g.k; ++l) {
          const float a = g.ta ? A[static_cast<Index>(l) * g.lda + i] : A[static_cast<Index>(i) * g.lda + l];
          const float b = g.tb ? B[static_cast<Index>(j) * g.ldb + l] : B[static_cast<Index>(l) * g.ldb + j];
          sum += a * b;
        }
        float& c = C[static_cast<Index>(i) * g.ldc + j];
        c = g.beta == 0.0f ? g.alpha * sum : g.alpha * sum + g.beta * c;
      }
    }
  }
}

}  // namespace lmzip::train::gpu

namespace lmzip::train::detail {

std::unique_ptr<Engine> make_emulated_engine(const model::Config& c, int batch, int seq_len, bool fused_attention) {
  return std::make_unique<gpu::GpuEngine<gpu::HostOps>>("emulated-gpu", "CPU (the CUDA backend's kernels run as loops)", c,
                                                        batch, seq_len, gpu::attention(fused_attention));
}

}  // namespace lmzip::train::detail
