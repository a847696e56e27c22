// Tests for the llama2.c checkpoint/tokenizer readers and the float32 Llama forward.
#include "lmzip/model/llama2c.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "test_support.h"

namespace lmzip::model::llama2c {
namespace {

void put_i32(Bytes& b, std::int32_t v) {
  std::uint32_t u;
  std::memcpy(&u, &v, 4);
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}
void put_f32(Bytes& b, float f) {
  std::int32_t i;
  std::memcpy(&i, &f, 4);
  put_i32(b, i);
}

// A small random checkpoint: dim 8, hidden 12, 2 layers, 4 heads, 2 kv heads, vocab 10, seq 6.
Bytes tiny_checkpoint(bool shared, std::optional<int> header_vocab_override = std::nullopt) {
  const int dim = 8, hidden = 12, layers = 2, heads = 4, kv_heads = 2, vocab = 10, seq = 6;
  const int head = dim / heads, kv_dim = kv_heads * head;
  Bytes b;
  for (int v : {dim, hidden, layers, heads, kv_heads,
                header_vocab_override ? *header_vocab_override : (shared ? vocab : -vocab), seq}) {
    put_i32(b, v);
  }
  std::size_t n = std::size_t(vocab) * dim + layers * dim + 2 * layers * dim * dim +
                  2 * layers * kv_dim * dim + layers * dim + 3 * layers * hidden * dim + dim +
                  2 * seq * head / 2 + (shared ? 0 : std::size_t(vocab) * dim);
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 0.5f);
  for (std::size_t i = 0; i < n; ++i) put_f32(b, normal(rng));
  return b;
}

Bytes tiny_tokenizer(int vocab) {
  Bytes b;
  put_i32(b, 6);
  for (int i = 0; i < vocab; ++i) {
    std::string piece = i == 1 ? "<s>" : i == 2 ? "<0x41>" : i == 3 ? " hi" : "t" + std::to_string(i);
    put_f32(b, -float(i));
    put_i32(b, static_cast<std::int32_t>(piece.size()));
    b.insert(b.end(), piece.begin(), piece.end());
  }
  return b;
}

void expect_error_naming(const std::function<void()>& f, const std::string& file) {
  try {
    f();
    FAIL() << "no lmzip::Error thrown";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
  }
}

TEST(Llama2c, ReadsTinyCheckpointAndRunsForward) {
  test::TempDir dir;
  for (bool shared : {true, false}) {
    test::write_file(dir / "m.bin", tiny_checkpoint(shared));
    Checkpoint ck = read_checkpoint(dir / "m.bin");
    EXPECT_EQ(ck.config.dim, 8);
    EXPECT_EQ(ck.config.vocab_size, 10);
    EXPECT_EQ(ck.config.shared_classifier, shared);
    EXPECT_EQ(ck.weights.wcls == ck.weights.token_embedding, shared);
    RunState s;
    build_run_state(s, ck.config);
    for (int pos = 0; pos < ck.config.seq_len; ++pos) {
      const std::vector<float>& logits = forward(ck, s, pos % 10, pos);
      ASSERT_EQ(logits.size(), 10u);
      for (float x : logits) EXPECT_TRUE(std::isfinite(x));
    }
    EXPECT_THROW(forward(ck, s, 0, ck.config.seq_len), Error);
    EXPECT_THROW(forward(ck, s, 10, 0), Error);
    free_run_state(s);
    EXPECT_TRUE(s.key_cache.empty());
  }
}

TEST(Llama2c, TruncatedCheckpointThrowsNamingFile) {
  test::TempDir dir;
  const Bytes full = tiny_checkpoint(true);
  for (std::size_t len : {std::size_t(0), std::size_t(10), std::size_t(28), full.size() / 2, full.size() - 1}) {
    test::write_file(dir / "cut.bin", ByteView(full.data(), len));
    expect_error_naming([&] { read_checkpoint(dir / "cut.bin"); }, "cut.bin");
  }
  Bytes longer = full;
  longer.push_back(0);
  test::write_file(dir / "long.bin", longer);
  expect_error_naming([&] { read_checkpoint(dir / "long.bin"); }, "long.bin");
}

TEST(Llama2c, BadHeaderThrowsNamingFile) {
  test::TempDir dir;
  Bytes b = tiny_checkpoint(true, /*header vocab*/ 0);
  test::write_file(dir / "zero_vocab.bin", b);
  expect_error_naming([&] { read_checkpoint(dir / "zero_vocab.bin"); }, "zero_vocab.bin");
  Bytes huge;
  for (int v : {1 << 30, 1 << 30, 1 << 30, 1, 1, 1 << 30, 1 << 30}) put_i32(huge, v);
  test::write_file(dir / "huge.bin", huge);
  expect_error_naming([&] { read_checkpoint(dir / "huge.bin"); }, "huge.bin");
  Bytes heads;
  for (int v : {8, 12, 2, 3, 2, 10, 6}) put_i32(heads, v);  // dim 8 not a multiple of 3 heads
  test::write_file(dir / "heads.bin", heads);
  expect_error_naming([&] { read_checkpoint(dir / "heads.bin"); }, "heads.bin");
}

TEST(Llama2c, TokenizerDecodeRules) {
  test::TempDir dir;
  test::write_file(dir / "tok.bin", tiny_tokenizer(10));
  Tokenizer tok = read_tokenizer(dir / "tok.bin", 10);
  EXPECT_EQ(tok.max_token_length, 6);
  EXPECT_EQ(tok.decode(1, 3), "hi");   // leading space dropped after BOS
  EXPECT_EQ(tok.decode(4, 3), " hi");
  EXPECT_EQ(tok.decode(4, 2), "A");    // <0x41>
  EXPECT_EQ(tok.decode(4, 5), "t5");
  EXPECT_EQ(printable_piece(std::string(1, '\x01')), "");
  EXPECT_EQ(printable_piece("\n"), "\n");
  EXPECT_EQ(printable_piece("ab"), "ab");
  EXPECT_THROW(tok.decode(0, 10), Error);
}

TEST(Llama2c, TruncatedTokenizerThrowsNamingFile) {
  test::TempDir dir;
  const Bytes full = tiny_tokenizer(10);
  for (std::size_t len : {std::size_t(0), std::size_t(2), std::size_t(4), std::size_t(9), full.size() - 1}) {
    test::write_file(dir / "cut_tok.bin", ByteView(full.data(), len));
    expect_error_naming([&] { read_tokenizer(dir / "cut_tok.bin", 10); }, "cut_tok.bin");
  }
}

TEST(Llama2c, TokenizerVocabMismatchThrowsNamingFile) {
  test::TempDir dir;
  test::write_file(dir / "tok9.bin", tiny_tokenizer(9));
  expect_error_naming([&] { read_tokenizer(dir / "tok9.bin", 10); }, "tok9.bin");
  test::write_file(dir / "tok11.bin", tiny_tokenizer(11));
  expect_error_naming([&] { read_tokenizer(dir / "tok11.bin", 10); }, "tok11.bin");
}

TEST(Llama2c, Stories260KGreedyMatchesRunC) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const auto dir = data / "models" / "stories260K";
  Checkpoint ck = read_checkpoint(dir / "stories260K.bin");
  EXPECT_EQ(ck.config.dim, 64);
  EXPECT_EQ(ck.config.hidden_dim, 172);
  EXPECT_EQ(ck.config.n_layers, 5);
  EXPECT_EQ(ck.config.n_heads, 8);
  EXPECT_EQ(ck.config.n_kv_heads, 4);
  EXPECT_EQ(ck.config.vocab_size, 512);
  EXPECT_EQ(ck.config.seq_len, 512);
  EXPECT_TRUE(ck.config.shared_classifier);
  Tokenizer tok = read_tokenizer(dir / "tok512.bin", ck.config.vocab_size);
  const Bytes expected_bytes = test::read_file(dir / "greedy_t0_256steps_expected.txt");
  const std::string expected(expected_bytes.begin(), expected_bytes.end());
  EXPECT_EQ(generate_greedy(ck, tok, 256), expected);
}

TEST(Llama2c, Stories260KTruncatedFilesThrow) {
  LMZIP_REQUIRE_SHARED_DATA(data);
  const auto dir = data / "models" / "stories260K";
  test::TempDir tmp;
  const Bytes model = test::read_file(dir / "stories260K.bin");
  test::write_file(tmp / "stories_cut.bin", ByteView(model.data(), model.size() - 4));
  expect_error_naming([&] { read_checkpoint(tmp / "stories_cut.bin"); }, "stories_cut.bin");
  const Bytes tok = test::read_file(dir / "tok512.bin");
  test::write_file(tmp / "tok_cut.bin", ByteView(tok.data(), tok.size() - 3));
  expect_error_naming([&] { read_tokenizer(tmp / "tok_cut.bin", 512); }, "tok_cut.bin");
  // The right tokenizer against a wrong vocab size is a mismatch.
  expect_error_naming([&] { read_tokenizer(dir / "tok512.bin", 511); }, "tok512.bin");
}

}  // namespace
}  // namespace lmzip::model::llama2c
