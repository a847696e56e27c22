// Byte-level BPE (GPT-2, Llama 3, Qwen2), an independent implementation of the algorithm of
// GPT-2's encoder.py / transformers' GPT2Tokenizer / Hugging Face tokenizers' BPE model.
//
// encode: special strings are cut out first (leftmost, then longest); each stretch between
// them is split by the family's pre-tokenizer (pretokenize.h); each pre-token starts as one
// symbol per byte (the token of that byte's byte-level character) and the adjacent pair with
// the lowest merge rank (ties: leftmost) is merged until no pair has a rank. Candidates live in
// a binary heap and are checked on pop (both symbols alive, still adjacent, same ids), so a
// pre-token of n bytes costs O(n log n). With ignore_merges a pre-token that is itself a token
// is emitted whole.
#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <unordered_map>

#include "byte_level.h"
#include "canonical.h"
#include "lmzip/error.h"
#include "lmzip/tokenizer/pretokenize.h"
#include "lmzip/tokenizer/tokenizer.h"

namespace lmzip::tokenizer {

namespace {

std::uint64_t pair_key(TokenId a, TokenId b) {
  return (std::uint64_t(std::uint32_t(a)) << 32) | std::uint32_t(b);
}

class ByteBpe final : public Tokenizer {
 public:
  explicit ByteBpe(ByteBpeSpec spec) : s_(std::move(spec)) {
    ignore_merges_ = s_.ignore_merges.value_or(s_.pre == PreTokenizer::Llama3);
    vocab_size_ = s_.tokens.size();
    for (const auto& [text, id] : s_.specials) {
      if (id < 0) throw Error("byte-bpe: special token \"" + text + "\" has id " + std::to_string(id));
      if (text.empty()) throw Error("byte-bpe: special token " + std::to_string(id) + " is empty");
      vocab_size_ = std::max(vocab_size_, static_cast<std::size_t>(id) + 1);
    }
    if (vocab_size_ == 0) throw Error("byte-bpe: empty vocabulary");
    for (TokenId id : {s_.bos, s_.eos}) {
      if (id < -1 || id >= static_cast<TokenId>(vocab_size_)) throw Error("byte-bpe: special id " + std::to_string(id) + " out of range");
    }

    std::unordered_map<std::string_view, TokenId> by_string;
    bytes_.resize(vocab_size_);
    for (std::size_t i = 0; i < s_.tokens.size(); ++i) {
      const std::string& t = s_.tokens[i];
      if (t.empty()) continue;  // an unused id
      const auto id = static_cast<TokenId>(i);
      by_string.emplace(t, id);  // the first of duplicate tokens wins
      if (auto b = byte_level::decode(t)) {
        bytes_[i] = std::move(*b);
        by_bytes_.emplace(std::string(bytes_[i].begin(), bytes_[i].end()), id);
      } else {
        bytes_[i].assign(t.begin(), t.end());  // not a byte-level string: only reachable as a special
      }
    }
    for (int b = 0; b < 256; ++b) {
      const std::uint8_t byte = static_cast<std::uint8_t>(b);
      const auto it = by_string.find(byte_level::encode(ByteView(&byte, 1)));
      if (it == by_string.end()) throw Error("byte-bpe: no token for byte 0x" + hex2(b));
      byte_ids_[b] = it->second;
    }
    merges_.reserve(s_.merges.size());
    for (std::size_t r = 0; r < s_.merges.size(); ++r) {
      const std::string& m = s_.merges[r];
      const std::size_t sp = m.find(' ');
      const std::string where = "byte-bpe: merge " + std::to_string(r) + " \"" + m + "\"";
      if (sp == std::string::npos || sp == 0 || sp + 1 == m.size()) throw Error(where + " is not two tokens");
      const std::string a = m.substr(0, sp), b = m.substr(sp + 1);
      const auto ia = by_string.find(a), ib = by_string.find(b), im = by_string.find(a + b);
      if (ia == by_string.end() || ib == by_string.end() || im == by_string.end()) {
        throw Error(where + ": " + (ia == by_string.end() ? a : ib == by_string.end() ? b : a + b) + " is not a token");
      }
      if (merges_.emplace(pair_key(ia->second, ib->second), Merge{static_cast<std::int32_t>(r), im->second}).second) {
        merge_order_.push_back({ia->second, ib->second});
      }
    }
    specials_.resize(256);
    for (const auto& [text, id] : s_.specials) {
      bytes_[id].assign(text.begin(), text.end());
      specials_[static_cast<std::uint8_t>(text[0])].push_back({text, id});
    }
    for (auto& bucket : specials_) {
      std::stable_sort(bucket.begin(), bucket.end(), [](const auto& x, const auto& y) { return x.first.size() > y.first.size(); });
    }
  }

  std::size_t vocab_size() const override { return vocab_size_; }
  std::string_view kind() const override { return "byte-bpe"; }
  TokenId bos_id() const override { return s_.bos; }
  TokenId eos_id() const override { return s_.eos; }

  std::vector<TokenId> encode(ByteView text) const override {
    std::vector<TokenId> out;
    out.reserve(text.size() / 3 + 4);
    Work work;
    std::size_t seg = 0;
    for (std::size_t i = 0; i < text.size();) {
      std::size_t matched = 0;
      for (const auto& [str, id] : specials_[text[i]]) {
        if (str.size() <= text.size() - i && std::memcmp(text.data() + i, str.data(), str.size()) == 0) {
          encode_text(text.subspan(seg, i - seg), out, work);
          out.push_back(id);
          matched = str.size();
          break;
        }
      }
      if (matched) {
        i += matched;
        seg = i;
      } else {
        ++i;
      }
    }
    encode_text(text.subspan(seg), out, work);
    return out;
  }

  Bytes token_bytes(TokenId id, std::size_t /*index*/) const override {
    if (id < 0 || id >= static_cast<TokenId>(vocab_size_)) {
      throw Error("byte-bpe: token id " + std::to_string(id) + " out of range [0, " + std::to_string(vocab_size_) + ")");
    }
    return bytes_[id];
  }

  std::string fingerprint() const override {
    CanonicalWriter w;
    w.str("lmzip-tokenizer-1");
    w.str(kind());
    w.i32(static_cast<std::int32_t>(s_.pre));
    w.u32(ignore_merges_);
    w.i32(s_.bos);
    w.i32(s_.eos);
    w.u32(static_cast<std::uint32_t>(s_.tokens.size()));
    for (const std::string& t : s_.tokens) w.str(t);
    w.u32(static_cast<std::uint32_t>(merge_order_.size()));
    for (const auto& [a, b] : merge_order_) {
      w.i32(a);
      w.i32(b);
    }
    auto specials = s_.specials;
    std::sort(specials.begin(), specials.end());
    w.u32(static_cast<std::uint32_t>(specials.size()));
    for (const auto& [text, id] : specials) {
      w.str(text);
      w.i32(id);
    }
    return w.sha256();
  }

 private:
  struct Merge {
    std::int32_t rank;
    TokenId merged;
  };
  struct Candidate {
    std::int32_t rank, left, right;
    TokenId a, b;    // the ids the pair had when pushed
    TokenId merged;  // what they merge into
  };
  // Scratch buffers reused across the pre-tokens of one encode() call.
  struct Work {
    std::vector<TokenId> id;
    std::vector<std::int32_t> prev, next;
    std::vector<Candidate> heap;
  };

  static std::string hex2(int b) {
    static const char kDigits[] = "0123456789ABCDEF";
    return {kDigits[b >> 4], kDigits[b & 15]};
  }

  void encode_text(ByteView text, std::vector<TokenId>& out, Work& work) const {
    if (text.empty()) return;
    std::size_t begin = 0;
    for (std::size_t end : pretokenize(s_.pre, text)) {
      encode_piece(text.subspan(begin, end - begin), out, work);
      begin = end;
    }
  }

  void encode_piece(ByteView piece, std::vector<TokenId>& out, Work& w) const {
    const auto n = static_cast<std::int32_t>(piece.size());
    if (n == 1) {
      out.push_back(byte_ids_[piece[0]]);
      return;
    }
    if (ignore_merges_) {
      const auto it = by_bytes_.find(std::string(piece.begin(), piece.end()));
      if (it != by_bytes_.end()) {
        out.push_back(it->second);
        return;
      }
    }
    w.id.resize(n);
    w.prev.resize(n);
    w.next.resize(n);
    w.heap.clear();
    for (std::int32_t k = 0; k < n; ++k) {
      w.id[k] = byte_ids_[piece[k]];
      w.prev[k] = k - 1;
      w.next[k] = k + 1 < n ? k + 1 : -1;
    }
    // Heap order: the best (lowest rank, then leftmost) candidate on top.
    auto worse = [](const Candidate& x, const Candidate& y) { return x.rank > y.rank || (x.rank == y.rank && x.left > y.left); };
    auto add = [&](std::int32_t l, std::int32_t r) {
      if (l < 0 || r < 0) return;
      const auto it = merges_.find(pair_key(w.id[l], w.id[r]));
      if (it == merges_.end()) return;
      w.heap.push_back({it->second.rank, l, r, w.id[l], w.id[r], it->second.merged});
      std::push_heap(w.heap.begin(), w.heap.end(), worse);
    };
    for (std::int32_t k = 0; k + 1 < n; ++k) add(k, k + 1);
    while (!w.heap.empty()) {
      std::pop_heap(w.heap.begin(), w.heap.end(), worse);
      const Candidate c = w.heap.back();
      w.heap.pop_back();
      // Stale: the left symbol was absorbed (its id slot is -1), or the pair changed.
      if (w.id[c.left] != c.a || w.next[c.left] != c.right || w.id[c.right] != c.b) continue;
      w.id[c.left] = c.merged;
      w.next[c.left] = w.next[c.right];
      if (w.next[c.right] >= 0) w.prev[w.next[c.right]] = c.left;
      w.id[c.right] = -1;
      add(w.prev[c.left], c.left);
      add(c.left, w.next[c.left]);
    }
    for (std::int32_t k = 0; k >= 0; k = w.next[k]) out.push_back(w.id[k]);
  }

  ByteBpeSpec s_;
  bool ignore_merges_ = false;
  std::size_t vocab_size_ = 0;
  std::vector<Bytes> bytes_;                              // (vocab) the bytes of each id
  std::unordered_map<std::string, TokenId> by_bytes_;    // bytes -> id, byte-level tokens only
  std::array<TokenId, 256> byte_ids_{};                   // the token of each single byte
  std::unordered_map<std::uint64_t, Merge> merges_;       // (left id, right id) -> rank, result
  std::vector<std::pair<TokenId, TokenId>> merge_order_;  // distinct merges by rank
  std::vector<std::vector<std::pair<std::string, TokenId>>> specials_;  // by first byte, longest first
};

}  // namespace

std::unique_ptr<Tokenizer> make_byte_bpe(ByteBpeSpec spec) { return std::make_unique<ByteBpe>(std::move(spec)); }

}  // namespace lmzip::tokenizer
