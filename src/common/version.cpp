#include "lmzip/version.h"

namespace lmzip {

const char* version() { return LMZIP_VERSION; }

}  // namespace lmzip
