// OwnedWeights (one float buffer carved into the tensors) and the portable seeded initialiser.
#include <cmath>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model/model_file.h"

namespace lmzip::model {

OwnedWeights::OwnedWeights(const Config& c) {
  c.validate();
  view_.config = c;
  buffer_.assign(static_cast<std::size_t>(c.parameter_count()), 0.0f);
  point_view();
}

OwnedWeights::OwnedWeights(const Weights& w) : OwnedWeights(w.config) {
  const auto specs = tensor_specs(w.config);
  const auto src = tensor_pointers(w);
  std::size_t at = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    for (std::uint64_t k = 0; k < specs[i].size(); ++k) buffer_[at++] = src[i][k];
  }
}

OwnedWeights::OwnedWeights(const OwnedWeights& o) : buffer_(o.buffer_), view_{} {
  view_.config = o.view_.config;
  point_view();
}

OwnedWeights& OwnedWeights::operator=(const OwnedWeights& o) {
  if (this != &o) {
    buffer_ = o.buffer_;
    view_.config = o.view_.config;
    point_view();
  }
  return *this;
}

void OwnedWeights::point_view() {
  std::vector<const float*> ptrs;
  std::size_t at = 0;
  for (const auto& s : tensor_specs(view_.config)) {
    ptrs.push_back(buffer_.data() + at);
    at += static_cast<std::size_t>(s.size());
  }
  view_ = make_weights(view_.config, ptrs);
}

std::span<const float> OwnedWeights::tensor(std::string_view name) const {
  std::size_t at = 0;
  for (const auto& s : tensor_specs(view_.config)) {
    if (s.name == name) return {buffer_.data() + at, static_cast<std::size_t>(s.size())};
    at += static_cast<std::size_t>(s.size());
  }
  throw Error("model weights: no tensor named \"" + std::string(name) + "\"");
}

std::span<float> OwnedWeights::tensor(std::string_view name) {
  const auto c = static_cast<const OwnedWeights&>(*this).tensor(name);
  return {buffer_.data() + (c.data() - buffer_.data()), c.size()};
}

namespace {

// splitmix64 (Steele, Lea, Flood 2014): a 64-bit counter through a fixed mixing function.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [-a, a), computed in double, rounded once to float.
  float uniform(double a) {
    const double u = static_cast<double>(next() >> 11) * 0x1.0p-53;
    return static_cast<float>((2.0 * u - 1.0) * a);
  }
};

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

OwnedWeights random_weights(const Config& c, std::uint64_t seed, const InitOptions& options) {
  OwnedWeights w(c);
  SplitMix64 rng{seed};
  const double D = c.d_model;
  std::span<float> all = w.data();
  std::size_t at = 0;
  for (const auto& s : tensor_specs(c)) {
    std::span<float> t = all.subspan(at, static_cast<std::size_t>(s.size()));
    at += t.size();
    const bool layer_norm = s.name.find(".ln") != std::string::npos || s.name.rfind("ln_f.", 0) == 0;
    if (layer_norm) {
      const bool weight = ends_with(s.name, ".weight");
      for (float& x : t) x = options.perturb_layernorm ? (weight ? 1.0f : 0.0f) + rng.uniform(0.5) : (weight ? 1.0f : 0.0f);
      continue;
    }
    double fan_in;
    if (s.name == "embed.weight") {
      fan_in = D;
    } else if (s.shape.size() == 2) {
      fan_in = static_cast<double>(s.shape[1]);
    } else if (ends_with(s.name, "mlp.up.bias") || s.name == "head.bias") {
      fan_in = D;
    } else {  // mlp.down.bias: fan-in of mlp.down is d_mlp
      fan_in = c.d_mlp;
    }
    const double a = 1.0 / std::sqrt(fan_in);
    for (float& x : t) x = rng.uniform(a);
  }
  return w;
}

}  // namespace lmzip::model
