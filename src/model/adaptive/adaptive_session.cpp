// adaptive_session.cpp - counting and context lookup for the built-in adaptive models.
#include "model/adaptive/adaptive_session.h"

#include <algorithm>
#include <span>

namespace lmzip::model::adaptive {

AdaptiveSession::AdaptiveSession(int order) : order_(order) {
  for (int k = 0; k <= order_; ++k) {
    const std::size_t keys = std::size_t{1} << (8 * k);
    orders_[k].stamp.assign(keys, 0);
    orders_[k].slot.assign(keys, 0);
  }
  reset();
}

void AdaptiveSession::reset() {
  if (++generation_ == 0) {  // wrapped after 2^32 chunks: forget every stamp
    for (int k = 0; k <= order_; ++k) std::fill(orders_[k].stamp.begin(), orders_[k].stamp.end(), 0);
    generation_ = 1;
  }
  for (int k = 0; k <= order_; ++k) orders_[k].used = 0;
  history_ = 0;
  select_contexts();
}

ContextCounts* AdaptiveSession::context_for(int k) {
  OrderState& st = orders_[k];
  const std::uint32_t key = k == 0 ? 0 : (history_ & ((std::uint32_t{1} << (8 * k)) - 1));
  if (st.stamp[key] != generation_) {
    st.stamp[key] = generation_;
    st.slot[key] = static_cast<std::uint32_t>(st.used);
    if (st.used == st.pool.size()) st.pool.emplace_back();
    st.pool[st.used].clear();
    ++st.used;
  }
  return &st.pool[st.slot[key]];
}

void AdaptiveSession::select_contexts() {
  // Allocation may move the pool, so look every order up again after a feed.
  for (int k = 0; k <= order_; ++k) current_[k] = context_for(k);
  table_valid_ = false;
}

const coding::FrequencyTable& AdaptiveSession::next_table() {
  if (!table_valid_) {
    const ContextCounts* view[3] = {current_[0], current_[1], current_[2]};
    blend_table(std::span<const ContextCounts* const>(view, static_cast<std::size_t>(order_) + 1), table_);
    table_valid_ = true;
  }
  return table_;
}

void AdaptiveSession::feed(std::uint8_t byte) {
  for (int k = 0; k <= order_; ++k) current_[k]->add(byte);
  history_ = ((history_ << 8) | byte) & 0xFFFFu;
  select_contexts();
}

}  // namespace lmzip::model::adaptive
