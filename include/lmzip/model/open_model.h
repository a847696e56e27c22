// lmzip/model/open_model.h - models by name: the built-in ones and model files.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lmzip/model/byte_model.h"

namespace lmzip::model {

// Opens the model named by `spec`: a built-in model name (see builtin_model_names()) or the path
// of a model file (safetensors byte transformer). The returned model is immutable and may be
// shared by threads; each thread makes its own session.
// @throws lmzip::Error naming the spec (unknown name, unreadable or malformed file).
std::shared_ptr<const ByteModel> open_model(std::string_view spec);

std::vector<std::string> builtin_model_names();

}  // namespace lmzip::model
