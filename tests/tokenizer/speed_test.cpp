// Encode time of the 2048-character alice29 passage of the reference fixture, for both
// tokenizers. Printed, never asserted (the numbers go in docs/tokenizer.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "lmzip/tokenizer/tokenizer.h"
#include "tokenizer_test_support.h"

namespace lmzip::tokenizer {
namespace {

double best_encode_ms(const Tokenizer& tok, ByteView text, int reps) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto ids = tok.encode(text);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, ms);
    EXPECT_FALSE(ids.empty());
  }
  return best;
}

TEST(TokenizerSpeed, PrintsEncodeTimeOfA2048CharPassage) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto fx = testing::reference_fixture(shared);
  const std::string passage = fx["strings"][16].get<std::string>();  // alice29.txt[5000:7048]
  const auto sp = load_tokenizer(shared / "tokenizers" / "llama2" / "tokenizer.model");
  const auto gpt2 = load_tokenizer(shared / "tokenizers" / "gpt2" / "encoder.json");
  const double sp_ms = best_encode_ms(*sp, testing::bv(passage), 20);
  const double gpt2_ms = best_encode_ms(*gpt2, testing::bv(passage), 20);
  std::printf("[tokenizer speed] %zu-byte alice29 passage, best of 20: llama2 sentencepiece %.3f ms (%zu tokens), "
              "gpt2 byte-bpe %.3f ms (%zu tokens)\n",
              passage.size(), sp_ms, sp->encode(testing::bv(passage)).size(), gpt2_ms, gpt2->encode(testing::bv(passage)).size());
}

}  // namespace
}  // namespace lmzip::tokenizer
