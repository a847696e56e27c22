// kernels_for(): the kernel table of a path, after checking that this CPU can run it.
#include "lmzip/model/int8/kernels.h"

#include <string>

#include "lmzip/error.h"

namespace lmzip::model::int8 {

const Kernels& kernels_for(KernelPath path) {
  if (path == KernelPath::automatic) throw Error("kernels_for: resolve the automatic kernel path first");
  if (!kernel_path_supported(path)) {
    throw Error("kernel path '" + std::string(to_string(path)) + "' is not supported by this CPU");
  }
  switch (path) {
    case KernelPath::avx2: return avx2_kernels();
    case KernelPath::avx512: return avx512_kernels();
    default: return reference_kernels();
  }
}

}  // namespace lmzip::model::int8
