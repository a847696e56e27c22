// model/core/embedded_model.h (private) - the bytes of the model file embedded in the library.
//
// CMake embeds models/<default>/model.safetensors (LMZIP_EMBEDDED_MODEL_FILE) with the
// assembler's .incbin, so the program needs no file to run its default model and the bytes, and
// therefore the SHA-256 that archives record, are exactly those of the shipped file.
#pragma once

#include "lmzip/bytes.h"

namespace lmzip::model {

// The whole embedded file (static storage, 64-byte aligned).
ByteView embedded_model_image();

}  // namespace lmzip::model
