// SentencePiece BPE: reference ids of the Llama 2 tokenizer (sentencepiece 0.2), llama2.c's
// tok512.bin, a hand-made tokenizer.model (protobuf written here) and its tokenizer.json twin,
// losslessness on random text and bytes, fingerprints.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/tokenizer/tokenizer.h"
#include "tokenizer_test_support.h"

namespace lmzip::tokenizer {
namespace {

using testing::bv;
using testing::str;
const std::string kSp = "\xE2\x96\x81";  // U+2581

TEST(TokenizerSentencePiece, Llama2MatchesSentencepieceReferenceIds) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto fx = testing::reference_fixture(shared);
  const auto tok = load_tokenizer(shared / "tokenizers" / "llama2" / "tokenizer.model");
  EXPECT_EQ(tok->kind(), "sentencepiece-bpe");
  EXPECT_EQ(tok->vocab_size(), 32000u);
  EXPECT_EQ(tok->bos_id(), 1);
  EXPECT_EQ(tok->eos_id(), 2);
  testing::expect_reference_ids(*tok, fx, "llama2_sentencepiece_ids");
}

TEST(TokenizerSentencePiece, Llama2IsLosslessOnRandomTextAndBytes) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto tok = load_tokenizer(shared / "tokenizers" / "llama2" / "tokenizer.model");
  std::mt19937 rng(1);
  for (int iter = 0; iter < 400; ++iter) {
    const std::string s = iter % 2 ? testing::random_bytes(rng, 300) : testing::random_utf8(rng, 300);
    const std::vector<TokenId> ids = tok->encode(bv(s));
    for (TokenId id : ids) ASSERT_TRUE(id >= 0 && id < 32000);
    ASSERT_EQ(str(tok->decode(ids)), s) << "iteration " << iter;
  }
}

TEST(TokenizerSentencePiece, InvalidUtf8AndLiteralU2581BecomeByteTokens) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto tok = load_tokenizer(shared / "tokenizers" / "llama2" / "tokenizer.model");
  // <0xNN> is id 3 + NN in Llama 2
  const std::vector<TokenId> ids = tok->encode(bv("\xFF"));
  EXPECT_EQ(ids, (std::vector<TokenId>{29871, 3 + 0xFF}));  // dummy "▁", then the byte
  const std::string lit = "a" + kSp + "b";
  const std::vector<TokenId> lit_ids = tok->encode(bv(lit));
  EXPECT_NE(std::find(lit_ids.begin(), lit_ids.end(), 3 + 0xE2), lit_ids.end());
  EXPECT_EQ(str(tok->decode(lit_ids)), lit);
  EXPECT_TRUE(tok->encode(bv("")).empty());
  EXPECT_THROW(tok->token_bytes(32000, 0), Error);
  EXPECT_THROW(tok->token_bytes(-1, 0), Error);
  EXPECT_TRUE(tok->token_bytes(1, 0).empty());  // BOS has no bytes
}

TEST(TokenizerSentencePiece, Stories260KTok512) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto path = shared / "models" / "stories260K" / "tok512.bin";
  EXPECT_THROW(load_tokenizer(path), Error);  // the vocabulary size is needed
  const auto tok = load_tokenizer(path, 512);
  EXPECT_EQ(tok->kind(), "sentencepiece-bpe");
  EXPECT_EQ(tok->vocab_size(), 512u);
  EXPECT_EQ(tok->bos_id(), 1);
  EXPECT_EQ(tok->eos_id(), 2);
  const Bytes text = test::read_file(shared / "text" / "tinystories" / "tinystories_sample.txt");
  const std::vector<TokenId> ids = tok->encode(text);
  EXPECT_EQ(tok->decode(ids), text);
  std::size_t multi = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) multi += tok->token_bytes(ids[i], i).size() >= 2;
  EXPECT_LT(ids.size(), text.size() * 6 / 10);
  EXPECT_GT(multi * 10, ids.size() * 4) << "at least 40% of the tokens should be multi-byte";
  // the first words are whole tokens; the first token loses its dummy-prefix space
  const std::vector<TokenId> first = tok->encode(bv("Once upon a time"));
  ASSERT_EQ(first.size(), 4u);
  EXPECT_EQ(str(tok->token_bytes(first[0], 0)), "Once");
  EXPECT_EQ(str(tok->token_bytes(first[0], 1)), " Once");
  EXPECT_EQ(str(tok->token_bytes(first[1], 1)), " upon");
  EXPECT_EQ(str(tok->token_bytes(first[3], 3)), " time");
  std::mt19937 rng(2);
  for (int iter = 0; iter < 200; ++iter) {
    const std::string s = iter % 2 ? testing::random_bytes(rng, 200) : testing::random_utf8(rng, 200);
    ASSERT_EQ(str(tok->decode(tok->encode(bv(s)))), s) << "iteration " << iter;
  }
  EXPECT_NE(tok->fingerprint(), load_tokenizer(shared / "tokenizers" / "llama2" / "tokenizer.model")->fingerprint());
}

// ---- a hand-made model ------------------------------------------------------------------------

struct Piece {
  std::string piece;
  float score;
  int type;
};

// <unk> <s> </s>, the 256 byte pieces (ids 3..258), then `extra`.
std::vector<Piece> base_pieces(const std::vector<Piece>& extra) {
  std::vector<Piece> p = {{"<unk>", 0, kUnknown}, {"<s>", 0, kControl}, {"</s>", 0, kControl}};
  for (int b = 0; b < 256; ++b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "<0x%02X>", b);
    p.push_back({buf, 0, kByte});
  }
  p.insert(p.end(), extra.begin(), extra.end());
  return p;
}

Bytes model_proto(const std::vector<Piece>& pieces, int model_type = 2, bool remove_extra_whitespaces = false) {
  testing::ProtoWriter m;
  for (const Piece& p : pieces) {
    testing::ProtoWriter sp;
    sp.bytes_field(1, p.piece);
    sp.float_field(2, p.score);
    if (p.type != kNormal) sp.varint_field(3, p.type);
    m.message_field(1, sp);
  }
  testing::ProtoWriter trainer;
  trainer.varint_field(3, model_type);
  trainer.varint_field(35, 1);  // byte_fallback
  m.message_field(2, trainer);
  testing::ProtoWriter norm;
  norm.bytes_field(1, "identity");
  norm.varint_field(3, 1);  // add_dummy_prefix
  norm.varint_field(4, remove_extra_whitespaces);
  m.message_field(3, norm);
  return m.bytes();
}

// ids: 259 ▁  260 a  261 b  262 c  263 ▁a  264 ab  265 bc  266 ▁ab  267 abc (unused)
//      268 <sep> (user-defined)  269 é
std::vector<Piece> hand_pieces() {
  return base_pieces({{kSp, 0, kNormal}, {"a", 0, kNormal}, {"b", 0, kNormal}, {"c", 0, kNormal},
                      {kSp + "a", -1, kNormal}, {"ab", -2, kNormal}, {"bc", -3, kNormal}, {kSp + "ab", -4, kNormal},
                      {"abc", -0.5f, kUnused}, {"<sep>", 0, kUserDefined}, {"\xC3\xA9", 0, kNormal}});
}

// Each expectation here was also checked against sentencepiece's own encoder on the same file.
TEST(TokenizerSentencePiece, HandMadeModelGivesHandCheckedIds) {
  test::TempDir dir;
  test::write_file(dir / "tokenizer.model", model_proto(hand_pieces()));
  const auto tok = load_tokenizer(dir / "tokenizer.model");
  using V = std::vector<TokenId>;
  // "▁ab": ▁a (-1) beats ab (-2), then ▁a+b = ▁ab (-4)
  EXPECT_EQ(tok->encode(bv("ab")), (V{266}));
  // "▁abc": ▁a first, then bc (-3) beats ▁ab (-4)
  EXPECT_EQ(tok->encode(bv("abc")), (V{263, 265}));
  EXPECT_EQ(tok->encode(bv("b a")), (V{259, 261, 263}));
  // d is not a piece: byte fallback
  EXPECT_EQ(tok->encode(bv("bd")), (V{259, 261, 3 + 'd'}));
  // the unused piece abc (-0.5) is merged, then split back into the pieces it was made from
  EXPECT_EQ(tok->encode(bv("cabc")), (V{259, 262, 264, 262}));
  // a user-defined piece is one frozen symbol
  EXPECT_EQ(tok->encode(bv("x<sep>a")), (V{259, 3 + 'x', 268, 260}));
  EXPECT_EQ(tok->encode(bv("\xC3\xA9")), (V{259, 269}));
  EXPECT_EQ(str(tok->token_bytes(263, 0)), "a");
  EXPECT_EQ(str(tok->token_bytes(263, 1)), " a");
  EXPECT_EQ(str(tok->decode(V{259, 262, 264, 262})), "cabc");
  // remove_extra_whitespaces drops leading, trailing and repeated spaces
  test::write_file(dir / "rew.model", model_proto(hand_pieces(), 2, true));
  EXPECT_EQ(load_tokenizer(dir / "rew.model")->encode(bv("  a  b  ")), (V{263, 259, 261}));
  // the same tables through make_sentencepiece_bpe give the same tokenizer
  SentencePieceSpec spec;
  for (const Piece& p : hand_pieces()) {
    spec.pieces.push_back(p.piece);
    spec.scores.push_back(p.score);
    spec.types.push_back(p.type);
  }
  spec.bos = 1;
  spec.eos = 2;
  EXPECT_EQ(make_sentencepiece_bpe(spec)->fingerprint(), tok->fingerprint());
  spec.scores[265] = -5;
  EXPECT_NE(make_sentencepiece_bpe(spec)->fingerprint(), tok->fingerprint());
}

// Pieces: every string of 1..3 symbols over {▁, a, b, c}, distinct pseudo-random scores.
std::vector<Piece> rich_pieces() {
  const std::vector<std::string> sym = {kSp, "a", "b", "c"};
  std::vector<std::string> all;
  for (const auto& x : sym) all.push_back(x);
  for (const auto& x : sym) for (const auto& y : sym) all.push_back(x + y);
  for (const auto& x : sym) for (const auto& y : sym) for (const auto& z : sym) all.push_back(x + y + z);
  std::vector<int> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::shuffle(order.begin(), order.end(), std::mt19937(5));
  std::vector<Piece> extra;
  for (std::size_t i = 0; i < all.size(); ++i) extra.push_back({all[i], i < 4 ? 0.0f : -static_cast<float>(order[i]), kNormal});
  return base_pieces(extra);
}

// The tokenizer.json a converter would write for `pieces`: every split of every piece as a merge,
// ordered by the merged piece's score.
std::string sentencepiece_style_json(const std::vector<Piece>& pieces) {
  nlohmann::json vocab = nlohmann::json::object();
  std::map<std::string, float> score;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    vocab[pieces[i].piece] = i;
    if (pieces[i].type == kNormal) score[pieces[i].piece] = pieces[i].score;
  }
  std::vector<std::pair<float, std::string>> merges;
  for (const auto& [p, s] : score) {
    for (std::size_t cut = 1; cut < p.size(); ++cut) {
      const std::string a = p.substr(0, cut), b = p.substr(cut);
      if (score.count(a) && score.count(b)) merges.push_back({-s, a + " " + b});
    }
  }
  std::stable_sort(merges.begin(), merges.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  nlohmann::json m = nlohmann::json::array();
  for (const auto& [s, text] : merges) m.push_back(text);
  nlohmann::json j = {
      {"version", "1.0"},
      {"added_tokens", {{{"id", 0}, {"content", "<unk>"}, {"special", true}}, {{"id", 1}, {"content", "<s>"}, {"special", true}},
                        {{"id", 2}, {"content", "</s>"}, {"special", true}}}},
      {"normalizer", {{"type", "Sequence"}, {"normalizers", {{{"type", "Prepend"}, {"prepend", kSp}},
                                                             {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", kSp}}}}}},
      {"pre_tokenizer", nullptr},
      {"model", {{"type", "BPE"}, {"unk_token", "<unk>"}, {"byte_fallback", true}, {"vocab", vocab}, {"merges", m}}}};
  return j.dump();
}

TEST(TokenizerSentencePiece, TokenizerJsonTwinOfAHandMadeModelGivesTheSameIds) {
  test::TempDir dir;
  const std::vector<Piece> pieces = rich_pieces();
  test::write_file(dir / "tokenizer.model", model_proto(pieces));
  test::write_file(dir / "tokenizer.json", bv(sentencepiece_style_json(pieces)));
  const auto from_model = load_tokenizer(dir / "tokenizer.model");
  const auto from_json = load_tokenizer(dir / "tokenizer.json");
  EXPECT_EQ(from_json->kind(), "sentencepiece-bpe");
  EXPECT_EQ(from_json->bos_id(), 1);
  EXPECT_EQ(from_json->eos_id(), 2);
  std::mt19937 rng(3);
  const char* alphabet[] = {"a", "b", "c", " ", "  ", "d", "\xC3\xA9"};
  for (int iter = 0; iter < 500; ++iter) {
    std::string s;
    const int n = std::uniform_int_distribution<int>(0, 40)(rng);
    for (int k = 0; k < n; ++k) s += alphabet[std::uniform_int_distribution<int>(0, 6)(rng)];
    const std::vector<TokenId> ids = from_model->encode(bv(s));
    ASSERT_EQ(from_json->encode(bv(s)), ids) << "\"" << s << "\"";
    ASSERT_EQ(str(from_model->decode(ids)), s);
  }
}

TEST(TokenizerSentencePiece, BadModelFilesNameTheFile) {
  test::TempDir dir;
  const Bytes good = model_proto(hand_pieces());
  test::write_file(dir / "cut.model", ByteView(good).first(good.size() - 7));
  test::write_file(dir / "unigram.model", model_proto(hand_pieces(), 1));
  test::write_file(dir / "empty.model", Bytes{});
  for (const char* name : {"cut.model", "unigram.model", "empty.model", "missing.model"}) {
    try {
      load_tokenizer(dir / name);
      ADD_FAILURE() << name << " loaded";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(make_sentencepiece_bpe(SentencePieceSpec{}), Error);
}

TEST(TokenizerSentencePiece, TruncatedLlama2ModelNamesTheFile) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const Bytes data = test::read_file(shared / "tokenizers" / "llama2" / "tokenizer.model");
  test::TempDir dir;
  test::write_file(dir / "tokenizer.model", ByteView(data).first(data.size() / 2));
  try {
    load_tokenizer(dir / "tokenizer.model");
    ADD_FAILURE() << "a truncated model loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer.model"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lmzip::tokenizer
