// SentencePiece BPE encoding (Llama 2 style), an independent implementation of the algorithm of
// sentencepiece's bpe_model.cc (Model::SampleEncode with no dropout) and normalizer.cc
// (identity rule: only whitespace escaping, the dummy prefix and optionally extra-whitespace
// removal). See lmzip/tokenizer/tokenizer.h for the lossless deviations.
//
// Encoding: the normalised text is a list of symbols (characters; user-defined pieces as one
// frozen symbol; invalid bytes and literal U+2581 as frozen raw symbols) linked as a doubly
// linked list. A max-heap holds candidate pairs (score of the merged piece, left index);
// popping the best pair merges it if both symbols are still what they were when it was pushed
// (checked through their lengths, as sentencepiece does) and pushes the two new neighbours.
// O(n log n) per text.
#include <algorithm>
#include <array>
#include <functional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "canonical.h"
#include "lmzip/error.h"
#include "lmzip/tokenizer/tokenizer.h"
#include "utf8.h"

namespace lmzip::tokenizer {

namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581
constexpr std::string_view kUnkSurface = " \xE2\x81\x87 ";  // sentencepiece's default unk_surface

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// "<0xNN>" -> NN, else -1.
int byte_piece_value(std::string_view p) {
  if (p.size() != 6 || p.substr(0, 3) != "<0x" || p[5] != '>') return -1;
  const int hi = hex_digit(p[3]), lo = hex_digit(p[4]);
  return (hi < 0 || lo < 0) ? -1 : hi * 16 + lo;
}

class SentencePieceBpe final : public Tokenizer {
 public:
  explicit SentencePieceBpe(SentencePieceSpec spec) : s_(std::move(spec)) {
    const std::size_t n = s_.pieces.size();
    if (n == 0) throw Error("sentencepiece: empty vocabulary");
    if (s_.scores.size() != n) {
      throw Error("sentencepiece: " + std::to_string(s_.scores.size()) + " scores for " + std::to_string(n) + " pieces");
    }
    if (!s_.types.empty() && s_.types.size() != n) {
      throw Error("sentencepiece: " + std::to_string(s_.types.size()) + " types for " + std::to_string(n) + " pieces");
    }
    for (TokenId id : {s_.bos, s_.eos, s_.unk}) {
      if (id < -1 || id >= static_cast<TokenId>(n)) throw Error("sentencepiece: special id " + std::to_string(id) + " out of range");
    }
    if (s_.types.empty()) {
      s_.types.assign(n, kNormal);
      for (std::size_t i = 0; i < n; ++i) {
        const auto id = static_cast<TokenId>(i);
        if (id == s_.unk) s_.types[i] = kUnknown;
        else if (id == s_.bos || id == s_.eos) s_.types[i] = kControl;
        else if (byte_piece_value(s_.pieces[i]) >= 0) s_.types[i] = kByte;
      }
    }
    byte_ids_.fill(-1);
    for (std::size_t i = 0; i < n; ++i) {
      const int t = s_.types[i];
      const std::string& p = s_.pieces[i];
      const auto id = static_cast<TokenId>(i);
      if (t < kNormal || t > kByte) throw Error("sentencepiece: piece " + std::to_string(i) + " has type " + std::to_string(t));
      if (t == kUnknown && s_.unk < 0) s_.unk = id;
      if (t == kByte) {
        const int b = byte_piece_value(p);
        if (b < 0) throw Error("sentencepiece: byte piece " + std::to_string(i) + " is \"" + p + "\", not <0xNN>");
        if (byte_ids_[b] < 0) byte_ids_[b] = id;
      }
      if ((t == kNormal || t == kUserDefined || t == kUnused) && !p.empty()) {
        pieces_.emplace(p, id);  // the first of duplicate pieces wins
        if (t == kUserDefined && user_defined_.insert(p).second) max_user_defined_ = std::max(max_user_defined_, p.size());
      }
    }
    byte_fallback_ = std::any_of(byte_ids_.begin(), byte_ids_.end(), [](TokenId id) { return id >= 0; });
    const bool all_bytes = std::all_of(byte_ids_.begin(), byte_ids_.end(), [](TokenId id) { return id >= 0; });
    if (s_.unk < 0 && !all_bytes) {
      throw Error("sentencepiece: the vocabulary has no unknown piece and not all 256 byte pieces");
    }
  }

  std::size_t vocab_size() const override { return s_.pieces.size(); }
  std::string_view kind() const override { return "sentencepiece-bpe"; }
  TokenId bos_id() const override { return s_.bos; }
  TokenId eos_id() const override { return s_.eos; }

  std::vector<TokenId> encode(ByteView text) const override;

  Bytes token_bytes(TokenId id, std::size_t index) const override {
    if (id < 0 || id >= static_cast<TokenId>(s_.pieces.size())) {
      throw Error("sentencepiece: token id " + std::to_string(id) + " out of range [0, " + std::to_string(s_.pieces.size()) + ")");
    }
    const std::string& p = s_.pieces[id];
    switch (s_.types[id]) {
      case kByte: return Bytes{static_cast<std::uint8_t>(byte_piece_value(p))};
      case kControl: return {};
      case kUnknown: return Bytes(kUnkSurface.begin(), kUnkSurface.end());
      default: break;
    }
    std::string_view rest = p;
    if (index == 0 && (s_.add_dummy_prefix || s_.remove_extra_whitespaces) && rest.starts_with(kSpaceSymbol)) {
      rest.remove_prefix(kSpaceSymbol.size());
    }
    Bytes out;
    out.reserve(rest.size());
    while (!rest.empty()) {
      if (rest.starts_with(kSpaceSymbol)) {
        out.push_back(' ');
        rest.remove_prefix(kSpaceSymbol.size());
      } else {
        out.push_back(static_cast<std::uint8_t>(rest.front()));
        rest.remove_prefix(1);
      }
    }
    return out;
  }

  std::string fingerprint() const override {
    CanonicalWriter w;
    w.str("lmzip-tokenizer-1");
    w.str(kind());
    w.u32(s_.add_dummy_prefix);
    w.u32(s_.remove_extra_whitespaces);
    w.i32(s_.bos);
    w.i32(s_.eos);
    w.i32(s_.unk);
    w.u32(static_cast<std::uint32_t>(s_.pieces.size()));
    for (std::size_t i = 0; i < s_.pieces.size(); ++i) {
      w.str(s_.pieces[i]);
      w.f32(s_.scores[i]);
      w.i32(s_.types[i]);
    }
    return w.sha256();
  }

 private:
  struct Symbol {
    std::uint32_t start, len;  // bytes of the normalised text
    std::int32_t prev, next;   // -1 at the ends
    bool freeze;               // never merged (user-defined piece or raw)
    bool raw;                  // emitted as byte tokens (invalid UTF-8, literal U+2581)
  };

  TokenId find(std::string_view piece) const {
    const auto it = pieces_.find(piece);
    return it == pieces_.end() ? -1 : it->second;
  }
  void push_bytes(std::string_view bytes, std::vector<TokenId>& out) const {
    for (char c : bytes) {
      const TokenId id = byte_ids_[static_cast<std::uint8_t>(c)];
      out.push_back(id >= 0 ? id : s_.unk);
    }
  }

  SentencePieceSpec s_;
  std::unordered_map<std::string_view, TokenId> pieces_;  // normal, user-defined, unused
  std::unordered_set<std::string_view> user_defined_;
  std::size_t max_user_defined_ = 0;
  std::array<TokenId, 256> byte_ids_{};
  bool byte_fallback_ = false;
};

std::vector<TokenId> SentencePieceBpe::encode(ByteView text) const {
  const std::size_t size = text.size();
  std::size_t i = 0;
  if (s_.remove_extra_whitespaces) {
    while (i < size && text[i] == ' ') ++i;
  }
  if (i == size) return {};

  // Normalisation: the text with spaces as U+2581, and its symbols.
  std::string norm;
  norm.reserve(size * 3 + 3);
  std::vector<Symbol> sym;
  sym.reserve(size + 1);
  auto add = [&](std::string_view bytes, bool raw) {
    sym.push_back({static_cast<std::uint32_t>(norm.size()), static_cast<std::uint32_t>(bytes.size()), 0, 0, raw, raw});
    norm.append(bytes);
  };
  if (s_.add_dummy_prefix) add(kSpaceSymbol, false);
  const std::string_view chars = utf8::as_chars(text);
  bool prev_space = s_.remove_extra_whitespaces;
  while (i < size) {
    const utf8::Char c = utf8::next_char(text, i);
    if (c.cp == ' ') {
      if (!(s_.remove_extra_whitespaces && prev_space)) add(kSpaceSymbol, false);
      prev_space = true;
    } else {
      add(chars.substr(i, c.len), c.cp < 0 || c.cp == 0x2581);
      prev_space = false;
    }
    i += c.len;
  }
  if (s_.remove_extra_whitespaces) {
    while (!sym.empty() && !sym.back().raw && std::string_view(norm).substr(sym.back().start, sym.back().len) == kSpaceSymbol) {
      norm.resize(sym.back().start);
      sym.pop_back();
    }
  }

  // User-defined pieces: the longest one starting at a symbol becomes one frozen symbol.
  if (!user_defined_.empty()) {
    std::vector<Symbol> merged;
    merged.reserve(sym.size());
    for (std::size_t k = 0; k < sym.size();) {
      std::size_t best = 0, len = 0;
      for (std::size_t j = k; j < sym.size() && !sym[j].raw; ++j) {
        len += sym[j].len;
        if (len > max_user_defined_) break;
        if (user_defined_.count(std::string_view(norm).substr(sym[k].start, len))) best = j - k + 1;
      }
      if (best == 0) {
        merged.push_back(sym[k++]);
      } else {
        Symbol s = sym[k];
        s.len = sym[k + best - 1].start + sym[k + best - 1].len - s.start;
        s.freeze = true;
        merged.push_back(s);
        k += best;
      }
    }
    sym.swap(merged);
  }
  const auto n = static_cast<std::int32_t>(sym.size());
  for (std::int32_t k = 0; k < n; ++k) {
    sym[k].prev = k - 1;
    sym[k].next = k + 1 < n ? k + 1 : -1;
  }

  struct Pair {
    float score;
    std::int32_t left, right;
    std::uint32_t size;
  };
  // Best first: higher score, then the leftmost.
  auto worse = [](const Pair& a, const Pair& b) { return a.score < b.score || (a.score == b.score && a.left > b.left); };
  std::priority_queue<Pair, std::vector<Pair>, decltype(worse)> agenda(worse);
  std::unordered_map<std::string_view, std::pair<std::string_view, std::string_view>> rev_merge;
  const std::string_view nv = norm;
  auto piece_of = [&](std::int32_t k) { return nv.substr(sym[k].start, sym[k].len); };
  auto maybe_add = [&](std::int32_t left, std::int32_t right) {
    if (left < 0 || right < 0 || sym[left].freeze || sym[right].freeze) return;
    const std::string_view piece = nv.substr(sym[left].start, sym[left].len + sym[right].len);
    const TokenId id = find(piece);
    if (id < 0) return;
    agenda.push({s_.scores[id], left, right, static_cast<std::uint32_t>(piece.size())});
    if (s_.types[id] == kUnused) rev_merge[piece] = {piece_of(left), piece_of(right)};
  };
  for (std::int32_t k = 1; k < n; ++k) maybe_add(k - 1, k);

  while (!agenda.empty()) {
    const Pair top = agenda.top();
    agenda.pop();
    Symbol& l = sym[top.left];
    Symbol& r = sym[top.right];
    if (l.len == 0 || r.len == 0 || l.len + r.len != top.size) continue;  // stale
    l.len += r.len;
    l.next = r.next;
    if (r.next >= 0) sym[r.next].prev = top.left;
    r.len = 0;
    maybe_add(l.prev, top.left);
    maybe_add(top.left, l.next);
  }

  // Output, with unused pieces split back into the pieces they were merged from.
  std::vector<TokenId> out;
  out.reserve(sym.size());
  std::function<void(std::string_view)> emit = [&](std::string_view piece) {
    const TokenId id = find(piece);
    if (id >= 0 && s_.types[id] == kUnused) {
      const auto it = rev_merge.find(piece);
      if (it != rev_merge.end()) {
        emit(it->second.first);
        emit(it->second.second);
        return;
      }
    }
    if (id >= 0) out.push_back(id);
    else if (byte_fallback_) push_bytes(piece, out);
    else out.push_back(s_.unk);
  };
  for (std::int32_t k = 0; k >= 0; k = sym[k].next) {
    if (sym[k].raw) push_bytes(piece_of(k), out);
    else emit(piece_of(k));
  }
  return out;
}

}  // namespace

std::unique_ptr<Tokenizer> make_sentencepiece_bpe(SentencePieceSpec spec) {
  return std::make_unique<SentencePieceBpe>(std::move(spec));
}

}  // namespace lmzip::tokenizer
