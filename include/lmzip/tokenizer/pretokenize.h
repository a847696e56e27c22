// lmzip/tokenizer/pretokenize.h - the regex splits of byte-level BPE families, written by hand.
//
// Each function behaves as repeatedly taking the leftmost match of the family's regex (the
// alternatives tried in order, with backtracking, as Python's `regex` and Oniguruma do):
//
//   Gpt2    's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//   Llama3  (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//            ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//   Qwen2   as Llama3 with \p{N} (one digit) in place of \p{N}{1,3}
//
// \p{L}, \p{N}: Unicode general categories L* and N* (ICU); \s: the White_Space property. The
// (?i:...) contractions fold case simply: ASCII letters, and U+017F (long s) as 's'. Every
// character belongs to some alternative, so the pieces tile the input. Bytes that are not valid UTF-8 (each byte of an
// ill-formed sequence on its own) count as a character of no category (like punctuation).
#pragma once

#include <cstddef>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/tokenizer/tokenizer.h"

namespace lmzip::tokenizer {

// The end offsets of the pieces of `text`, in order (the last is text.size(); empty text gives
// no pieces). Piece i is [ends[i-1], ends[i]) with ends[-1] = 0.
std::vector<std::size_t> pretokenize(PreTokenizer pre, ByteView text);

}  // namespace lmzip::tokenizer
