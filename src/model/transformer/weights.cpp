// The table of a byte transformer's tensors (names, shapes, canonical order) and the mapping
// between that table and the Weights view's pointers.
#include "lmzip/model/weights.h"

#include <string>

#include "lmzip/error.h"

namespace lmzip::model {

std::uint64_t TensorSpec::size() const {
  std::uint64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

namespace {

// Calls fn(spec, slot) for every tensor in canonical order, where slot is the address of the
// matching pointer in `w` (whose layers vector must have c.n_layers entries). One function
// lists the tensors so that names, shapes and pointers can never disagree.
template <typename Fn>
void for_each_tensor(const Config& c, Weights& w, Fn&& fn) {
  const std::uint64_t D = static_cast<std::uint64_t>(c.d_model);
  const std::uint64_t M = static_cast<std::uint64_t>(c.d_mlp);
  const std::uint64_t V = kByteVocab;
  fn(TensorSpec{"embed.weight", {kInputVocab, D}}, &w.embed);
  for (int l = 0; l < c.n_layers; ++l) {
    LayerWeights& L = w.layers[static_cast<std::size_t>(l)];
    const std::string p = "layers." + std::to_string(l) + ".";
    fn(TensorSpec{p + "ln1.weight", {D}}, &L.ln1_w);
    fn(TensorSpec{p + "ln1.bias", {D}}, &L.ln1_b);
    fn(TensorSpec{p + "attn.wq", {D, D}}, &L.wq);
    fn(TensorSpec{p + "attn.wk", {D, D}}, &L.wk);
    fn(TensorSpec{p + "attn.wv", {D, D}}, &L.wv);
    fn(TensorSpec{p + "attn.wo", {D, D}}, &L.wo);
    fn(TensorSpec{p + "ln2.weight", {D}}, &L.ln2_w);
    fn(TensorSpec{p + "ln2.bias", {D}}, &L.ln2_b);
    fn(TensorSpec{p + "mlp.up.weight", {M, D}}, &L.up_w);
    fn(TensorSpec{p + "mlp.up.bias", {M}}, &L.up_b);
    fn(TensorSpec{p + "mlp.down.weight", {D, M}}, &L.down_w);
    fn(TensorSpec{p + "mlp.down.bias", {D}}, &L.down_b);
  }
  fn(TensorSpec{"ln_f.weight", {D}}, &w.lnf_w);
  fn(TensorSpec{"ln_f.bias", {D}}, &w.lnf_b);
  fn(TensorSpec{"head.weight", {V, D}}, &w.head_w);
  fn(TensorSpec{"head.bias", {V}}, &w.head_b);
}

Weights empty_view(const Config& c) {
  Weights w{};
  w.config = c;
  w.layers.resize(static_cast<std::size_t>(c.n_layers < 0 ? 0 : c.n_layers));
  return w;
}

}  // namespace

std::vector<TensorSpec> tensor_specs(const Config& c) {
  Weights w = empty_view(c);
  std::vector<TensorSpec> out;
  for_each_tensor(c, w, [&](TensorSpec s, const float**) { out.push_back(std::move(s)); });
  return out;
}

std::vector<const float*> tensor_pointers(const Weights& w) {
  if (w.layers.size() != static_cast<std::size_t>(w.config.n_layers)) {
    throw Error("model weights: view has " + std::to_string(w.layers.size()) + " layers, config says " +
                std::to_string(w.config.n_layers));
  }
  Weights copy = w;  // for_each_tensor hands out writable slots; read them from a copy
  std::vector<const float*> out;
  for_each_tensor(copy.config, copy, [&](const TensorSpec&, const float** slot) { out.push_back(*slot); });
  return out;
}

Weights make_weights(const Config& c, std::span<const float* const> ptrs) {
  Weights w = empty_view(c);
  const std::size_t expected = tensor_specs(c).size();
  if (ptrs.size() != expected) {
    throw Error("model weights: " + std::to_string(ptrs.size()) + " tensors given, the config needs " +
                std::to_string(expected));
  }
  std::size_t i = 0;
  for_each_tensor(c, w, [&](const TensorSpec&, const float** slot) { *slot = ptrs[i++]; });
  return w;
}

}  // namespace lmzip::model
