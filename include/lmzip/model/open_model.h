// lmzip/model/open_model.h - models by name: the built-in ones and model files.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lmzip/model/byte_model.h"

namespace lmzip::model {

class ModelFile;

struct OpenOptions {
  // The tokenizer file of a token model (lmzip/model/token_model.h) whose file does not carry
  // one, e.g. a llama2.c checkpoint's tok*.bin.
  std::optional<std::string> tokenizer;
};

// Opens the model named by `spec`: a built-in model name (see builtin_model_names()), the path
// of an lmzip byte-transformer file (safetensors, docs/model.md), or a Llama-family model coded
// as tokens (GGUF, a Hugging Face folder or config.json, a llama2.c checkpoint: token_model.h).
// The returned model is immutable and may be shared by threads; each thread makes its own session.
// @throws lmzip::Error naming the spec (unknown name, unreadable or malformed file, a tokenizer
//         given for a byte model).
std::shared_ptr<const ByteModel> open_model(std::string_view spec, const OpenOptions& options = {});

// The embedded transformers (the default model first), then the adaptive order-N models.
std::vector<std::string> builtin_model_names();

// The names of the transformers embedded in the program (models/<name>/, docs/model.md), the
// default model first; earlier defaults stay embedded so that their archives decode.
std::vector<std::string> embedded_model_names();

// The default model: the first embedded transformer.
std::string embedded_model_name();

// The checked file of the embedded transformer called `name` (static storage), or null when no
// embedded transformer has that name; `lmzip model info NAME` prints it.
const ModelFile* embedded_model_file(std::string_view name);

}  // namespace lmzip::model
