// The int8 transformer's guarantees: the incremental and batched paths give the same tables for
// every block size; every kernel path gives the same tables; sessions are reusable and
// independent across threads; the tables match checked-in golden hashes (numerics version 1).
#include "lmzip/model/int8/int8_transformer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "int8_test_support.h"
#include "lmzip/common/checksum.h"
#include "lmzip/error.h"
#include "lmzip/model/int8/numerics.h"

namespace lmzip::model::int8 {
namespace {

using test::make_test_weights;
using test::pseudo_text;

// All tables of a chunk, concatenated cum arrays.
using Tables = std::vector<std::uint32_t>;

Tables incremental(ModelSession& s, ByteView chunk) {
  Tables out;
  s.reset();
  for (std::uint8_t b : chunk) {
    const auto& t = s.next_table();
    out.insert(out.end(), t.cum.begin(), t.cum.end());
    s.feed(b);
  }
  return out;
}

Tables batched(ModelSession& s, ByteView chunk) {
  Tables out;
  std::size_t expect = 0;
  s.tables_for_chunk(chunk, [&](std::size_t i, const coding::FrequencyTable& t) {
    EXPECT_EQ(i, expect++);
    out.insert(out.end(), t.cum.begin(), t.cum.end());
  });
  EXPECT_EQ(expect, chunk.size());
  return out;
}

// XXH64 of the cum arrays as little-endian uint32 (the same value on every machine).
std::uint64_t hash_tables(const Tables& t) {
  Bytes bytes;
  bytes.reserve(t.size() * 4);
  for (std::uint32_t v : t) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  return xxh64(bytes);
}

std::vector<KernelPath> supported_paths() {
  std::vector<KernelPath> v;
  for (KernelPath p : {KernelPath::reference, KernelPath::avx2, KernelPath::avx512}) {
    if (kernel_path_supported(p)) v.push_back(p);
  }
  return v;
}

Int8Transformer make_model(const Weights& w, KernelPath path = KernelPath::automatic, int block = 64) {
  return Int8Transformer(w, ModelIdentity{"test", std::string(64, '0'), 0, 0, 0}, Int8Options{path, block});
}

TEST(Int8Model, IncrementalEqualsBatchedForEveryBlockSize) {
  auto w = make_test_weights(test::shape_small(), 11);
  const auto text = pseudo_text(256, 1);  // the whole context
  const Tables want = incremental(*make_model(w->view).new_session(), text);
  ASSERT_EQ(want.size(), 256u * 257u);
  for (int block : {1, 7, 64, 2048}) {
    for (KernelPath p : supported_paths()) {
      auto s = make_model(w->view, p, block).new_session();
      EXPECT_EQ(batched(*s, text), want) << "block " << block << " path " << to_string(p);
    }
  }
}

TEST(Int8Model, IncrementalEqualsBatchedOnPresetShapes) {
  auto w200 = make_test_weights(test::shape_200k(), 12);
  const auto text = pseudo_text(150, 2);
  const Tables want = incremental(*make_model(w200->view).new_session(), text);
  for (int block : {1, 7, 64, 2048}) {
    EXPECT_EQ(batched(*make_model(w200->view, KernelPath::automatic, block).new_session(), text), want) << block;
  }
  auto w32 = make_test_weights(test::shape_3_2m(), 13);
  const auto short_text = pseudo_text(40, 3);
  const Tables want32 = incremental(*make_model(w32->view).new_session(), short_text);
  for (int block : {7, 64}) {
    EXPECT_EQ(batched(*make_model(w32->view, KernelPath::automatic, block).new_session(), short_text), want32) << block;
  }
}

TEST(Int8Model, EveryKernelPathGivesTheSameTables) {
  const Config odd = test::shape(24, 2, 3, 40, 50);   // head_dim 8, widths that need padding
  const Config odd2 = test::shape(18, 1, 3, 10, 30);  // head_dim 6 (key groups padded to 8)
  for (const Config& c : {test::shape_small(), test::shape_200k(), odd, odd2}) {
    auto w = make_test_weights(c, 14);
    const auto text = pseudo_text(std::min(c.context, 120), 4);
    const Tables want = incremental(*make_model(w->view, KernelPath::reference).new_session(), text);
    for (KernelPath p : supported_paths()) {
      auto model = make_model(w->view, p, 16);
      EXPECT_EQ(model.kernel_path(), p);
      EXPECT_EQ(incremental(*model.new_session(), text), want) << "D " << c.d_model << " path " << to_string(p);
      EXPECT_EQ(batched(*model.new_session(), text), want) << "D " << c.d_model << " path " << to_string(p);
    }
  }
}

TEST(Int8Model, SessionsAreReusableAndLazyFeedsAgree) {
  auto w = make_test_weights(test::shape_small(), 15);
  auto model = make_model(w->view);
  const auto a = pseudo_text(200, 5), b = pseudo_text(256, 6);
  const Tables want_a = incremental(*model.new_session(), a);
  const Tables want_b = incremental(*model.new_session(), b);
  auto s = model.new_session();
  EXPECT_EQ(batched(*s, b), want_b);
  EXPECT_EQ(incremental(*s, a), want_a);  // after a longer chunk: stale cache entries unused
  EXPECT_EQ(batched(*s, a), want_a);
  EXPECT_EQ(incremental(*s, b), want_b);
  // Feeding without asking for every table (the cache is still filled) gives the same tables.
  s->reset();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i % 3 == 0) {
      const auto& t = s->next_table();
      EXPECT_TRUE(std::equal(t.cum.begin(), t.cum.end(), want_a.begin() + i * 257)) << i;
    }
    s->feed(a[i]);
  }
  // After tables_for_chunk the session is positioned after the chunk, as after feed().
  s->tables_for_chunk(ByteView(a).first(100), [](std::size_t, const coding::FrequencyTable&) {});
  const auto& t = s->next_table();
  EXPECT_TRUE(std::equal(t.cum.begin(), t.cum.end(), want_a.begin() + 100 * 257));
}

TEST(Int8Model, TwoThreadsGiveTheSameTables) {
  auto w = make_test_weights(test::shape_200k(), 16);
  auto model = make_model(w->view, KernelPath::automatic, 32);
  const auto a = pseudo_text(300, 7), b = pseudo_text(300, 8);
  const Tables want_a = batched(*model.new_session(), a), want_b = incremental(*model.new_session(), b);
  Tables got_a, got_b;
  std::thread t1([&] { got_a = incremental(*model.new_session(), a); });
  std::thread t2([&] { got_b = batched(*model.new_session(), b); });
  t1.join();
  t2.join();
  EXPECT_EQ(got_a, want_a);
  EXPECT_EQ(got_b, want_b);
}

TEST(Int8Model, ContextLimitsAndBadInput) {
  auto w = make_test_weights(test::shape(16, 1, 2, 32, 20), 17);
  auto model = make_model(w->view);
  auto s = model.new_session();
  const auto text = pseudo_text(21, 9);
  EXPECT_THROW(s->tables_for_chunk(text, [](std::size_t, const coding::FrequencyTable&) {}), Error);
  s->reset();
  for (int i = 0; i < 20; ++i) {
    s->next_table();
    s->feed(text[i]);
  }
  EXPECT_THROW(s->next_table(), Error);  // 20 bytes fed: no position left
  EXPECT_THROW(s->feed(1), Error);       // the 21st byte
  s->reset();
  EXPECT_NO_THROW(s->next_table());

  Weights bad = w->view;
  bad.config.n_heads = 3;  // 16 % 3 != 0
  EXPECT_THROW(make_model(bad), Error);
  bad = w->view;
  bad.config.n_heads = 16;  // head_dim 1: odd
  EXPECT_THROW(make_model(bad), Error);
  EXPECT_THROW(make_model(w->view, KernelPath::automatic, 0), Error);
  std::vector<float> head(w->view.head_w, w->view.head_w + 256 * 16);
  head[77] = NAN;
  bad = w->view;
  bad.head_w = head.data();
  EXPECT_THROW(make_model(bad), Error);
}

TEST(Int8Model, IdentityAndOptions) {
  auto w = make_test_weights(test::shape_small(), 18);
  Int8Transformer m(w->view, ModelIdentity{"name", "ab", 123, 0, 0}, Int8Options{KernelPath::reference, 5000});
  const ModelIdentity id = m.identity();
  EXPECT_EQ(id.name, "name");
  EXPECT_EQ(id.sha256, "ab");
  EXPECT_EQ(id.parameters, 123u);
  EXPECT_EQ(id.numerics_version, kNumericsVersion);
  EXPECT_EQ(id.context, 256u);
  EXPECT_EQ(m.kernel_path(), KernelPath::reference);
  EXPECT_EQ(m.block(), 256);  // clamped to the context
}

// Golden hashes: XXH64 of every table's cum array (little-endian uint32) for fixed random models
// and a fixed 300-byte input. A change here means the numerics changed: archives written before
// would no longer decode. Such a change requires bumping kNumericsVersion (docs/numerics.md).
TEST(Int8Model, GoldenTableHashes) {
  struct Golden {
    Config config;
    std::uint64_t seed;
    std::uint64_t hash;
  };
  const Golden goldens[] = {
      {test::shape(32, 2, 2, 128, 512), 2024, 0x9ce3b46753dfcc78ull},
      {test::shape_200k(), 2025, 0xe5b4a18f728676d5ull},
      {test::shape_3_2m(), 2026, 0xeac6971a238b5a64ull},
  };
  const auto text = pseudo_text(300, 2024);
  for (const Golden& g : goldens) {
    test::WeightScales ws;
    ws.head_gain = 4.0f;  // confident predictions: tables far from uniform
    auto w = make_test_weights(g.config, g.seed, ws);
    for (KernelPath p : supported_paths()) {
      const std::uint64_t h = hash_tables(batched(*make_model(w->view, p, 64).new_session(), text));
      EXPECT_EQ(h, g.hash) << "D " << g.config.d_model << " path " << to_string(p) << ": got 0x" << to_hex64(h);
    }
  }
}

}  // namespace
}  // namespace lmzip::model::int8
