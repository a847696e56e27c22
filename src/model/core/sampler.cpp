#include "lmzip/model/sampler.h"

#include <cmath>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/llm/forward.h"
#include "lmzip/model/token_model.h"
#include "model/token/token_session.h"

namespace lmzip::model {

namespace {

// splitmix64: a portable generator, so a seed gives the same bytes everywhere.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint32_t draw(const coding::FrequencyTable& t, double temperature, std::uint64_t& rng) {
  const std::uint32_t n = t.size();
  if (temperature == 0.0) {
    std::uint32_t best = 0;
    for (std::uint32_t s = 1; s < n; ++s) {
      if (t.freq(s) > t.freq(best)) best = s;
    }
    return best;
  }
  if (temperature == 1.0) {  // exact: a uniform integer below the total picks the symbol
    const std::uint64_t target = next_random(rng) % t.total();
    return t.symbol_for(static_cast<std::uint32_t>(target));
  }
  std::vector<double> w(n);
  double sum = 0;
  for (std::uint32_t s = 0; s < n; ++s) sum += (w[s] = std::pow(static_cast<double>(t.freq(s)), 1.0 / temperature));
  double u = static_cast<double>(next_random(rng) >> 11) * 0x1.0p-53 * sum;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (u < w[s]) return s;
    u -= w[s];
  }
  return n - 1;
}

// A token model generates tokens: the prompt's tokens after the start token, then `count`
// tokens drawn from the coding tables (greedy: the largest logit, the lowest id on ties, as
// llama2.c's run.c), stopping early at the start token or EOS. Returns the tokens' bytes.
Bytes sample_tokens(const TokenModel& model, ByteView prompt, const SampleOptions& options) {
  const auto& tok = model.tokenizer();
  const auto& cfg = model.llama().config;
  std::vector<tokenizer::TokenId> ids = prompt.empty() ? std::vector<tokenizer::TokenId>{} : tok.encode(prompt);
  if (ids.size() + options.count + 1 > static_cast<std::size_t>(model.window())) {
    throw Error("sample: prompt (" + std::to_string(ids.size()) + " tokens) + " + std::to_string(options.count) +
                " tokens exceed the model's window of " + std::to_string(model.window()) + " tokens");
  }
  TokenSession session(model);
  const float* logits = llm::forward(model.llama(), session.state(), model.start_token(), 0);
  for (std::size_t i = 0; i < ids.size(); ++i) logits = llm::forward(model.llama(), session.state(), ids[i], static_cast<int>(i + 1));
  std::uint64_t rng = options.seed;
  Bytes out;
  for (std::size_t i = 0; i < options.count; ++i) {
    std::uint32_t id = 0;
    if (options.temperature == 0.0) {
      for (int v = 1; v < cfg.vocab_size; ++v) {
        if (logits[v] > logits[id]) id = static_cast<std::uint32_t>(v);
      }
    } else {
      session.make_table(logits);
      id = draw(session.table(), options.temperature, rng);
    }
    if (static_cast<int>(id) == model.start_token() || static_cast<tokenizer::TokenId>(id) == tok.eos_id()) break;
    const Bytes b = tok.token_bytes(static_cast<tokenizer::TokenId>(id), ids.size());
    out.insert(out.end(), b.begin(), b.end());
    ids.push_back(static_cast<tokenizer::TokenId>(id));
    logits = llm::forward(model.llama(), session.state(), static_cast<int>(id), static_cast<int>(ids.size()));
  }
  return out;
}

}  // namespace

Bytes sample(const ByteModel& model, ByteView prompt, const SampleOptions& options) {
  if (!(options.temperature >= 0.0)) throw Error("sample: temperature must be >= 0");
  if (const auto* token_model = dynamic_cast<const TokenModel*>(&model)) return sample_tokens(*token_model, prompt, options);
  const std::uint64_t context = model.identity().context;
  if (context > 0 && prompt.size() + options.count > context) {
    throw Error("sample: prompt (" + std::to_string(prompt.size()) + " bytes) + " + std::to_string(options.count) +
                " bytes exceed the model's context of " + std::to_string(context));
  }
  auto session = model.new_session();
  session->reset();
  for (std::uint8_t b : prompt) {
    session->next_table();
    session->feed(b);
  }
  std::uint64_t rng = options.seed;
  Bytes out;
  out.reserve(options.count);
  for (std::size_t i = 0; i < options.count; ++i) {
    const auto b = static_cast<std::uint8_t>(draw(session->next_table(), options.temperature, rng));
    out.push_back(b);
    session->feed(b);
  }
  return out;
}

}  // namespace lmzip::model
