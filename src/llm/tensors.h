// src/llm/tensors.h (private) - the tensors of a LlamaModel with their Hugging Face and GGUF
// names and shapes, in layout order: one table for every loader and the GGUF writer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lmzip/llm/llama.h"

namespace lmzip::llm::detail {

struct TensorSlot {
  std::string hf_name;    // "model.layers.0.self_attn.q_proj.weight"
  std::string gguf_name;  // "blk.0.attn_q.weight"
  float* data = nullptr;  // into LlamaModel::data
  std::vector<std::uint64_t> shape;  // [out, in] for a matrix, [n] for a vector (HF order)
  int rope_heads = 0;     // wq/bq: n_heads, wk/bk: n_kv_heads (rows permuted for interleaved RoPE)
  std::uint64_t count() const {
    std::uint64_t n = 1;
    for (std::uint64_t s : shape) n *= s;
    return n;
  }
};

// Every tensor of `m` (allocated), in layout order; wcls only when not tied.
std::vector<TensorSlot> tensor_slots(LlamaModel& m);

// "[64,172]"
std::string shape_string(const std::vector<std::uint64_t>& shape);

// Throws "<label>: tensor <name>: value <v> at index <i> is not finite" for a NaN or infinity.
void check_finite(const TensorSlot& slot, const std::string& label, const std::string& name);

}  // namespace lmzip::llm::detail
