// int8_session.h (private) - the ModelSession of an Int8Transformer: a RunState, the position
// and one forward() that runs a block of consecutive positions (one position for the
// incremental path, `block` positions for tables_for_chunk). Both paths run the same per-row
// kernels, and integer matmuls are exact whatever the number of rows, so they give the same
// tables.
#pragma once

#include <memory>

#include "lmzip/model/byte_model.h"
#include "quantized_model.h"
#include "run_state.h"

namespace lmzip::model::int8 {

class Int8Session final : public ModelSession {
 public:
  explicit Int8Session(std::shared_ptr<const QuantizedModel> model);

  void reset() override;
  // @throws lmzip::Error once context bytes have been fed (no position left).
  const coding::FrequencyTable& next_table() override;
  // @throws lmzip::Error when more than context bytes are fed since reset().
  void feed(std::uint8_t byte) override;
  // Blocks of model.block positions. Leaves the session as if every byte had been fed.
  // @throws lmzip::Error if chunk.size() > context (before calling fn).
  void tables_for_chunk(ByteView chunk, const TableFn& fn) override;

 private:
  // Runs positions pos0 .. pos0+n-1 with input tokens tokens[0..n) (n <= block): fills their
  // keys and values in the cache and, if want_logits, s_.logits rows 0..n-1.
  void forward(const int* tokens, int pos0, int n, bool want_logits);
  void attention_block(int layer, int pos0, int n);
  // s_.logits row r -> probabilities -> table_.
  void make_table(int r);

  std::shared_ptr<const QuantizedModel> m_;
  RunState s_;
  int pos_ = 0;         // position of the next table = bytes fed since reset()
  int pending_ = kBos;  // the input token at pos_
  bool fresh_ = false;  // table_ is the table of pos_ (and pos_'s keys/values are cached)
  coding::FrequencyTable table_;
};

}  // namespace lmzip::model::int8
