// model/token/token_session.h (private) - a TokenModel's session: a KV cache of `window`
// positions and the table of the current token.
#pragma once

#include <vector>

#include "lmzip/llm/forward.h"
#include "lmzip/model/token_model.h"

namespace lmzip::model {

class TokenSession final : public ModelSession {
 public:
  explicit TokenSession(const TokenModel& m);
  ~TokenSession() override;
  void reset() override;
  const coding::FrequencyTable& next_table() override;  // throws: no byte tables
  void feed(std::uint8_t byte) override;                // throws
  std::optional<unsigned> fixed_precision_bits() const override { return coding::kDefaultPrecisionBits; }
  bool encode_chunk(ByteView chunk, coding::ArithmeticEncoder& enc, const TableCheck& check) override;
  void decode_chunk(coding::ArithmeticDecoder& dec, std::span<std::uint8_t> out, const TableCheck& check) override;

  // The table of logits (vocab_size floats): exp_v1(l - max) over the vocabulary, quantised.
  void make_table(const float* logits);
  const coding::FrequencyTable& table() const { return table_; }
  llm::RunState& state() { return state_; }

 private:
  const TokenModel& m_;
  llm::RunState state_;
  std::vector<float> weights_;  // (vocab_size)
  coding::FrequencyTable table_;
};

}  // namespace lmzip::model
