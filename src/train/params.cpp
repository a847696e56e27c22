// Conversion of a flat parameter buffer back to OwnedWeights (lmzip/train/params.h).
#include "lmzip/train/params.h"

#include <algorithm>
#include <string>

#include "lmzip/error.h"

namespace lmzip::train {

template <class Scalar>
model::OwnedWeights weights_from_params(const Config& c, std::span<const Scalar> params) {
  model::OwnedWeights w(c);
  if (params.size() != w.data().size()) {
    throw Error("train: " + std::to_string(params.size()) + " parameters given, the config has " +
                std::to_string(w.data().size()));
  }
  std::transform(params.begin(), params.end(), w.data().begin(), [](Scalar v) { return static_cast<float>(v); });
  return w;
}

template model::OwnedWeights weights_from_params<float>(const Config&, std::span<const float>);
template model::OwnedWeights weights_from_params<double>(const Config&, std::span<const double>);

}  // namespace lmzip::train
