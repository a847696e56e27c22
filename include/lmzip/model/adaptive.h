// lmzip/model/adaptive.h - the built-in adaptive context models "order0", "order1", "order2".
//
// A small model that needs no weights file, so lmzip compresses real files (and every archive
// path is testable) without a transformer. It learns within each chunk only: reset() forgets
// everything, so chunks stay independent and can be coded in parallel, exactly as with the
// transformer.
//
// The model of order N (0, 1 or 2) keeps, for every k in 0..N, integer counts of the bytes seen
// after each order-k context (the k bytes before the current position; positions before the
// start of the chunk read as byte 0). The table for the next byte blends the N + 1 estimates,
// each weighted by its confidence, and scales the result to total 2^24 with integer arithmetic
// only. src/model/adaptive/blend_table.h states the construction exactly; it is part of the
// model's identity ("v1"): changing any constant changes which archives decode, so a change
// must come with a new description string (and so a new SHA-256).
//
// Identity: name "orderN"; sha256 = SHA-256 of the canonical description "lmzip-builtin:orderN:v1"
// (the model has no weights file, so the description stands for it); parameters 0 (nothing to
// store beside lmzip); numerics_version 1; context 2^31 - 1 (any chunk length).
//
// Speed: O(256 x (N + 1)) integer operations per byte, vectorised (an AVX2 version is chosen at
// run time; integer arithmetic, so every version gives the same tables): about 12, 7 and 5 MB/s
// per thread for orders 0, 1 and 2 on the development machine (AMD EPYC, shared cores).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "lmzip/model/byte_model.h"

namespace lmzip::model {

class AdaptiveOrderModel final : public ByteModel {
 public:
  static constexpr int kMaxOrder = 2;

  // @throws lmzip::Error unless 0 <= order <= kMaxOrder.
  explicit AdaptiveOrderModel(int order);

  int order() const { return order_; }
  ModelIdentity identity() const override;
  std::unique_ptr<ModelSession> new_session() const override;

  // "orderN", and the string whose SHA-256 is the identity's sha256.
  static std::string builtin_name(int order);
  static std::string canonical_description(int order);

 private:
  int order_;
  std::string sha256_;
};

}  // namespace lmzip::model
