// lmzip/model/sampler.h - a model as a generator: draw bytes from its next-byte tables.
//
// The paper's "compressors as generative models": any ByteModel samples bytes by drawing from the
// same integer tables the coder uses, so sampling is exact and reproducible for a given seed.
#pragma once

#include <cstdint>
#include <string_view>

#include "lmzip/bytes.h"
#include "lmzip/model/byte_model.h"

namespace lmzip::model {

struct SampleOptions {
  std::size_t count = 256;    // bytes to generate (prompt not included)
  double temperature = 1.0;   // 0 = greedy (the most likely byte, the lowest on ties)
  std::uint64_t seed = 0;
};

// Feeds `prompt`, then generates `count` bytes (a token model (token_model.h): `count` tokens, at
// most, stopping at its start token or EOS; greedy = the largest logit). Temperature T != 1 reweights the table's
// frequencies f as f^(1/T) in double precision (only sampling uses this, never coding).
// @throws lmzip::Error if prompt + count exceeds the model's context, or temperature < 0.
Bytes sample(const ByteModel& model, ByteView prompt, const SampleOptions& options);

}  // namespace lmzip::model
