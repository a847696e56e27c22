// model/adaptive/adaptive_session.h (private) - the per-thread state of AdaptiveOrderModel.
//
// Holds one ContextCounts per order-k context touched since reset(). Contexts are allocated on
// first use from a pool (at most chunk length + 1 per order), found through a direct index of
// all 256^k contexts stamped with a generation number, so reset() costs O(1) and memory grows
// with the chunk, not with 256^k tables of counts.
#pragma once

#include <cstdint>
#include <vector>

#include "lmzip/model/byte_model.h"
#include "model/adaptive/blend_table.h"

namespace lmzip::model::adaptive {

class AdaptiveSession final : public ModelSession {
 public:
  explicit AdaptiveSession(int order);

  void reset() override;
  const coding::FrequencyTable& next_table() override;
  void feed(std::uint8_t byte) override;

 private:
  // The contexts of one order.
  struct OrderState {
    std::vector<std::uint32_t> stamp;  // per context key: generation it was last allocated in
    std::vector<std::uint32_t> slot;   // per context key: index into pool (valid if stamp current)
    std::vector<ContextCounts> pool;
    std::size_t used = 0;
  };

  ContextCounts* context_for(int k);  // the current order-k context (allocated on first use)
  void select_contexts();

  int order_;
  std::uint32_t generation_ = 0;
  std::uint32_t history_ = 0;  // the last two bytes: (b[i-2] << 8) | b[i-1]
  OrderState orders_[3];
  ContextCounts* current_[3] = {};
  coding::FrequencyTable table_;
  bool table_valid_ = false;
};

}  // namespace lmzip::model::adaptive
