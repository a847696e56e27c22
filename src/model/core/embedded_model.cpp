// embedded_model.cpp - the model files linked into the library (cmake/embedded_model.S.in; the
// generated embedded_models.inc lists their indices, LMZIP_EMBEDDED(0) being the default).
#include "model/core/embedded_model.h"

#define LMZIP_EMBEDDED(i)                                    \
  extern const unsigned char lmzip_embedded_model_##i##_begin[]; \
  extern const unsigned char lmzip_embedded_model_##i##_end[];
extern "C" {
#include "embedded_models.inc"
}
#undef LMZIP_EMBEDDED

namespace lmzip::model {

std::vector<ByteView> embedded_model_images() {
#define LMZIP_EMBEDDED(i)                        \
  ByteView(lmzip_embedded_model_##i##_begin,     \
           static_cast<std::size_t>(lmzip_embedded_model_##i##_end - lmzip_embedded_model_##i##_begin)),
  return {
#include "embedded_models.inc"
  };
#undef LMZIP_EMBEDDED
}

}  // namespace lmzip::model
