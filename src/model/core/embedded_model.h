// model/core/embedded_model.h (private) - the bytes of the model files embedded in the library.
//
// CMake embeds models/<name>/model.safetensors for each name of LMZIP_EMBEDDED_MODELS with the
// assembler's .incbin, so the program needs no file to run its built-in transformers and the
// bytes, and therefore the SHA-256 that archives record, are exactly those of the shipped files.
#pragma once

#include <vector>

#include "lmzip/bytes.h"

namespace lmzip::model {

// The whole embedded files (static storage, 64-byte aligned), the default model first.
std::vector<ByteView> embedded_model_images();

}  // namespace lmzip::model
