// quantize_model(): checks a float model and turns it into the int8 model the kernels run.
#include "quantized_model.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "lmzip/error.h"

namespace lmzip::model::int8 {
namespace {

[[noreturn]] void invalid(const std::string& what) { throw Error("int8 model: " + what); }

void check_config(const Config& c) {
  auto range = [](const char* name, long v, long lo, long hi) {
    if (v < lo || v > hi) {
      invalid(std::string(name) + " = " + std::to_string(v) + " is outside [" + std::to_string(lo) + ", " +
              std::to_string(hi) + "]");
    }
  };
  range("d_model", c.d_model, 2, 1 << 16);
  range("n_layers", c.n_layers, 1, 256);
  range("n_heads", c.n_heads, 1, 1024);
  range("d_mlp", c.d_mlp, 1, 1 << 17);  // int32 sums: in * 127^2 < 2^31
  range("context", c.context, 1, 1 << 20);
  if (c.d_model % c.n_heads != 0) invalid("d_model is not a multiple of n_heads");
  range("head_dim", c.head_dim(), 2, 1024);
  if (c.head_dim() % 2 != 0) invalid("head_dim must be even (RoPE pairs)");
  if (!std::isfinite(c.rope_theta) || c.rope_theta <= 1.0f) invalid("rope_theta must be finite and > 1");
  if (!std::isfinite(c.ln_eps) || c.ln_eps <= 0.0f) invalid("ln_eps must be finite and > 0");
}

AlignedVector<float> copy_finite(const float* p, std::size_t n, const std::string& name) {
  AlignedVector<float> v(p, p + n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i])) invalid("tensor " + name + " has a non-finite value at index " + std::to_string(i));
  }
  return v;
}

QMatrix quantize_checked(const float* w, int rows, int cols, const float* bias, const std::string& name) {
  copy_finite(w, static_cast<std::size_t>(rows) * cols, name + ".weight");
  if (bias != nullptr) copy_finite(bias, static_cast<std::size_t>(rows), name + ".bias");
  return quantize_matrix(w, rows, cols, bias);
}

}  // namespace

QuantizedModel quantize_model(const Weights& w, KernelPath path, int block) {
  const Config& c = w.config;
  check_config(c);
  if (block < 1) invalid("block must be >= 1, got " + std::to_string(block));
  if (static_cast<int>(w.layers.size()) != c.n_layers) invalid("the weights have a different number of layers");
  QuantizedModel m;
  m.config = c;
  m.kernels = &kernels_for(resolve_kernel_path(path));
  m.block = block < c.context ? block : c.context;
  const int D = c.d_model, M = c.d_mlp;
  m.head_dim = c.head_dim();
  m.head_dim_pad = round_up(m.head_dim, 4);
  m.ctx_pad = round_up(c.context, 16);
  m.in_pad = round_up(D > M ? D : M, 4);
  m.embed_scale = std::sqrt(static_cast<float>(D));
  m.attn_scale = 1.0f / std::sqrt(static_cast<float>(m.head_dim));
  const std::size_t DD = static_cast<std::size_t>(D) * D;
  m.embed = copy_finite(w.embed, static_cast<std::size_t>(kInputVocab) * D, "embed.weight");
  std::vector<float> qkv(3 * DD);
  for (int l = 0; l < c.n_layers; ++l) {
    const LayerWeights& lw = w.layers[l];
    const std::string p = "layers." + std::to_string(l) + ".";
    QuantizedLayer q;
    q.ln1_w = copy_finite(lw.ln1_w, D, p + "ln1.weight");
    q.ln1_b = copy_finite(lw.ln1_b, D, p + "ln1.bias");
    // Per-row quantisation: stacking wq, wk, wv changes nothing but the number of calls.
    std::copy(lw.wq, lw.wq + DD, qkv.begin());
    std::copy(lw.wk, lw.wk + DD, qkv.begin() + DD);
    std::copy(lw.wv, lw.wv + DD, qkv.begin() + 2 * DD);
    q.wqkv = quantize_checked(qkv.data(), 3 * D, D, nullptr, p + "attn.wqkv");
    q.wo = quantize_checked(lw.wo, D, D, nullptr, p + "attn.wo");
    q.ln2_w = copy_finite(lw.ln2_w, D, p + "ln2.weight");
    q.ln2_b = copy_finite(lw.ln2_b, D, p + "ln2.bias");
    q.up = quantize_checked(lw.up_w, M, D, lw.up_b, p + "mlp.up");
    q.down = quantize_checked(lw.down_w, D, M, lw.down_b, p + "mlp.down");
    m.layers.push_back(std::move(q));
  }
  m.lnf_w = copy_finite(w.lnf_w, D, "ln_f.weight");
  m.lnf_b = copy_finite(w.lnf_b, D, "ln_f.bias");
  m.head = quantize_checked(w.head_w, kByteVocab, D, w.head_b, "head");
  m.rope = build_rope_table(c.context, m.head_dim, c.rope_theta);
  return m;
}

}  // namespace lmzip::model::int8
