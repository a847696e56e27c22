// Hugging Face config.json -> LlamaConfig (hf_config.h). Defaults follow transformers'
// LlamaConfig / MistralConfig / Qwen2Config where a key is optional; docs/llm.md lists them.
#include "hf_config.h"

#include <cmath>

#include "lmzip/error.h"
#include "lmzip/model/int8/rope_table.h"

namespace lmzip::llm::detail {
namespace {

using nlohmann::json;

const json* find(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

int get_int(const json& j, const char* key, const std::string& label, const int* fallback = nullptr) {
  const json* v = find(j, key);
  if (!v) {
    if (fallback) return *fallback;
    throw Error(label + ": config key \"" + key + "\" is missing");
  }
  if (!v->is_number_integer()) throw Error(label + ": config key \"" + key + "\" must be an integer");
  const auto x = v->get<long long>();
  if (x < -1 || x > (1ll << 30)) throw Error(label + ": config key \"" + key + "\" = " + std::to_string(x) + " is out of range");
  return static_cast<int>(x);
}

double get_num(const json& j, const char* key, const std::string& label, double fallback) {
  const json* v = find(j, key);
  if (!v) return fallback;
  if (!v->is_number()) throw Error(label + ": config key \"" + key + "\" must be a number");
  return v->get<double>();
}

bool get_bool(const json& j, const char* key, const std::string& label, bool fallback) {
  const json* v = find(j, key);
  if (!v) return fallback;
  if (!v->is_boolean()) throw Error(label + ": config key \"" + key + "\" must be true or false");
  return v->get<bool>();
}

// bos/eos: an integer, a list (the first), or null.
int token_id(const json& j, const char* key) {
  const json* v = find(j, key);
  if (v && v->is_array() && !v->empty()) v = &(*v)[0];
  if (v && v->is_number_integer()) return static_cast<int>(v->get<long long>());
  return -1;
}

}  // namespace

std::vector<float> llama3_rope_factors(int head_dim, double theta, double factor, double low, double high,
                                       double original) {
  constexpr double kPi = 3.14159265358979323846;
  const double log_theta = model::int8::rope_log(theta);
  std::vector<float> out(head_dim / 2);
  for (int j = 0; j < head_dim / 2; ++j) {
    const double freq = model::int8::rope_exp(-((2.0 * j) / static_cast<double>(head_dim)) * log_theta);
    const double wavelen = 2.0 * kPi / freq;
    double f = 1.0;
    if (wavelen < original / high) {
      f = 1.0;
    } else if (wavelen > original / low) {
      f = factor;
    } else {
      const double s = (original / wavelen - low) / (high - low);
      f = 1.0 / ((1.0 - s) / factor + s);
    }
    out[j] = static_cast<float>(f);
  }
  return out;
}

LlamaConfig parse_hf_config(const json& j, const std::string& label) {
  if (!j.is_object()) throw Error(label + ": config.json is not a JSON object");
  const json* mt = find(j, "model_type");
  if (!mt || !mt->is_string()) throw Error(label + ": config key \"model_type\" is missing");
  const std::string model_type = mt->get<std::string>();
  LlamaConfig c;
  if (model_type == "llama" || model_type == "mistral") {
    c.arch = "llama";
  } else if (model_type == "qwen2") {
    c.arch = "qwen2";
  } else {
    throw Error(label + ": model_type \"" + model_type +
                "\" is not supported (llama, mistral, qwen2 are: Llama-architecture models)");
  }
  if (const json* act = find(j, "hidden_act"); act && (!act->is_string() || act->get<std::string>() != "silu")) {
    throw Error(label + ": hidden_act " + act->dump() + " is not supported (silu is)");
  }
  c.dim = get_int(j, "hidden_size", label);
  c.hidden_dim = get_int(j, "intermediate_size", label);
  c.n_layers = get_int(j, "num_hidden_layers", label);
  c.n_heads = get_int(j, "num_attention_heads", label);
  c.n_kv_heads = get_int(j, "num_key_value_heads", label, &c.n_heads);
  const int default_head_dim = c.n_heads > 0 ? c.dim / c.n_heads : 0;
  c.head_dim = get_int(j, "head_dim", label, &default_head_dim);
  c.vocab_size = get_int(j, "vocab_size", label);
  c.max_seq_len = get_int(j, "max_position_embeddings", label);
  c.rms_eps = static_cast<float>(get_num(j, "rms_norm_eps", label, 1e-6));
  c.tied_embeddings = get_bool(j, "tie_word_embeddings", label, false);
  c.bos_id = token_id(j, "bos_token_id");
  c.eos_id = token_id(j, "eos_token_id");

  if (c.arch == "qwen2") {
    c.qkv_bias = true;
    if (get_bool(j, "use_sliding_window", label, false)) {
      throw Error(label + ": use_sliding_window true is not supported (sliding-window attention)");
    }
  } else {
    if (get_bool(j, "attention_bias", label, false)) {
      throw Error(label + ": attention_bias true is not supported (Llama attention biases include o_proj)");
    }
    if (get_bool(j, "mlp_bias", label, false)) throw Error(label + ": mlp_bias true is not supported");
    // Mistral's sliding window: attention never reaches further back than the window, so the
    // model is exact for sequences up to the window and max_seq_len is capped there.
    if (model_type == "mistral") {
      const int none = 0;
      const int window = get_int(j, "sliding_window", label, &none);
      if (window > 0 && window < c.max_seq_len) c.max_seq_len = window;
    }
  }

  // RoPE: rope_theta (transformers 4) or rope_parameters.rope_theta (transformers 5);
  // rope_scaling (4) or rope_parameters (5) for the scaling type.
  const json* params = find(j, "rope_parameters");
  if (params && !params->is_object()) throw Error(label + ": config key \"rope_parameters\" must be an object");
  double theta = get_num(j, "rope_theta", label, 10000.0);
  if (params) theta = get_num(*params, "rope_theta", label, theta);
  c.rope_theta = static_cast<float>(theta);
  const json* scaling = find(j, "rope_scaling");
  if (!scaling) scaling = params;
  if (scaling) {
    if (!scaling->is_object()) throw Error(label + ": config key \"rope_scaling\" must be an object");
    std::string type = "default";
    if (const json* t = find(*scaling, "rope_type"); t && t->is_string()) type = t->get<std::string>();
    else if (const json* t2 = find(*scaling, "type"); t2 && t2->is_string()) type = t2->get<std::string>();
    if (type == "llama3") {
      c.rope_freq_factors = llama3_rope_factors(
          c.head_dim, static_cast<double>(c.rope_theta), get_num(*scaling, "factor", label, 8.0),
          get_num(*scaling, "low_freq_factor", label, 1.0), get_num(*scaling, "high_freq_factor", label, 4.0),
          get_num(*scaling, "original_max_position_embeddings", label, 8192.0));
    } else if (type != "default") {
      throw Error(label + ": rope scaling type \"" + type + "\" is not supported (default, llama3 are)");
    }
  }
  validate_config(c, label);
  return c;
}

}  // namespace lmzip::llm::detail
