// lmzip/version.h - the library version (from CMake's project version).
#pragma once

namespace lmzip {

// e.g. "0.1.0"
const char* version();

}  // namespace lmzip
