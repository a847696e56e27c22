// The GPT-2, Llama 3 and Qwen2 pre-tokenizer regexes as hand-written matchers
// (lmzip/tokenizer/pretokenize.h has the patterns; docs/tokenizer.md walks through examples).
//
// The text is first decoded into characters (code point + class). At each position the
// alternatives are tried in the regex's order; each function below returns the length (in
// characters) of one alternative's match there, 0 if it does not match. Greedy quantifiers
// with backtracking reduce to simple run lengths:
//   \s+(?!\S)   a whitespace run of r characters: all of it at the end of the text, else r-1
//               (the last one is left for the next piece), and no match when r == 1;
//   \s*[\r\n]+  up to and including the last CR/LF of the whitespace run.
#include "lmzip/tokenizer/pretokenize.h"

#include <algorithm>

#include "utf8.h"

namespace lmzip::tokenizer {

namespace {

using utf8::Class;

struct CharInfo {
  std::size_t start;  // byte offset
  std::int32_t cp;    // -1 for an invalid byte
  Class cls;
};

class Scanner {
 public:
  explicit Scanner(ByteView text) {
    chars_.reserve(text.size() + 1);
    for (std::size_t i = 0; i < text.size();) {
      const utf8::Char c = utf8::next_char(text, i);
      chars_.push_back({i, c.cp, utf8::classify(c.cp)});
      i += c.len;
    }
    n_ = chars_.size();
    chars_.push_back({text.size(), -1, Class::Other});  // sentinel, never inspected as a char
  }

  std::size_t size() const { return n_; }
  std::size_t offset(std::size_t i) const { return chars_[i].start; }
  std::int32_t cp(std::size_t i) const { return i < n_ ? chars_[i].cp : -2; }
  bool is(std::size_t i, Class c) const { return i < n_ && chars_[i].cls == c; }
  bool is_crlf(std::size_t i) const { return i < n_ && (chars_[i].cp == '\r' || chars_[i].cp == '\n'); }
  // Number of consecutive characters of class c from i.
  std::size_t run(std::size_t i, Class c) const {
    std::size_t j = i;
    while (j < n_ && chars_[j].cls == c) ++j;
    return j - i;
  }

  // 's|'t|'re|'ve|'m|'ll|'d, optionally case-insensitive (simple case folding: the ASCII
  // letters, and U+017F LATIN SMALL LETTER LONG S, which folds to 's').
  std::size_t contraction(std::size_t i, bool ignore_case) const {
    if (cp(i) != '\'') return 0;
    auto lower = [&](std::size_t k) {
      const std::int32_t c = cp(k);
      if (!ignore_case) return c;
      if (c >= 'A' && c <= 'Z') return c + 32;
      return c == 0x17F ? std::int32_t{'s'} : c;
    };
    const std::int32_t a = lower(i + 1), b = lower(i + 2);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
    return 0;
  }

  // ` ?X+` for a class X.
  std::size_t space_then_run(std::size_t i, Class c) const {
    if (cp(i) == ' ' && is(i + 1, c)) return 1 + run(i + 1, c);
    return run(i, c);
  }

  // \s+(?!\S) then \s+ (the last two alternatives of every pattern).
  std::size_t whitespace(std::size_t i) const {
    const std::size_t r = run(i, Class::Space);
    if (r == 0) return 0;
    if (i + r == n_ || r == 1) return r;
    return r - 1;
  }

 private:
  std::vector<CharInfo> chars_;
  std::size_t n_ = 0;
};

// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
std::size_t match_gpt2(const Scanner& s, std::size_t i) {
  if (std::size_t k = s.contraction(i, false)) return k;
  if (std::size_t k = s.space_then_run(i, Class::Letter)) return k;
  if (std::size_t k = s.space_then_run(i, Class::Number)) return k;
  if (std::size_t k = s.space_then_run(i, Class::Other)) return k;
  return s.whitespace(i);
}

// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,max_digits}|
//  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
std::size_t match_llama3(const Scanner& s, std::size_t i, std::size_t max_digits) {
  if (std::size_t k = s.contraction(i, true)) return k;
  // [^\r\n\p{L}\p{N}]?\p{L}+
  if (!s.is(i, Class::Letter) && !s.is(i, Class::Number) && !s.is_crlf(i) && s.is(i + 1, Class::Letter)) {
    return 1 + s.run(i + 1, Class::Letter);
  }
  if (std::size_t k = s.run(i, Class::Letter)) return k;
  if (std::size_t k = s.run(i, Class::Number)) return std::min(k, max_digits);
  // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
  if (std::size_t k = s.space_then_run(i, Class::Other)) {
    while (s.is_crlf(i + k)) ++k;
    return k;
  }
  // \s*[\r\n]+ : up to the last CR/LF of the whitespace run
  const std::size_t r = s.run(i, Class::Space);
  for (std::size_t k = r; k > 0; --k) {
    if (s.is_crlf(i + k - 1)) return k;
  }
  return s.whitespace(i);
}

}  // namespace

std::vector<std::size_t> pretokenize(PreTokenizer pre, ByteView text) {
  const Scanner s(text);
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t k = 0;
    switch (pre) {
      case PreTokenizer::Gpt2: k = match_gpt2(s, i); break;
      case PreTokenizer::Llama3: k = match_llama3(s, i, 3); break;
      case PreTokenizer::Qwen2: k = match_llama3(s, i, 1); break;
    }
    if (k == 0) k = 1;  // unreachable: every class is covered by some alternative
    i += k;
    ends.push_back(s.offset(i));
  }
  return ends;
}

}  // namespace lmzip::tokenizer
