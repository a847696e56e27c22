// Byte-level BPE: reference ids of GPT-2 (transformers' GPT2Tokenizer on encoder.json +
// vocab.bpe), the same vocabulary as a tokenizer.json written here (ByteLevel, and Llama 3 /
// Qwen2 Split regexes), ignore_merges, losslessness on random bytes, bad files.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/tokenizer/pretokenize.h"
#include "lmzip/tokenizer/tokenizer.h"
#include "tokenizer_test_support.h"

namespace lmzip::tokenizer {
namespace {

using testing::bv;
using testing::str;
using json = nlohmann::json;

const char* kLlama3Regex =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
const char* kQwen2Regex =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";

// GPT-2's bytes_to_unicode(), as in its encoder.py.
std::string byte_char(int b) {
  const bool self = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  int cp = b;
  if (!self) {
    cp = 256;
    for (int k = 0; k < b; ++k) cp += !((k >= 0x21 && k <= 0x7E) || (k >= 0xA1 && k <= 0xAC) || (k >= 0xAE && k <= 0xFF));
  }
  std::string s;
  testing::append_utf8(s, static_cast<std::uint32_t>(cp));
  return s;
}

struct Gpt2Files {
  json vocab;
  std::vector<std::string> merges;
};

Gpt2Files read_gpt2(const std::filesystem::path& shared) {
  Gpt2Files f;
  const Bytes enc = test::read_file(shared / "tokenizers" / "gpt2" / "encoder.json");
  f.vocab = json::parse(enc.begin(), enc.end());
  const Bytes bpe = test::read_file(shared / "tokenizers" / "gpt2" / "vocab.bpe");
  std::istringstream in(std::string(bpe.begin(), bpe.end()));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.rfind("#version", 0) != 0) f.merges.push_back(line);
  }
  return f;
}

// A tokenizer.json with the GPT-2 tables; `pre` picks the pre-tokenizer section.
std::string gpt2_tokenizer_json(const Gpt2Files& f, const std::string& pre, bool pair_merges, std::optional<bool> ignore_merges = {}) {
  json pre_tok;
  if (pre == "gpt2") {
    pre_tok = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
  } else {
    pre_tok = {{"type", "Sequence"},
               {"pretokenizers",
                {{{"type", "Split"}, {"pattern", {{"Regex", pre == "llama3" ? kLlama3Regex : kQwen2Regex}}}, {"behavior", "Isolated"}, {"invert", false}},
                 {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", false}}}}};
  }
  json merges = json::array();
  for (const std::string& m : f.merges) {
    if (pair_merges) merges.push_back({m.substr(0, m.find(' ')), m.substr(m.find(' ') + 1)});
    else merges.push_back(m);
  }
  json model = {{"type", "BPE"}, {"dropout", nullptr}, {"vocab", f.vocab}, {"merges", merges}};
  if (ignore_merges) model["ignore_merges"] = *ignore_merges;
  json j = {{"version", "1.0"},
            {"added_tokens", {{{"id", 50256}, {"content", "<|endoftext|>"}, {"special", true}}}},
            {"normalizer", pre == "qwen2" ? json{{"type", "NFC"}} : json()},
            {"pre_tokenizer", pre_tok},
            {"decoder", {{"type", "ByteLevel"}}},
            {"model", model}};
  return j.dump();
}

TEST(TokenizerByteBpe, Gpt2MatchesReferenceIds) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto fx = testing::reference_fixture(shared);
  const auto tok = load_tokenizer(shared / "tokenizers" / "gpt2" / "encoder.json");
  EXPECT_EQ(tok->kind(), "byte-bpe");
  EXPECT_EQ(tok->vocab_size(), 50257u);
  EXPECT_EQ(tok->bos_id(), 50256);
  EXPECT_EQ(tok->eos_id(), 50256);
  testing::expect_reference_ids(*tok, fx, "gpt2_bpe_ids");
}

TEST(TokenizerByteBpe, Gpt2IsLosslessOnRandomTextAndBytes) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto tok = load_tokenizer(shared / "tokenizers" / "gpt2" / "encoder.json");
  std::mt19937 rng(4);
  for (int iter = 0; iter < 400; ++iter) {
    const std::string s = iter % 2 ? testing::random_bytes(rng, 300) : testing::random_utf8(rng, 300);
    const std::vector<TokenId> ids = tok->encode(bv(s));
    ASSERT_EQ(str(tok->decode(ids)), s) << "iteration " << iter;
  }
  EXPECT_THROW(tok->token_bytes(50257, 0), Error);
}

TEST(TokenizerByteBpe, TokenizerJsonOfTheGpt2FilesGivesTheSameIds) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const Gpt2Files f = read_gpt2(shared);
  test::TempDir dir;
  test::write_file(dir / "tokenizer.json", bv(gpt2_tokenizer_json(f, "gpt2", false)));
  const auto from_encoder = load_tokenizer(shared / "tokenizers" / "gpt2" / "encoder.json");
  const auto from_json = load_tokenizer(dir / "tokenizer.json");
  EXPECT_EQ(from_json->fingerprint(), from_encoder->fingerprint());
  EXPECT_EQ(from_json->bos_id(), 50256);
  const auto fx = testing::reference_fixture(shared);
  for (std::size_t i = 0; i < fx["strings"].size(); ++i) {
    const std::string s = fx["strings"][i].get<std::string>();
    EXPECT_EQ(from_json->encode(bv(s)), fx["gpt2_bpe_ids"][i].get<std::vector<TokenId>>()) << "string " << i;
  }
  std::mt19937 rng(5);
  for (int iter = 0; iter < 200; ++iter) {
    const std::string s = testing::random_utf8(rng, 200);
    ASSERT_EQ(from_json->encode(bv(s)), from_encoder->encode(bv(s)));
  }
}

TEST(TokenizerByteBpe, Llama3AndQwen2StyleTokenizerJson) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const Gpt2Files f = read_gpt2(shared);
  test::TempDir dir;
  test::write_file(dir / "llama3.json", bv(gpt2_tokenizer_json(f, "llama3", true, true)));
  test::write_file(dir / "qwen2.json", bv(gpt2_tokenizer_json(f, "qwen2", true, false)));
  const auto llama3 = load_tokenizer(dir / "llama3.json");
  const auto qwen2 = load_tokenizer(dir / "qwen2.json");
  const auto gpt2 = load_tokenizer(shared / "tokenizers" / "gpt2" / "encoder.json");
  // the same tables through make_byte_bpe
  ByteBpeSpec spec;
  spec.tokens.resize(50257);
  for (const auto& [token, id] : f.vocab.items()) spec.tokens[id.get<std::size_t>()] = token;
  spec.merges = f.merges;
  spec.pre = PreTokenizer::Llama3;  // ignore_merges defaults to true for Llama 3
  spec.specials = {{"<|endoftext|>", 50256}};
  spec.eos = 50256;
  EXPECT_EQ(make_byte_bpe(spec)->fingerprint(), llama3->fingerprint());
  // each pre-token of the family's split is encoded on its own: with ignore_merges off and a
  // GPT-2 pre-token per piece, ids equal GPT-2's ids of each piece
  for (const std::string s : {"In 2024, 1234567 people", "x.\n\ny", "hello\n\n  world"}) {
    std::vector<TokenId> want;
    std::size_t begin = 0;
    for (std::size_t end : pretokenize(PreTokenizer::Qwen2, bv(s))) {
      const std::vector<TokenId> part = gpt2->encode(bv(s).subspan(begin, end - begin));
      want.insert(want.end(), part.begin(), part.end());
      begin = end;
    }
    EXPECT_EQ(qwen2->encode(bv(s)), want) << s;
  }
  // Qwen2 splits digits one by one; Llama 3 by three
  EXPECT_EQ(qwen2->encode(bv("2024")).size(), 4u);
  EXPECT_EQ(llama3->encode(bv("1234567")).size(), 3u);  // "123" "456" "7" are GPT-2 tokens
  std::mt19937 rng(6);
  for (int iter = 0; iter < 200; ++iter) {
    const std::string s = iter % 2 ? testing::random_bytes(rng, 200) : testing::random_utf8(rng, 200);
    ASSERT_EQ(str(llama3->decode(llama3->encode(bv(s)))), s);
    ASSERT_EQ(str(qwen2->decode(qwen2->encode(bv(s)))), s);
  }
}

// 256 byte tokens + "ab" + "abc", one merge "a b".
ByteBpeSpec tiny_spec(std::optional<bool> ignore_merges) {
  ByteBpeSpec spec;
  for (int b = 0; b < 256; ++b) spec.tokens.push_back(byte_char(b));
  spec.tokens.push_back("ab");   // 256
  spec.tokens.push_back("abc");  // 257
  spec.merges = {"a b"};
  spec.pre = PreTokenizer::Gpt2;
  spec.ignore_merges = ignore_merges;
  spec.specials = {{"<eot>", 258}};
  return spec;
}

TEST(TokenizerByteBpe, IgnoreMergesAndSpecials) {
  const auto merging = make_byte_bpe(tiny_spec(false));
  const auto whole = make_byte_bpe(tiny_spec(true));
  using V = std::vector<TokenId>;
  EXPECT_EQ(merging->encode(bv("abc")), (V{256, 'c'}));
  EXPECT_EQ(whole->encode(bv("abc")), (V{257}));
  EXPECT_NE(merging->fingerprint(), whole->fingerprint());
  // " abc" is one GPT-2 pre-token; byte ' ' is token 32 (its character is U+0120)
  EXPECT_EQ(merging->encode(bv(" abc")), (V{32, 256, 'c'}));
  EXPECT_EQ(merging->vocab_size(), 259u);
  EXPECT_EQ(merging->encode(bv("ab<eot>ab<eot")), (V{256, 258, 256, '<', 'e', 'o', 't'}));
  EXPECT_EQ(str(merging->token_bytes(258, 3)), "<eot>");
  EXPECT_EQ(str(merging->token_bytes(32, 0)), " ");
  ByteBpeSpec bad = tiny_spec(false);
  bad.merges.push_back("a z");
  EXPECT_THROW(make_byte_bpe(bad), Error);
  bad = tiny_spec(false);
  bad.tokens[7].clear();  // no token for byte 7
  EXPECT_THROW(make_byte_bpe(bad), Error);
}

void expect_error_naming(const std::filesystem::path& path, const std::string& needle) {
  try {
    load_tokenizer(path);
    ADD_FAILURE() << path << " loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(TokenizerByteBpe, BadFilesNameTheFile) {
  test::TempDir dir;
  test::write_file(dir / "garbage.json", bv("{\"model\": {\"type\": \"BPE\", \"vocab\": [1, 2"));
  expect_error_naming(dir / "garbage.json", "garbage.json");
  test::write_file(dir / "wordpiece.json", bv(R"({"model": {"type": "WordPiece", "vocab": {"a": 0}}})"));
  expect_error_naming(dir / "wordpiece.json", "wordpiece.json");
  json j = json::parse(gpt2_tokenizer_json({json{{"a", 0}}, {}}, "llama3", false));
  j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "\\w+";
  test::write_file(dir / "regex.json", bv(j.dump()));
  expect_error_naming(dir / "regex.json", "regex.json");
  test::write_file(dir / "noise.txt", bv("\x01\x02 not a tokenizer"));
  expect_error_naming(dir / "noise.txt", "noise.txt");
}

TEST(TokenizerByteBpe, EncoderJsonWithoutVocabBpeNamesTheFiles) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  test::TempDir dir;
  test::write_file(dir / "encoder.json", test::read_file(shared / "tokenizers" / "gpt2" / "encoder.json"));
  expect_error_naming(dir / "encoder.json", (dir / "encoder.json").string());
  expect_error_naming(dir / "encoder.json", "vocab.bpe");
}

}  // namespace
}  // namespace lmzip::tokenizer
