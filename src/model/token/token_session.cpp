// token_session.cpp - coding a chunk as tokens with a Llama-family model (token_model.h).
#include <algorithm>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/llm/forward.h"
#include "lmzip/model/int8/numerics.h"
#include "lmzip/model/token_model.h"
#include "model/token/token_session.h"

namespace lmzip::model {

TokenSession::TokenSession(const TokenModel& m) : m_(m) {
  llm::build_run_state(state_, m.llama().config, m.window(), std::min(m.window(), 64));
  weights_.resize(m.llama().config.vocab_size);
}

TokenSession::~TokenSession() { llm::free_run_state(state_); }

void TokenSession::reset() {}

const coding::FrequencyTable& TokenSession::next_table() {
  throw Error(m_.identity().name + ": a token model codes tokens, not bytes; it has no table per byte");
}

void TokenSession::feed(std::uint8_t) {
  throw Error(m_.identity().name + ": a token model codes tokens, not bytes");
}

void TokenSession::make_table(const float* logits) {
  const std::size_t n = weights_.size();
  float max = logits[0];
  for (std::size_t v = 1; v < n; ++v) max = std::max(max, logits[v]);
  for (std::size_t v = 0; v < n; ++v) weights_[v] = int8::exp_v1(logits[v] - max);
  coding::quantize(weights_, table_);
}

bool TokenSession::encode_chunk(ByteView chunk, coding::ArithmeticEncoder& enc, const TableCheck& check) {
  const auto& tok = m_.tokenizer();
  const std::vector<tokenizer::TokenId> ids = tok.encode(chunk);
  // The prefix the decoder will read: tokens until the chunk's length is reached.
  std::size_t k = 0, filled = 0;
  while (filled < chunk.size() && k < ids.size()) {
    const Bytes b = tok.token_bytes(ids[k], k);
    if (filled + b.size() > chunk.size() || !std::equal(b.begin(), b.end(), chunk.begin() + static_cast<std::ptrdiff_t>(filled))) {
      return false;
    }
    filled += b.size();
    ++k;
  }
  if (filled != chunk.size() || k > 2 * chunk.size() + 8) return false;
  // Window by window: the start token then up to window - 1 ids as inputs predict `window` ids.
  const auto W = static_cast<std::size_t>(m_.window());
  std::vector<int> inputs;
  std::vector<float> logits;
  const auto V = static_cast<std::size_t>(m_.llama().config.vocab_size);
  for (std::size_t a = 0; a < k; a += W) {
    const std::size_t count = std::min(W, k - a);  // ids predicted in this window
    inputs.assign(1, m_.start_token());
    for (std::size_t i = a; i + 1 < a + count; ++i) inputs.push_back(ids[i]);
    llm::forward_block(m_.llama(), state_, inputs, 0, logits);
    for (std::size_t r = 0; r < count; ++r) {
      make_table(logits.data() + r * V);
      check(table_);
      enc.encode(table_, static_cast<std::uint32_t>(ids[a + r]));
    }
  }
  return true;
}

void TokenSession::decode_chunk(coding::ArithmeticDecoder& dec, std::span<std::uint8_t> out, const TableCheck& check) {
  const auto& tok = m_.tokenizer();
  const int W = m_.window();
  const std::size_t limit = 2 * out.size() + 8;
  std::size_t filled = 0;
  int pos = 0, input = m_.start_token();
  for (std::size_t i = 0; filled < out.size(); ++i) {
    if (i >= limit) throw Error("token stream does not reach the chunk's length (corrupt payload)");
    if (pos == W) {  // a new window: start again from the start token
      pos = 0;
      input = m_.start_token();
    }
    const float* logits = llm::forward(m_.llama(), state_, input, pos);
    make_table(logits);
    check(table_);
    const auto id = static_cast<tokenizer::TokenId>(dec.decode(table_));
    const Bytes b = tok.token_bytes(id, i);
    if (filled + b.size() > out.size()) throw Error("a token passes the chunk's end (corrupt payload)");
    std::copy(b.begin(), b.end(), out.begin() + static_cast<std::ptrdiff_t>(filled));
    filled += b.size();
    input = id;
    ++pos;
  }
}

}  // namespace lmzip::model
