// Backend selection (lmzip/train/engine.h).
#include "lmzip/train/engine.h"

#include "engines.h"
#include "lmzip/error.h"

namespace lmzip::train {

std::string cuda_unavailable_reason() { return detail::cuda_unavailable_reason(); }

std::unique_ptr<Engine> make_engine(const model::Config& c, int batch, int seq_len, const EngineOptions& o) {
  if (o.backend == "cpu") return detail::make_cpu_engine(c, batch, seq_len, o.threads);
  if (o.backend == "cuda") return detail::make_cuda_engine(c, batch, seq_len, o.tf32, o.fused_attention);
  if (o.backend == "emulated-gpu") return detail::make_emulated_engine(c, batch, seq_len, o.fused_attention);
  if (o.backend == "auto") {
    if (detail::cuda_unavailable_reason().empty()) {
      return detail::make_cuda_engine(c, batch, seq_len, o.tf32, o.fused_attention);
    }
    return detail::make_cpu_engine(c, batch, seq_len, o.threads);
  }
  throw Error("train: unknown backend '" + o.backend + "' (cpu, cuda, emulated-gpu or auto)");
}

}  // namespace lmzip::train
