// A minimal reader of SentencePiece's ModelProto (sentencepiece_model.proto, proto2) in the
// protobuf wire format, for the fields that determine BPE encoding:
//
//   ModelProto      1 pieces (repeated SentencePiece)  2 trainer_spec  3 normalizer_spec
//   SentencePiece   1 piece (string)  2 score (float)  3 type (enum, default NORMAL = 1)
//   TrainerSpec     3 model_type (UNIGRAM = 1 default, BPE = 2)  24 treat_whitespace_as_suffix
//                   35 byte_fallback  40 unk_id (0)  41 bos_id (1)  42 eos_id (2)
//   NormalizerSpec  1 name  2 precompiled_charsmap  3 add_dummy_prefix (true)
//                   4 remove_extra_whitespaces (true)  5 escape_whitespaces (true)
//
// Wire format: each field is a varint key (field number << 3 | wire type) followed by a varint
// (type 0), 8 bytes (1), a varint length and that many bytes (2), or 4 bytes (5). Unknown
// fields are skipped; groups (3, 4) and truncated fields are errors.
#include <cstring>
#include <utility>
#include <string>
#include <string_view>

#include "lmzip/error.h"
#include "loaders.h"

namespace lmzip::tokenizer {

namespace {

struct Field {
  std::uint32_t number = 0;
  std::uint32_t wire = 0;
  std::uint64_t varint = 0;  // types 0, 1, 5
  ByteView bytes;            // type 2
};

class WireReader {
 public:
  WireReader(ByteView data, const std::string& name, std::string what) : data_(data), name_(name), what_(std::move(what)) {}

  bool done() const { return pos_ == data_.size(); }

  Field next() {
    Field f;
    const std::uint64_t key = varint();
    f.number = static_cast<std::uint32_t>(key >> 3);
    f.wire = static_cast<std::uint32_t>(key & 7);
    if (f.number == 0) fail("field number 0");
    switch (f.wire) {
      case 0: f.varint = varint(); break;
      case 1: f.varint = fixed(8); break;
      case 5: f.varint = fixed(4); break;
      case 2: {
        const std::uint64_t len = varint();
        if (len > data_.size() - pos_) fail("a field of " + std::to_string(len) + " bytes runs past the end");
        f.bytes = data_.subspan(pos_, static_cast<std::size_t>(len));
        pos_ += static_cast<std::size_t>(len);
        break;
      }
      default: fail("wire type " + std::to_string(f.wire) + " is not supported");
    }
    return f;
  }

  [[noreturn]] void fail(const std::string& msg) const {
    throw Error(name_ + ": not a SentencePiece model (" + what_ + " at byte " + std::to_string(pos_) + ": " + msg + ")");
  }

 private:
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) fail("truncated varint");
      const std::uint8_t b = data_[pos_++];
      v |= std::uint64_t(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    fail("varint longer than 10 bytes");
  }
  std::uint64_t fixed(int n) {
    if (data_.size() - pos_ < static_cast<std::size_t>(n)) fail("truncated fixed-width field");
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint64_t(data_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }

  ByteView data_;
  std::size_t pos_ = 0;
  const std::string& name_;
  std::string what_;
};

void expect_wire(const WireReader& r, const Field& f, std::uint32_t wire, const char* field) {
  if (f.wire != wire) r.fail(std::string(field) + " has wire type " + std::to_string(f.wire));
}

std::string as_string(ByteView b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

}  // namespace

SentencePieceSpec parse_sentencepiece_model(ByteView data, const std::string& name) {
  SentencePieceSpec spec;
  int model_type = 1;
  bool whitespace_as_suffix = false, escape_whitespaces = true;
  std::int32_t bos = 1, eos = 2;
  std::string normalizer_name, charsmap;
  spec.remove_extra_whitespaces = true;  // the proto default

  WireReader top(data, name, "ModelProto");
  if (data.empty()) top.fail("empty file");
  while (!top.done()) {
    const Field f = top.next();
    if (f.number == 1) {
      expect_wire(top, f, 2, "pieces");
      WireReader r(f.bytes, name, "piece " + std::to_string(spec.pieces.size()));
      std::string piece;
      float score = 0.0f;
      int type = kNormal;
      while (!r.done()) {
        const Field g = r.next();
        if (g.number == 1) { expect_wire(r, g, 2, "piece"); piece = as_string(g.bytes); }
        else if (g.number == 2) {
          expect_wire(r, g, 5, "score");
          const auto u = static_cast<std::uint32_t>(g.varint);
          std::memcpy(&score, &u, 4);
        } else if (g.number == 3) { expect_wire(r, g, 0, "type"); type = static_cast<int>(g.varint); }
      }
      spec.pieces.push_back(std::move(piece));
      spec.scores.push_back(score);
      spec.types.push_back(type);
    } else if (f.number == 2) {
      expect_wire(top, f, 2, "trainer_spec");
      WireReader r(f.bytes, name, "TrainerSpec");
      while (!r.done()) {
        const Field g = r.next();
        if (g.wire != 0) continue;
        const auto v = static_cast<std::int32_t>(static_cast<std::uint32_t>(g.varint));  // int32 as varint
        if (g.number == 3) model_type = v;
        else if (g.number == 24) whitespace_as_suffix = v != 0;
        else if (g.number == 41) bos = v;
        else if (g.number == 42) eos = v;
      }
    } else if (f.number == 3) {
      expect_wire(top, f, 2, "normalizer_spec");
      WireReader r(f.bytes, name, "NormalizerSpec");
      while (!r.done()) {
        const Field g = r.next();
        if (g.number == 1 && g.wire == 2) normalizer_name = as_string(g.bytes);
        else if (g.number == 2 && g.wire == 2) charsmap = as_string(g.bytes);
        else if (g.number == 3 && g.wire == 0) spec.add_dummy_prefix = g.varint != 0;
        else if (g.number == 4 && g.wire == 0) spec.remove_extra_whitespaces = g.varint != 0;
        else if (g.number == 5 && g.wire == 0) escape_whitespaces = g.varint != 0;
      }
    }
  }

  if (spec.pieces.empty()) throw Error(name + ": SentencePiece model has no pieces");
  if (model_type != 2) {
    const char* names[] = {"UNIGRAM", "BPE", "WORD", "CHAR"};
    const std::string type = model_type >= 1 && model_type <= 4 ? names[model_type - 1] : std::to_string(model_type);
    throw Error(name + ": SentencePiece model_type " + type + " is not supported (BPE is)");
  }
  if (!charsmap.empty()) {
    throw Error(name + ": SentencePiece normalizer \"" + normalizer_name + "\" has a character map; only the identity normalizer is supported");
  }
  if (!escape_whitespaces || whitespace_as_suffix) {
    throw Error(name + ": SentencePiece models without escape_whitespaces or with treat_whitespace_as_suffix are not supported");
  }
  const auto n = static_cast<std::int32_t>(spec.pieces.size());
  spec.bos = (bos >= 0 && bos < n) ? bos : -1;
  spec.eos = (eos >= 0 && eos < n) ? eos : -1;
  spec.unk = -1;  // the kUnknown piece
  return spec;
}

}  // namespace lmzip::tokenizer
