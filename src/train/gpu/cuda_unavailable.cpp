// The CUDA backend's entry points in a build without nvcc (with it, cuda_ops.cu defines them).
#ifndef LMZIP_HAVE_CUDA
#include "../engines.h"

#include "lmzip/error.h"

namespace lmzip::train::detail {

std::string cuda_unavailable_reason() {
  return "this lmzip was built without the CUDA backend (CMake found no nvcc; install the CUDA toolkit and "
         "reconfigure, or pass -DCMAKE_CUDA_COMPILER=/usr/local/cuda/bin/nvcc)";
}

std::unique_ptr<Engine> make_cuda_engine(const model::Config&, int, int, bool, bool) {
  throw Error("train: --backend cuda: " + cuda_unavailable_reason());
}

}  // namespace lmzip::train::detail
#endif
