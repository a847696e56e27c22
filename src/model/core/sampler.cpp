#include "lmzip/model/sampler.h"

#include <cmath>
#include <string>
#include <vector>

#include "lmzip/error.h"

namespace lmzip::model {

namespace {

// splitmix64: a portable generator, so a seed gives the same bytes everywhere.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint8_t draw(const coding::FrequencyTable& t, double temperature, std::uint64_t& rng) {
  const std::uint32_t n = t.size();
  if (temperature == 0.0) {
    std::uint32_t best = 0;
    for (std::uint32_t s = 1; s < n; ++s) {
      if (t.freq(s) > t.freq(best)) best = s;
    }
    return static_cast<std::uint8_t>(best);
  }
  if (temperature == 1.0) {  // exact: a uniform integer below the total picks the symbol
    const std::uint64_t target = next_random(rng) % t.total();
    return static_cast<std::uint8_t>(t.symbol_for(static_cast<std::uint32_t>(target)));
  }
  std::vector<double> w(n);
  double sum = 0;
  for (std::uint32_t s = 0; s < n; ++s) sum += (w[s] = std::pow(static_cast<double>(t.freq(s)), 1.0 / temperature));
  double u = static_cast<double>(next_random(rng) >> 11) * 0x1.0p-53 * sum;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (u < w[s]) return static_cast<std::uint8_t>(s);
    u -= w[s];
  }
  return static_cast<std::uint8_t>(n - 1);
}

}  // namespace

Bytes sample(const ByteModel& model, ByteView prompt, const SampleOptions& options) {
  if (!(options.temperature >= 0.0)) throw Error("sample: temperature must be >= 0");
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
    const std::uint8_t b = draw(session->next_table(), options.temperature, rng);
    out.push_back(b);
    session->feed(b);
  }
  return out;
}

}  // namespace lmzip::model
