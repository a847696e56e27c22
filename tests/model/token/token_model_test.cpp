// Token models as compressor models: stories260K (llama2.c + tok512) and a random tiny Llama
// with a byte-level BPE made in the test.
#include "lmzip/model/token_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "lmzip/archive/archive.h"
#include "lmzip/error.h"
#include "lmzip/llm/forward.h"
#include "lmzip/llm/gguf_io.h"
#include "lmzip/model/llama2c.h"
#include "lmzip/model/open_model.h"
#include "lmzip/model/sampler.h"
#include "test_support.h"

namespace lmzip::model {
namespace {

Bytes tinystories_without_endoftext(const std::filesystem::path& shared) {
  const Bytes raw = test::read_file(shared / "text" / "tinystories" / "tinystories_sample.txt");
  std::string text(raw.begin(), raw.end()), out;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string::npos ? text.size() : nl + 1;
    const std::string line = text.substr(pos, end - pos);
    if (line.find("<|endoftext|>") == std::string::npos) out += line;
    pos = end;
  }
  return Bytes(out.begin(), out.end());
}

std::shared_ptr<const ByteModel> stories(const std::filesystem::path& shared) {
  OpenOptions o;
  o.tokenizer = (shared / "models" / "stories260K" / "tok512.bin").string();
  return open_model((shared / "models" / "stories260K" / "stories260K.bin").string(), o);
}

// -log2 p of every token of `chunk` under the model's float softmax (double), as a reference
// for the coded size; the same windows as the coder.
double model_bits(const TokenModel& m, ByteView chunk) {
  const auto ids = m.tokenizer().encode(chunk);
  llm::RunState s;
  llm::build_run_state(s, m.llama().config, m.window(), 16);
  double bits = 0;
  int pos = 0, input = m.start_token();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (pos == m.window()) {
      pos = 0;
      input = m.start_token();
    }
    const float* l = llm::forward(m.llama(), s, input, pos);
    double mx = l[0], sum = 0;
    for (int v = 1; v < m.llama().config.vocab_size; ++v) mx = std::max(mx, static_cast<double>(l[v]));
    for (int v = 0; v < m.llama().config.vocab_size; ++v) sum += std::exp(l[v] - mx);
    bits += -(l[ids[i]] - mx - std::log(sum)) / std::log(2.0);
    input = ids[i];
    ++pos;
  }
  llm::free_run_state(s);
  return bits;
}

TEST(TokenModel, Stories260KCodesTinyStoriesAtTheModelsOwnCost) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto model = stories(shared);
  const auto* tm = dynamic_cast<const TokenModel*>(model.get());
  ASSERT_TRUE(tm);
  EXPECT_EQ(tm->window(), 512) << "stories260K's context";
  EXPECT_EQ(tm->start_token(), 1);
  const Bytes text = tinystories_without_endoftext(shared);
  ASSERT_EQ(text.size(), 3723u) << "SOURCES.md: 3,723 bytes without the endoftext lines";
  archive::CompressOptions co;
  co.chunk_size = 4096;  // one chunk: its ~1,400 tokens span three 512-token windows
  co.verify = true;
  const Bytes packed = archive::compress_bytes(*model, text, co);
  EXPECT_EQ(archive::decompress_bytes(*model, packed), text);
  // The coded size is the model's own cost: within a few bytes of sum(-log2 p) (+ the fixed
  // archive overhead of header, frame, index and footer).
  const double ideal_bytes = model_bits(*tm, text) / 8;
  const double overhead = 68 + model->identity().name.size() + 8 + 24 + 16;
  EXPECT_NEAR(static_cast<double>(packed.size()) - overhead, ideal_bytes, 4.0);
  // SOURCES.md: 0.958 bits per byte for stories260K on this text (as one context); lmzip's
  // 512-token windows restart from BOS twice in this chunk, which costs about 2% (measured 0.976).
  EXPECT_GT(ideal_bytes * 8 / text.size(), 0.958);
  EXPECT_LT(ideal_bytes * 8 / text.size(), 0.958 * 1.03);
}

TEST(TokenModel, ArchivesAreTheSameForEveryThreadCountAndDecodeInChunks) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto model = stories(shared);
  const Bytes text = tinystories_without_endoftext(shared);
  archive::CompressOptions one;
  one.threads = 1;
  archive::CompressOptions two = one;
  two.threads = 2;
  const Bytes a = archive::compress_bytes(*model, text, one);
  EXPECT_EQ(archive::compress_bytes(*model, text, two), a);
  archive::DecompressOptions d;
  d.threads = 2;
  EXPECT_EQ(archive::decompress_bytes(*model, a, d), text);
}

TEST(TokenModel, BytesTheTokenizerCannotRestoreAreStoredRawAndStillRoundTrip) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto model = stories(shared);
  std::mt19937 rng(5);
  Bytes noise(3000);
  for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
  const Bytes packed = archive::compress_bytes(*model, noise);
  EXPECT_EQ(archive::decompress_bytes(*model, packed), noise);
}

// A byte-level BPE of 256 bytes + a few merges, for a random tiny Llama with vocab 300.
std::shared_ptr<const tokenizer::Tokenizer> tiny_byte_bpe() {
  const std::string path_to_gpt2 = "";  // not needed: the byte-level alphabet is rebuilt here
  (void)path_to_gpt2;
  tokenizer::ByteBpeSpec s;
  // GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 upwards.
  int extra = 0;
  auto utf8 = [](int cp) {
    std::string o;
    if (cp < 0x80) {
      o += static_cast<char>(cp);
    } else {
      o += static_cast<char>(0xC0 | (cp >> 6));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return o;
  };
  std::vector<std::string> byte_char(256);
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    byte_char[b] = utf8(printable ? b : 256 + extra++);
  }
  s.tokens = byte_char;
  for (const char* m : {"t h", "th e", "Ġ th", "Ġth e", "a n", "an d"}) {
    std::string merge(m);
    const auto sp = merge.find(' ');
    s.merges.push_back(merge);
    s.tokens.push_back(merge.substr(0, sp) + merge.substr(sp + 1));
  }
  s.tokens.push_back("<|endoftext|>");
  s.eos = static_cast<tokenizer::TokenId>(s.tokens.size() - 1);
  s.specials.emplace_back("<|endoftext|>", s.eos);
  return tokenizer::make_byte_bpe(std::move(s));
}

TEST(TokenModel, RandomLlamaWithByteLevelBpeRoundTripsAnyBytes) {
  llm::LlamaConfig c;
  c.dim = 32;
  c.hidden_dim = 64;
  c.n_layers = 2;
  c.n_heads = 4;
  c.n_kv_heads = 2;
  c.head_dim = 8;
  c.vocab_size = 300;
  c.max_seq_len = 64;  // small: chunks span several windows
  c.qkv_bias = true;
  auto llama = std::make_shared<llm::LlamaModel>(llm::random_llama(c, 9));
  TokenModel model(llama, tiny_byte_bpe(), "tiny-random");
  EXPECT_EQ(model.window(), 64);
  EXPECT_EQ(model.start_token(), 262) << "no BOS: the tokenizer's EOS starts each chunk";
  std::mt19937 rng(1);
  for (std::size_t n : {1u, 63u, 64u, 65u, 700u, 2048u}) {
    Bytes data(n);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? rng() : "the and then "[rng() % 13]);
    archive::CompressOptions o;
    o.verify = true;
    const Bytes packed = archive::compress_bytes(model, data, o);
    EXPECT_EQ(archive::decompress_bytes(model, packed), data) << n;
  }
  // A different tokenizer or window is a different model to the archive.
  TokenModel other_window(llama, tiny_byte_bpe(), "tiny-random", 32);
  EXPECT_NE(other_window.identity().sha256, model.identity().sha256);
  const Bytes packed = archive::compress_bytes(model, Bytes(500, 'a'));
  EXPECT_THROW(archive::decompress_bytes(other_window, packed), Error);
}

TEST(TokenModel, CorruptPayloadsAreErrorsNamingTheirChunk) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto model = stories(shared);
  const Bytes text = tinystories_without_endoftext(shared);
  const Bytes packed = archive::compress_bytes(*model, text);
  const std::size_t header = 68 + model->identity().name.size();
  int errors = 0;
  for (std::size_t off = header + 8; off < header + 400; off += 37) {  // in chunk 0's and chunk 1's payloads
    Bytes bad = packed;
    bad[off] ^= 0x5A;
    try {
      archive::decompress_bytes(*model, bad);
      ADD_FAILURE() << "a damaged byte at " << off << " went unnoticed";
    } catch (const Error& e) {
      ++errors;
      EXPECT_NE(std::string(e.what()).find(": chunk "), std::string::npos) << off << ": " << e.what();
    }
  }
  EXPECT_GT(errors, 5);
}

TEST(TokenModel, MismatchesAndMissingTokenizersAreClearErrors) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto bin = shared / "models" / "stories260K" / "stories260K.bin";
  try {
    open_model(bin.string());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("stories260K.bin"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--tokenizer"), std::string::npos) << e.what();
  }
  // The GPT-2 vocabulary (50,257 tokens) does not fit stories260K's 512.
  OpenOptions o;
  o.tokenizer = (shared / "tokenizers" / "gpt2" / "encoder.json").string();
  try {
    open_model(bin.string(), o);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos) << e.what();
  }
  OpenOptions tok_for_byte_model;
  tok_for_byte_model.tokenizer = "x.model";
  EXPECT_THROW(open_model("order2", tok_for_byte_model), Error);
}

TEST(TokenModel, AGgufCarriesItsTokenizerAndCodesLikeTheOriginal) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  test::TempDir tmp;
  const auto dir = shared / "models" / "stories260K";
  // stories260K converted by lmzip's own writer, its tok512 tables in tokenizer.ggml.*.
  const llm::LlamaModel m = llm::load_llama2c(dir / "stories260K.bin");
  const llama2c::Tokenizer t = llama2c::read_tokenizer(dir / "tok512.bin", 512);
  llm::GgufTokenizerData td;
  td.model = "llama";
  // llama2.c's tok*.bin spells the SentencePiece space U+2581 as ' '; GGUF keeps U+2581.
  for (std::string piece : t.vocab) {
    std::string spelled;
    for (char ch : piece) spelled += ch == ' ' ? std::string("\xE2\x96\x81") : std::string(1, ch);
    td.tokens.push_back(spelled);
  }
  td.scores = t.scores;
  for (std::size_t i = 0; i < t.vocab.size(); ++i) {
    td.token_type.push_back(i == 0 ? tokenizer::kUnknown : i <= 2 ? tokenizer::kControl : i <= 258 ? tokenizer::kByte
                                                                                                  : tokenizer::kNormal);
  }
  td.unk_id = 0;
  td.bos_id = 1;
  td.eos_id = 2;
  llm::write_llama_gguf(m, tmp / "stories260K.gguf", gguf::TensorType::F32, &td);
  const auto from_gguf = open_model((tmp / "stories260K.gguf").string());  // no --tokenizer needed
  const auto original = stories(shared);
  const Bytes text = tinystories_without_endoftext(shared);
  const Bytes a = archive::compress_bytes(*from_gguf, text);
  const Bytes b = archive::compress_bytes(*original, text);
  EXPECT_EQ(archive::decompress_bytes(*from_gguf, a), text);
  // Same weights, same tokenization: the frames are identical; only the header's model differs.
  const auto frames = [](const Bytes& archive, std::size_t name_len) {
    return Bytes(archive.begin() + static_cast<std::ptrdiff_t>(68 + name_len), archive.end());
  };
  EXPECT_EQ(frames(a, from_gguf->identity().name.size()), frames(b, original->identity().name.size()));
  EXPECT_NE(from_gguf->identity().sha256, original->identity().sha256) << "another weights file";
}

TEST(TokenModel, SampleGreedyIsTheGoldenStory) {
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const auto model = stories(shared);
  SampleOptions o;
  o.count = 255;  // run.c: 256 steps, the first feeds BOS
  o.temperature = 0;
  const Bytes out = sample(*model, {}, o);
  const Bytes golden = test::read_file(shared / "models" / "stories260K" / "greedy_t0_256steps_expected.txt");
  const std::string got(out.begin(), out.end()), want(golden.begin(), golden.end());
  // run.c drops the first token's leading space and prints a final newline; compare the story.
  EXPECT_EQ(got.substr(0, 200), want.substr(0, 200));
  // Sampling is reproducible for a seed and differs for another.
  o.temperature = 1;
  o.count = 40;
  o.seed = 7;
  EXPECT_EQ(sample(*model, {}, o), sample(*model, {}, o));
  auto o2 = o;
  o2.seed = 8;
  EXPECT_NE(sample(*model, {}, o), sample(*model, {}, o2));
}

}  // namespace
}  // namespace lmzip::model
