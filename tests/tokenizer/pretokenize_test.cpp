// The hand-written GPT-2 / Llama 3 / Qwen2 pre-tokenizer regexes: hand-checked splits (each
// also what Python's `regex` module gives for the pattern) and tiling on arbitrary bytes.
#include "lmzip/tokenizer/pretokenize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tokenizer_test_support.h"

namespace lmzip::tokenizer {
namespace {

using testing::bv;

std::vector<std::string> split(PreTokenizer pre, const std::string& s) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (std::size_t end : pretokenize(pre, bv(s))) {
    out.push_back(s.substr(begin, end - begin));
    begin = end;
  }
  return out;
}

using V = std::vector<std::string>;

TEST(TokenizerPretokenize, Gpt2HandCheckedSplits) {
  const auto P = PreTokenizer::Gpt2;
  EXPECT_EQ(split(P, ""), V{});
  EXPECT_EQ(split(P, "Hello world"), (V{"Hello", " world"}));
  // a whitespace run before a word leaves its last space to the word: \s+(?!\S)
  EXPECT_EQ(split(P, "  world "), (V{" ", " world", " "}));
  // contractions are case-sensitive
  EXPECT_EQ(split(P, "I'm HE'S they'RE"), (V{"I", "'m", " HE", "'", "S", " they", "'", "RE"}));
  EXPECT_EQ(split(P, "abc1234567 x"), (V{"abc", "1234567", " x"}));
  EXPECT_EQ(split(P, "\tHello"), (V{"\t", "Hello"}));
  EXPECT_EQ(split(P, "hello\n\n  world"), (V{"hello", "\n\n ", " world"}));
  EXPECT_EQ(split(P, "!!abc .Hello"), (V{"!!", "abc", " .", "Hello"}));
  EXPECT_EQ(split(P, "a  \n b"), (V{"a", "  \n", " b"}));
  EXPECT_EQ(split(P, "na\xC3\xAFve caf\xC3\xA9"), (V{"na\xC3\xAFve", " caf\xC3\xA9"}));
  // ² and ½ are \p{N} (No), + is neither
  EXPECT_EQ(split(P, "x\xC2\xB2+\xC2\xBD"), (V{"x", "\xC2\xB2", "+", "\xC2\xBD"}));
  EXPECT_EQ(split(P, "end   "), (V{"end", "   "}));
  // U+00A0 and U+3000 are \s; the optional prefix is only U+0020
  EXPECT_EQ(split(P, "\xC3\xA9\xC2\xA0\xE3\x80\x80\xE4\xB8\xAD"), (V{"\xC3\xA9", "\xC2\xA0", "\xE3\x80\x80", "\xE4\xB8\xAD"}));
  EXPECT_EQ(split(P, "\r\n\r\nX"), (V{"\r\n\r", "\n", "X"}));
}

TEST(TokenizerPretokenize, Llama3HandCheckedSplits) {
  const auto P = PreTokenizer::Llama3;
  EXPECT_EQ(split(P, "Hello world"), (V{"Hello", " world"}));
  EXPECT_EQ(split(P, "  world "), (V{" ", " world", " "}));
  // (?i:...) contractions
  EXPECT_EQ(split(P, "I'm HE'S they'RE"), (V{"I", "'m", " HE", "'S", " they", "'RE"}));
  // at most three digits per piece
  EXPECT_EQ(split(P, "abc1234567 x"), (V{"abc", "123", "456", "7", " x"}));
  // any one non-letter, non-digit, non-newline character may lead a word
  EXPECT_EQ(split(P, "\tHello"), (V{"\tHello"}));
  EXPECT_EQ(split(P, "!!abc .Hello"), (V{"!!", "abc", " .", "Hello"}));
  // \s*[\r\n]+ takes the whitespace up to the last newline
  EXPECT_EQ(split(P, "hello\n\n  world"), (V{"hello", "\n\n", " ", " world"}));
  EXPECT_EQ(split(P, "a  \n b"), (V{"a", "  \n", " b"}));
  EXPECT_EQ(split(P, "\r\n\r\nX"), (V{"\r\n\r\n", "X"}));
  EXPECT_EQ(split(P, "\xC3\xA9\xC2\xA0\xE3\x80\x80\xE4\xB8\xAD"), (V{"\xC3\xA9", "\xC2\xA0", "\xE3\x80\x80\xE4\xB8\xAD"}));
  // punctuation then newlines: ` ?[^\s\p{L}\p{N}]+[\r\n]*`
  EXPECT_EQ(split(P, "x.\n\ny"), (V{"x", ".\n\n", "y"}));
  // U+017F (long s) folds to 's'
  EXPECT_EQ(split(P, "'\xC5\xBFing"), (V{"'\xC5\xBF", "ing"}));
}

TEST(TokenizerPretokenize, Qwen2SplitsDigitsOneByOne) {
  const auto P = PreTokenizer::Qwen2;
  EXPECT_EQ(split(P, "abc1234567 x"), (V{"abc", "1", "2", "3", "4", "5", "6", "7", " x"}));
  EXPECT_EQ(split(P, "I'm HE'S"), (V{"I", "'m", " HE", "'S"}));
  EXPECT_EQ(split(P, "hello\n\n  world"), (V{"hello", "\n\n", " ", " world"}));
}

TEST(TokenizerPretokenize, InvalidBytesAreSingleOtherCharacters) {
  // 0xFF and the truncated sequence E4 B8 are not UTF-8: each byte counts as punctuation
  EXPECT_EQ(split(PreTokenizer::Gpt2, "a\xFF\xE4\xB8 b"), (V{"a", "\xFF\xE4\xB8", " b"}));
  EXPECT_EQ(split(PreTokenizer::Llama3, "\xFF" "abc"), (V{"\xFF" "abc"}));
}

TEST(TokenizerPretokenize, PiecesTileAnyInput) {
  std::mt19937 rng(42);
  for (PreTokenizer pre : {PreTokenizer::Gpt2, PreTokenizer::Llama3, PreTokenizer::Qwen2}) {
    for (int iter = 0; iter < 500; ++iter) {
      const std::string s = iter % 2 ? testing::random_bytes(rng, 200) : testing::random_utf8(rng, 200);
      const std::vector<std::size_t> ends = pretokenize(pre, bv(s));
      std::size_t prev = 0;
      for (std::size_t e : ends) {
        ASSERT_GT(e, prev);
        prev = e;
      }
      ASSERT_EQ(prev, s.size());
    }
  }
}

}  // namespace
}  // namespace lmzip::tokenizer
