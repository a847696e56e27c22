// src/llm/hf_config.h (private) - a Hugging Face config.json as a LlamaConfig.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lmzip/llm/llama.h"

namespace lmzip::llm::detail {

// Parses config.json (transformers 4 and 5 spellings). `label` (the file name) starts every error.
// @throws lmzip::Error for a missing key, an unsupported model_type or feature.
LlamaConfig parse_hf_config(const nlohmann::json& j, const std::string& label);

// Llama 3 "llama3" rope scaling as per-frequency divisors (llama.cpp's rope_freqs.weight):
// 1 for wavelengths below original_max_position_embeddings / high_freq_factor, `factor` above
// original / low_freq_factor, 1 / ((1 - s) / factor + s) in between, s = (original / wavelength -
// low) / (high - low). Computed in double without libm (rope_table.h helpers), rounded to float.
std::vector<float> llama3_rope_factors(int head_dim, double theta, double factor, double low_freq_factor,
                                       double high_freq_factor, double original_max_position);

}  // namespace lmzip::llm::detail
