// Config: parameter count, validation, the paper's presets and the JSON form stored in a model
// file's metadata.
#include "lmzip/model/config.h"

#include <charconv>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "lmzip/error.h"

namespace lmzip::model {

std::uint64_t Config::parameter_count() const {
  const std::uint64_t D = static_cast<std::uint64_t>(d_model);
  const std::uint64_t M = static_cast<std::uint64_t>(d_mlp);
  const std::uint64_t embed = kInputVocab * D;             // (257, D)
  const std::uint64_t per_layer = 2 * D                    // ln1 weight + bias
                                  + 4 * D * D              // wq, wk, wv, wo
                                  + 2 * D                  // ln2 weight + bias
                                  + M * D + M              // mlp.up weight + bias
                                  + D * M + D;             // mlp.down weight + bias
  const std::uint64_t final_ln = 2 * D;                    // ln_f weight + bias
  const std::uint64_t head = kByteVocab * D + kByteVocab;  // head weight + bias
  return embed + static_cast<std::uint64_t>(n_layers) * per_layer + final_ln + head;
}

namespace {

[[noreturn]] void invalid(const std::string& what) { throw Error("model config: " + what); }

void check_range(const char* field, int value, int lo, int hi) {
  if (value < lo || value > hi) {
    invalid(std::string(field) + " = " + std::to_string(value) + " is outside [" + std::to_string(lo) +
            ", " + std::to_string(hi) + "]");
  }
}

}  // namespace

void Config::validate() const {
  check_range("d_model", d_model, 2, 1 << 16);
  check_range("n_layers", n_layers, 1, 256);
  check_range("n_heads", n_heads, 1, d_model);
  check_range("d_mlp", d_mlp, 1, 1 << 20);
  check_range("context", context, 1, 1 << 24);
  if (d_model % n_heads != 0) {
    invalid("d_model = " + std::to_string(d_model) + " is not a multiple of n_heads = " + std::to_string(n_heads));
  }
  if (head_dim() % 2 != 0) {
    invalid("head_dim = d_model / n_heads = " + std::to_string(head_dim()) + " must be even (RoPE pairs)");
  }
  if (!std::isfinite(rope_theta) || rope_theta <= 1.0f) invalid("rope_theta must be finite and > 1");
  if (!std::isfinite(ln_eps) || ln_eps <= 0.0f) invalid("ln_eps must be finite and > 0");
}

Config preset(std::string_view name) {
  Config c;  // 4 layers, context 2048, rope_theta 10000, ln_eps 1e-5
  if (name == "200K") {
    c.d_model = 64;
    c.n_heads = 4;
  } else if (name == "800K") {
    c.d_model = 128;
    c.n_heads = 4;
  } else if (name == "3.2M") {
    c.d_model = 256;
    c.n_heads = 8;
  } else if (name == "12.8M") {  // the next step of the paper's series (4x the parameters)
    c.d_model = 512;
    c.n_heads = 16;
  } else {
    std::string known;
    for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown model preset '" + std::string(name) + "' (known: " + known + ")");
  }
  c.n_layers = 4;
  c.d_mlp = 4 * c.d_model;
  c.context = 2048;
  c.rope_theta = 10000.0f;
  c.ln_eps = 1e-5f;
  return c;
}

std::vector<std::string> preset_names() { return {"200K", "800K", "3.2M", "12.8M"}; }

namespace {

// The double nearest to the shortest decimal that round-trips `f`, so that the JSON shows
// 1e-05 rather than 9.99999974737875e-06 and reading it back gives `f` again.
double shortest_decimal(float f) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, f);
  double d = 0;
  std::from_chars(buf, r.ptr, d);
  return d;
}

int get_int(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) invalid(std::string("missing field '") + key + "'");
  const auto& v = j.at(key);
  if (!v.is_number_integer()) invalid(std::string("field '") + key + "' is not an integer");
  const auto x = v.get<std::int64_t>();
  if (x < -(1LL << 30) || x > (1LL << 30)) invalid(std::string("field '") + key + "' is out of range");
  return static_cast<int>(x);
}

float get_float(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) invalid(std::string("missing field '") + key + "'");
  const auto& v = j.at(key);
  if (!v.is_number()) invalid(std::string("field '") + key + "' is not a number");
  return static_cast<float>(v.get<double>());
}

}  // namespace

std::string to_json(const Config& c) {
  nlohmann::ordered_json j;
  j["d_model"] = c.d_model;
  j["n_layers"] = c.n_layers;
  j["n_heads"] = c.n_heads;
  j["d_mlp"] = c.d_mlp;
  j["context"] = c.context;
  j["rope_theta"] = shortest_decimal(c.rope_theta);
  j["ln_eps"] = shortest_decimal(c.ln_eps);
  return j.dump();
}

Config config_from_json(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) invalid("malformed JSON: " + std::string(json.substr(0, 200)));
  if (!j.is_object()) invalid("JSON is not an object");
  static const char* const kKnown[] = {"d_model", "n_layers", "n_heads", "d_mlp", "context", "rope_theta", "ln_eps"};
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const char* k : kKnown) known = known || key == k;
    if (!known) invalid("unknown field '" + key + "'");
  }
  Config c;
  c.d_model = get_int(j, "d_model");
  c.n_layers = get_int(j, "n_layers");
  c.n_heads = get_int(j, "n_heads");
  c.d_mlp = get_int(j, "d_mlp");
  c.context = get_int(j, "context");
  c.rope_theta = get_float(j, "rope_theta");
  c.ln_eps = get_float(j, "ln_eps");
  c.validate();
  return c;
}

}  // namespace lmzip::model
