// Every SIMD kernel against its scalar reference, bit for bit, on random inputs of many sizes
// (odd lengths, tails, padding), for each path this CPU supports.

#include "lmzip/model/int8/kernels.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "int8_test_support.h"
#include "lmzip/error.h"
#include "lmzip/model/int8/numerics.h"

namespace lmzip::model::int8 {
namespace {

using test::SplitMix64;

std::vector<KernelPath> simd_paths() {
  std::vector<KernelPath> v;
  for (KernelPath p : {KernelPath::avx2, KernelPath::avx512}) {
    if (kernel_path_supported(p)) v.push_back(p);
  }
  return v;
}

// Bitwise equality of float arrays (distinguishes -0 from +0, compares NaN payloads).
void expect_same_bits(const float* a, const float* b, int n, const char* what, KernelPath p) {
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(std::bit_cast<std::uint32_t>(a[i]), std::bit_cast<std::uint32_t>(b[i]))
        << what << " [" << to_string(p) << "] index " << i << " of " << n << ": " << a[i] << " vs " << b[i];
  }
}

std::vector<float> random_vector(SplitMix64& rng, int n, float scale) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = scale * rng.uniform();
  return v;
}

const int kSizes[] = {1,  2,  3,  5,   7,   8,   9,   15,  16,  17,  31,   32,   33,
                      63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 1023, 1024, 1030};

TEST(Int8Kernels, PathsAreReportedAndResolved) {
  EXPECT_TRUE(kernel_path_supported(KernelPath::reference));
  EXPECT_NE(resolve_kernel_path(KernelPath::reference), KernelPath::automatic);
  EXPECT_EQ(parse_kernel_path("avx2"), KernelPath::avx2);
  EXPECT_THROW(parse_kernel_path("sse"), Error);
  EXPECT_EQ(kernels_for(KernelPath::reference).path, KernelPath::reference);
  for (KernelPath p : simd_paths()) EXPECT_EQ(kernels_for(p).path, p);
  EXPECT_THROW(kernels_for(KernelPath::automatic), Error);
}

TEST(Int8Kernels, EnvironmentVariableChoosesTheAutomaticPath) {
  const char* old = std::getenv("LMZIP_KERNELS");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("LMZIP_KERNELS", "reference", 1);
  EXPECT_EQ(resolve_kernel_path(KernelPath::automatic), KernelPath::reference);
  EXPECT_EQ(resolve_kernel_path(best_kernel_path()), best_kernel_path());  // an explicit path wins
  ::setenv("LMZIP_KERNELS", "neon", 1);
  EXPECT_THROW(resolve_kernel_path(KernelPath::automatic), Error);
  ::setenv("LMZIP_KERNELS", "", 1);
  EXPECT_EQ(resolve_kernel_path(KernelPath::automatic), best_kernel_path());
  if (old != nullptr) {
    ::setenv("LMZIP_KERNELS", saved.c_str(), 1);
  } else {
    ::unsetenv("LMZIP_KERNELS");
  }
}

TEST(Int8Kernels, MatmulMatchesReference) {
  SplitMix64 rng(1);
  const Kernels& ref = reference_kernels();
  const int shapes[][2] = {{1, 1},    {16, 4},  {17, 5},   {3, 64},   {64, 64},   {192, 64},
                           {256, 64}, {31, 33}, {48, 130}, {64, 256}, {256, 256}, {100, 1024}};
  for (const auto& sh : shapes) {
    const int rows = sh[0], cols = sh[1];
    for (bool with_bias : {false, true}) {
      auto w = random_vector(rng, rows * cols, 0.5f);
      w[0] = 0.0f;  // exercise an exact zero and a row of zeros
      if (rows > 2) std::fill(w.begin() + cols, w.begin() + 2 * cols, 0.0f);
      auto b = random_vector(rng, rows, 1.0f);
      const QMatrix q = quantize_matrix(w.data(), rows, cols, with_bias ? b.data() : nullptr);
      for (int n : {1, 2, 3, 4, 5, 7, 9}) {
        const int xs = q.cols_pad + 4;  // a stride wider than the row
        std::vector<std::int8_t> x(static_cast<std::size_t>(n) * xs, 0);
        std::vector<float> sx(static_cast<std::size_t>(n));
        for (int r = 0; r < n; ++r) {
          for (int i = 0; i < cols; ++i)
            x[static_cast<std::size_t>(r) * xs + i] = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
          sx[r] = 0.01f + 0.001f * static_cast<float>(r);
        }
        const int ys = rows + 3;
        std::vector<float> want(static_cast<std::size_t>(n) * ys, -1.0f);
        ref.matmul(q, n, x.data(), xs, sx.data(), want.data(), ys);
        for (KernelPath p : simd_paths()) {
          std::vector<float> got(want.size(), -1.0f);  // also checks nothing past each row is written
          kernels_for(p).matmul(q, n, x.data(), xs, sx.data(), got.data(), ys);
          expect_same_bits(want.data(), got.data(), static_cast<int>(want.size()), "matmul", p);
        }
      }
    }
  }
}

TEST(Int8Kernels, MatmulIsExactIntegerDotProduct) {
  // sx = sw = 1 would need amax = 127: build rows whose max is 127 so scale = 1 and q = w.
  const int rows = 20, cols = 37;
  SplitMix64 rng(2);
  std::vector<float> w(rows * cols);
  for (int o = 0; o < rows; ++o) {
    for (int i = 0; i < cols; ++i) w[o * cols + i] = static_cast<float>(static_cast<int>(rng.below(255)) - 127);
    w[o * cols + o % cols] = 127.0f;
  }
  const QMatrix q = quantize_matrix(w.data(), rows, cols, nullptr);
  std::vector<std::int8_t> x(q.cols_pad, 0);
  for (int i = 0; i < cols; ++i) x[i] = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
  const float sx = 1.0f;
  for (KernelPath p : {KernelPath::reference, KernelPath::avx2, KernelPath::avx512}) {
    if (!kernel_path_supported(p)) continue;
    std::vector<float> y(rows);
    kernels_for(p).matmul(q, 1, x.data(), q.cols_pad, &sx, y.data(), rows);
    for (int o = 0; o < rows; ++o) {
      std::int32_t dot = 0;
      for (int i = 0; i < cols; ++i) dot += static_cast<std::int32_t>(w[o * cols + i]) * x[i];
      EXPECT_EQ(y[o], static_cast<float>(dot)) << to_string(p) << " row " << o;
    }
  }
}

TEST(Int8Kernels, QuantizeMatchesReference) {
  SplitMix64 rng(3);
  for (int n : kSizes) {
    for (float scale : {1e-30f, 1e-3f, 1.0f, 127.0f, 3e4f}) {
      auto x = random_vector(rng, n, scale);
      if (n > 4) {
        x[1] = 0.0f;
        x[2] = -0.0f;
        x[3] = x[0] * 0.5f;  // values that land exactly on .5 steps
      }
      const int n_pad = n + 13;
      std::vector<std::int8_t> want(n_pad, 99);
      const float ws = reference_kernels().quantize(x.data(), n, n_pad, want.data());
      for (KernelPath p : simd_paths()) {
        std::vector<std::int8_t> got(n_pad, 99);
        const float gs = kernels_for(p).quantize(x.data(), n, n_pad, got.data());
        EXPECT_EQ(std::bit_cast<std::uint32_t>(ws), std::bit_cast<std::uint32_t>(gs)) << to_string(p) << " n " << n;
        EXPECT_EQ(want, got) << to_string(p) << " n " << n << " scale " << scale;
      }
    }
  }
  // All zeros: scale 0, q 0.
  std::vector<float> zeros(33, 0.0f);
  std::vector<std::int8_t> q(36, 5);
  for (KernelPath p : {KernelPath::reference, KernelPath::avx2, KernelPath::avx512}) {
    if (!kernel_path_supported(p)) continue;
    EXPECT_EQ(kernels_for(p).quantize(zeros.data(), 33, 36, q.data()), 0.0f);
    for (auto v : q) EXPECT_EQ(v, 0);
  }
}

TEST(Int8Kernels, QuantizeRoundsHalfToEven) {
  // amax = 127 gives scale 1: x / 1 = x, so x = 2.5 -> 2, 3.5 -> 4, -2.5 -> -2.
  std::vector<float> x = {127.0f, 2.5f, 3.5f, -2.5f, -3.5f, 0.5f, 1.5f, -126.5f};
  for (KernelPath p : {KernelPath::reference, KernelPath::avx2, KernelPath::avx512}) {
    if (!kernel_path_supported(p)) continue;
    std::vector<std::int8_t> q(8);
    EXPECT_EQ(kernels_for(p).quantize(x.data(), 8, 8, q.data()), 1.0f);
    EXPECT_EQ(q, (std::vector<std::int8_t>{127, 2, 4, -2, -4, 0, 2, -126})) << to_string(p);
  }
}

TEST(Int8Kernels, SumFollowsTheCanonicalOrder) {
  SplitMix64 rng(4);
  for (int n : kSizes) {
    // Mixed magnitudes make any other order give different bits.
    auto x = random_vector(rng, n, 1.0f);
    for (int i = 0; i < n; i += 3) x[i] *= 1e6f;
    const float want = canonical_sum(x.data(), n);
    EXPECT_EQ(std::bit_cast<std::uint32_t>(reference_kernels().sum(x.data(), n)), std::bit_cast<std::uint32_t>(want));
    for (KernelPath p : simd_paths()) {
      EXPECT_EQ(std::bit_cast<std::uint32_t>(kernels_for(p).sum(x.data(), n)), std::bit_cast<std::uint32_t>(want))
          << to_string(p) << " n " << n;
    }
  }
  EXPECT_EQ(reference_kernels().sum(nullptr, 0), 0.0f);
}

TEST(Int8Kernels, ExpMatchesReference) {
  SplitMix64 rng(5);
  for (int n : kSizes) {
    auto x = random_vector(rng, n, 100.0f);
    if (n > 8) {
      const float special[] = {0.0f, -0.0f, kExpMin, kExpMax, -1000.0f, 1000.0f, 1e-30f, -87.5f};
      std::memcpy(x.data(), special, sizeof(special));
    }
    std::vector<float> want(n);
    reference_kernels().exp(x.data(), n, want.data());
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(std::bit_cast<std::uint32_t>(want[i]), std::bit_cast<std::uint32_t>(exp_v1(x[i])));
    for (KernelPath p : simd_paths()) {
      std::vector<float> got(x);  // in place
      kernels_for(p).exp(got.data(), n, got.data());
      expect_same_bits(want.data(), got.data(), n, "exp", p);
    }
  }
}

TEST(Int8Kernels, SoftmaxLayernormGeluMatchReference) {
  SplitMix64 rng(6);
  const Kernels& ref = reference_kernels();
  for (int n : kSizes) {
    for (float scale : {0.1f, 10.0f, 300.0f}) {
      const auto x = random_vector(rng, n, scale);
      const auto w = random_vector(rng, n, 2.0f);
      const auto b = random_vector(rng, n, 1.0f);
      std::vector<float> sm(n), ln(n), ge(x);
      ref.softmax(x.data(), n, sm.data());
      ref.layernorm(x.data(), w.data(), b.data(), n, 1e-5f, ln.data());
      ref.gelu(ge.data(), n);
      for (KernelPath p : simd_paths()) {
        const Kernels& k = kernels_for(p);
        std::vector<float> got(x);
        k.softmax(got.data(), n, got.data());
        expect_same_bits(sm.data(), got.data(), n, "softmax", p);
        got = x;
        k.layernorm(got.data(), w.data(), b.data(), n, 1e-5f, got.data());
        expect_same_bits(ln.data(), got.data(), n, "layernorm", p);
        got = x;
        k.gelu(got.data(), n);
        expect_same_bits(ge.data(), got.data(), n, "gelu", p);
      }
    }
  }
}

// A random key cache and values, then one query per n_keys: all paths give the same bits.
void check_attention(int n_heads, int head_dim, int context, std::uint64_t seed) {
  SplitMix64 rng(seed);
  const int hdp = round_up(head_dim, 4), ctx_pad = round_up(context, 16), D = n_heads * head_dim;
  AlignedVector<std::int8_t> keys(static_cast<std::size_t>(n_heads) * ctx_pad * hdp, 0);
  AlignedVector<float> key_scale(static_cast<std::size_t>(n_heads) * ctx_pad, 0.0f);
  AlignedVector<std::int32_t> key_sum(key_scale.size(), 0);
  for (int h = 0; h < n_heads; ++h) {
    for (int t = 0; t < context; ++t) {
      std::int32_t s = 0;
      for (int j = 0; j < head_dim; ++j) {
        const auto v = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
        keys[key_index(ctx_pad, hdp, h, t, j)] = v;
        s += v;
      }
      key_scale[static_cast<std::size_t>(h) * ctx_pad + t] = 0.02f * (1.5f + rng.uniform());
      key_sum[static_cast<std::size_t>(h) * ctx_pad + t] = 128 * s;
    }
  }
  std::vector<std::int8_t> values(static_cast<std::size_t>(context) * D);
  for (auto& v : values) v = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
  AlignedVector<float> value_scale(key_scale.size(), 0.0f);
  for (auto& v : value_scale) v = 0.05f * (1.5f + rng.uniform());
  const int max_rows = 9;
  std::vector<std::int8_t> q(static_cast<std::size_t>(max_rows) * n_heads * hdp, 0);
  std::vector<float> q_coef(static_cast<std::size_t>(max_rows) * n_heads);
  for (int r = 0; r < max_rows; ++r) {
    for (int h = 0; h < n_heads; ++h) {
      for (int j = 0; j < head_dim; ++j) {
        q[(static_cast<std::size_t>(r) * n_heads + h) * hdp + j] =
            static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
      }
      q_coef[static_cast<std::size_t>(r) * n_heads + h] = 0.01f * (1.5f + rng.uniform());
    }
  }
  AttentionArgs a;
  a.n_heads = n_heads;
  a.head_dim = head_dim;
  a.head_dim_pad = hdp;
  a.ctx_pad = ctx_pad;
  a.q = q.data();
  a.q_coef = q_coef.data();
  a.keys = keys.data();
  a.key_scale = key_scale.data();
  a.key_sum128 = key_sum.data();
  a.values = values.data();
  a.value_scale = value_scale.data();
  const std::size_t scratch = static_cast<std::size_t>(kAttentionGroup) * n_heads * ctx_pad;
  for (int rows : {1, 2, 3, 4, 5, max_rows}) {
    for (int n_keys : {1, 2, 15, 16, 17, 33, context / 2 + 1, context}) {
      if (n_keys + rows - 1 > context) continue;
      a.n_keys = n_keys;
      a.rows = rows;
      std::vector<float> want_w(scratch), want(static_cast<std::size_t>(rows) * D);
      a.weights = want_w.data();
      a.out = want.data();
      reference_kernels().attention(a);
      for (KernelPath p : simd_paths()) {
        std::vector<float> got_w(scratch), got(want.size());
        a.weights = got_w.data();
        a.out = got.data();
        kernels_for(p).attention(a);
        expect_same_bits(want.data(), got.data(), static_cast<int>(want.size()), "attention out", p);
        if (rows > 1) continue;  // the weights are only specified for one query
        for (int h = 0; h < n_heads; ++h) {
          for (int t = 0; t < n_keys; ++t) {
            const std::size_t i = weight_index(n_heads, h, t);
            expect_same_bits(&want_w[i], &got_w[i], 1, "attention weights", p);
          }
        }
      }
    }
  }
}

TEST(Int8Kernels, AttentionMatchesReference) {
  check_attention(4, 16, 200, 7);  // the 200K preset's heads
  check_attention(8, 32, 100, 8);  // the 3.2M preset's heads
  check_attention(2, 16, 256, 9);  // the small test model
  check_attention(1, 64, 40, 10);
  check_attention(3, 8, 50, 11);  // lanes straddle heads (AVX-512 falls back to scalar)
  check_attention(3, 6, 35, 12);  // head_dim not a multiple of 4: padded key groups
  check_attention(5, 2, 21, 13);
  check_attention(16, 16, 20, 14);  // 256-wide model, 16 heads
  check_attention(20, 16, 40, 15);  // 16 + 4 heads
  check_attention(7, 32, 40, 16);   // 4 + 2 + 1 heads
  check_attention(3, 64, 40, 17);
  check_attention(2, 128, 40, 18);
  check_attention(2, 48, 40, 19);  // head_dim 48: scalar weighted sum
}

}  // namespace
}  // namespace lmzip::model::int8
