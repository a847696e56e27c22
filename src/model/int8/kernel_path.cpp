// Kernel path names, CPU feature checks and the LMZIP_KERNELS override.
#include "lmzip/model/int8/kernel_path.h"

#include <cstdlib>
#include <string>

#include "lmzip/error.h"

namespace lmzip::model::int8 {

std::string_view to_string(KernelPath path) {
  switch (path) {
    case KernelPath::reference: return "reference";
    case KernelPath::avx2: return "avx2";
    case KernelPath::avx512: return "avx512";
    case KernelPath::automatic: return "automatic";
  }
  return "unknown";
}

KernelPath parse_kernel_path(std::string_view text) {
  for (KernelPath p : {KernelPath::reference, KernelPath::avx2, KernelPath::avx512, KernelPath::automatic}) {
    if (text == to_string(p)) return p;
  }
  throw Error("unknown kernel path '" + std::string(text) + "' (known: reference, avx2, avx512, automatic)");
}

bool kernel_path_supported(KernelPath path) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  switch (path) {
    case KernelPath::reference:
    case KernelPath::automatic: return true;
    case KernelPath::avx2: return __builtin_cpu_supports("avx2");
    case KernelPath::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
  }
  return false;
#else
  return path == KernelPath::reference || path == KernelPath::automatic;
#endif
}

KernelPath best_kernel_path() {
  if (kernel_path_supported(KernelPath::avx512)) return KernelPath::avx512;
  if (kernel_path_supported(KernelPath::avx2)) return KernelPath::avx2;
  return KernelPath::reference;
}

KernelPath resolve_kernel_path(KernelPath requested) {
  KernelPath path = requested;
  if (path == KernelPath::automatic) {
    const char* env = std::getenv("LMZIP_KERNELS");
    if (env != nullptr && *env != '\0') {
      path = parse_kernel_path(env);
      if (path == KernelPath::automatic) path = best_kernel_path();
    } else {
      path = best_kernel_path();
    }
  }
  if (!kernel_path_supported(path)) {
    throw Error("kernel path '" + std::string(to_string(path)) + "' is not supported by this CPU");
  }
  return path;
}

}  // namespace lmzip::model::int8
