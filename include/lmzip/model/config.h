// lmzip/model/config.h - the shape of lmzip's byte-level transformer.
//
// A decoder-only transformer over bytes (../shared/REFERENCE.md section 6): input vocabulary
// 257 (the 256 byte values plus a begin symbol, BOS = 256, fed at the first position), output
// vocabulary 256. Pre-LayerNorm blocks:
//   x = embed[token] * sqrt(d_model)
//   for each layer: x = x + Attn(LN1(x)) ; x = x + MLP(LN2(x))
//   logits = head(LN_f(x))                 -> softmax over 256 bytes
// Attn: bias-free Q/K/V/O projections, n_heads heads, rotary positions (RoPE, rotate-half
// pairing (i, i + head_dim/2), theta rope_theta) on Q and K, causal. MLP: up (d_mlp x d, bias),
// GELU (tanh approximation), down (d x d_mlp, bias). LayerNorms have weight and bias, eps ln_eps.
//
// The paper's public architecture is post-LN with byte 0 as the begin symbol; lmzip is pre-LN
// with a final LayerNorm and its own BOS row, which adds 3 x d_model parameters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lmzip::model {

inline constexpr int kByteVocab = 256;   // output symbols
inline constexpr int kInputVocab = 257;  // bytes + BOS
inline constexpr int kBos = 256;

struct Config {
  int d_model = 64;
  int n_layers = 4;
  int n_heads = 4;
  int d_mlp = 256;       // 4 x d_model in the presets
  int context = 2048;    // maximum positions (the paper's chunk)
  float rope_theta = 10000.0f;
  float ln_eps = 1e-5f;

  int head_dim() const { return d_model / n_heads; }
  // Total number of parameters (weights + biases + LayerNorm parameters).
  std::uint64_t parameter_count() const;
  // @throws lmzip::Error if a field is out of range (d_model % n_heads != 0, odd head_dim, ...).
  void validate() const;
  bool operator==(const Config&) const = default;
};

// The paper's three sizes: "200K" (d 64, 4 heads), "800K" (d 128, 4 heads), "3.2M" (d 256,
// 8 heads), and the next step of the series, "12.8M" (d 512, 16 heads: head size 32 as in
// 3.2M); 4 layers, MLP 4d, context 2048. @throws lmzip::Error for an unknown name.
Config preset(std::string_view name);
std::vector<std::string> preset_names();

// JSON text of the config (stored in the safetensors metadata) and back. The text is
// deterministic: fields in the order of the struct, floats as their shortest round-trip decimal,
// e.g. {"d_model":64,"n_layers":4,"n_heads":4,"d_mlp":256,"context":2048,"rope_theta":10000.0,"ln_eps":1e-05}.
std::string to_json(const Config& c);
// @return the config, validated. @throws lmzip::Error on malformed JSON, missing or unknown
// fields, or values that validate() rejects.
Config config_from_json(std::string_view json);

}  // namespace lmzip::model
