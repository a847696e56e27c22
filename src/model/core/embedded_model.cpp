// embedded_model.cpp - the default model file, linked into the library (cmake/embedded_model.S.in).
#include "model/core/embedded_model.h"

extern "C" {
extern const unsigned char lmzip_embedded_model_begin[];
extern const unsigned char lmzip_embedded_model_end[];
}

namespace lmzip::model {

ByteView embedded_model_image() {
  return ByteView(lmzip_embedded_model_begin, static_cast<std::size_t>(lmzip_embedded_model_end - lmzip_embedded_model_begin));
}

}  // namespace lmzip::model
