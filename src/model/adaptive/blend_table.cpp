// blend_table.cpp - the integer table construction of the built-in adaptive models.
//
// The two loops over 256 entries carry no dependency from one entry to the next, so the compiler
// vectorises them; they are compiled for AVX2 too and chosen at run time (integer arithmetic:
// every version gives the same table).
#include "model/adaptive/blend_table.h"

#include <cstring>

namespace lmzip::model::adaptive {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LMZIP_ADAPTIVE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LMZIP_ADAPTIVE_CLONES
#endif

namespace {

LMZIP_ADAPTIVE_CLONES
void add_from(std::uint32_t* prefix, unsigned from, std::uint32_t inc) {
  // A fixed trip count with a mask (rather than starting at `from`) lets -O2 vectorise it.
  for (unsigned i = 0; i < 256; ++i) prefix[i + 1] += (i + 1 >= from) ? inc : 0;
}

LMZIP_ADAPTIVE_CLONES
void blend(std::uint32_t* __restrict cum, std::uint32_t step, const std::uint32_t* const* prefixes, const std::uint32_t* mults,
           unsigned n) {
  for (unsigned s = 0; s < 256; ++s) cum[s] = s * step;
  for (unsigned k = 0; k < n; ++k) {
    const std::uint32_t* __restrict c = prefixes[k];
    const std::uint32_t m = mults[k];
    if (m == 0) continue;
    for (unsigned s = 0; s < 256; ++s) cum[s] += (m * c[s]) >> 8;
  }
}

}  // namespace

void ContextCounts::clear() { std::memset(prefix, 0, sizeof prefix); }

void ContextCounts::add(std::uint8_t b) {
  add_from(prefix, b + 1u, kIncrement);
  if (prefix[256] > kHalveAbove) {
    std::uint32_t sum = 0;
    for (unsigned s = 0; s < 256; ++s) {
      const std::uint32_t count = (prefix[s + 1] - prefix[s]) >> 1;
      prefix[s] = sum;  // prefix[s] is no longer needed once the count above is taken
      sum += count;
    }
    prefix[256] = sum;
  }
}

void blend_table(std::span<const ContextCounts* const> orders, coding::FrequencyTable& out) {
  constexpr std::uint64_t kTotal = std::uint64_t{1} << kTableBits;
  constexpr std::uint64_t kD = kTotal - 256;
  std::uint64_t gains[3] = {0, 0, 0};
  std::uint64_t g = 256;
  const unsigned n = static_cast<unsigned>(orders.size());
  for (unsigned k = 0; k < n; ++k) {
    const std::uint64_t s = orders[k]->total();
    gains[k] = (s << (kGainBits + k)) / (s + kConfidence);
    g += gains[k];
  }
  const std::uint32_t step = 1 + static_cast<std::uint32_t>(kD / g);
  const std::uint32_t* prefixes[3] = {};
  std::uint32_t mults[3] = {0, 0, 0};
  for (unsigned k = 0; k < n; ++k) {
    prefixes[k] = orders[k]->prefix;
    const std::uint64_t s = orders[k]->total();
    if (s != 0) mults[k] = static_cast<std::uint32_t>((kD << 8) * gains[k] / (s * g));
  }
  out.cum.resize(257);
  blend(out.cum.data(), step, prefixes, mults, n);
  out.cum[256] = static_cast<std::uint32_t>(kTotal);
}

}  // namespace lmzip::model::adaptive
