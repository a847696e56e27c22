// lmzip/model/int8/kernel_path.h - which implementation of the int8 kernels runs.
//
// Every path computes the same bits (docs/numerics.md); they differ only in speed. `reference`
// is plain scalar C++ and runs anywhere; `avx2` needs AVX2; `avx512` needs AVX-512 F, BW, VL and
// VNNI. The library is built for baseline x86-64: SIMD functions carry their own target
// attributes and are only called after a run-time CPU check.
#pragma once

#include <string_view>

namespace lmzip::model::int8 {

enum class KernelPath { reference, avx2, avx512, automatic };

// "reference", "avx2", "avx512", "automatic".
std::string_view to_string(KernelPath path);

// The inverse of to_string(). @throws lmzip::Error for any other text.
KernelPath parse_kernel_path(std::string_view text);

// Whether this CPU (and OS) can run `path`. reference and automatic: always true.
bool kernel_path_supported(KernelPath path);

// The fastest path this CPU supports: avx512, else avx2, else reference.
KernelPath best_kernel_path();

// The path a model will use when asked for `requested`:
//   automatic -> the value of the environment variable LMZIP_KERNELS (reference | avx2 | avx512)
//                if it is set and not empty, else best_kernel_path();
//   otherwise -> `requested`.
// @return never automatic.
// @throws lmzip::Error if LMZIP_KERNELS holds an unknown name or the chosen path is not
//         supported by this CPU.
KernelPath resolve_kernel_path(KernelPath requested);

}  // namespace lmzip::model::int8
