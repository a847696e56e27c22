// adaptive_order_model.cpp - identity and sessions of the built-in adaptive models.
#include "lmzip/model/adaptive.h"

#include "lmzip/error.h"
#include "lmzip/model/sha256.h"
#include "model/adaptive/adaptive_session.h"

namespace lmzip::model {

AdaptiveOrderModel::AdaptiveOrderModel(int order) : order_(order) {
  if (order < 0 || order > kMaxOrder) {
    throw Error("adaptive model: order " + std::to_string(order) + " is not supported (0, 1 or 2)");
  }
  const std::string description = canonical_description(order);
  sha256_ = sha256_hex(ByteView(reinterpret_cast<const std::uint8_t*>(description.data()), description.size()));
}

std::string AdaptiveOrderModel::builtin_name(int order) { return "order" + std::to_string(order); }

std::string AdaptiveOrderModel::canonical_description(int order) {
  return "lmzip-builtin:" + builtin_name(order) + ":v1";
}

ModelIdentity AdaptiveOrderModel::identity() const {
  ModelIdentity id;
  id.name = builtin_name(order_);
  id.sha256 = sha256_;
  id.parameters = 0;
  id.numerics_version = 1;
  id.context = 0x7FFFFFFFu;
  return id;
}

std::unique_ptr<ModelSession> AdaptiveOrderModel::new_session() const {
  return std::make_unique<adaptive::AdaptiveSession>(order_);
}

}  // namespace lmzip::model
