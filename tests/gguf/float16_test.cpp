// fp16 / bf16 conversions against a plain reference in double, over all 65536 bit patterns.
#include "lmzip/gguf/float16.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

namespace lmzip::gguf {
namespace {

// The value of a pattern straight from the IEEE definition, in double.
double half_ref(std::uint16_t h) {
  const int e = (h >> 10) & 31, m = h & 1023;
  double v;
  if (e == 31) {
    v = m ? NAN : INFINITY;
  } else if (e == 0) {
    v = std::ldexp(m, -24);                  // 0.m * 2^-14
  } else {
    v = std::ldexp(1024 + m, e - 25);        // 1.m * 2^(e-15)
  }
  return (h & 0x8000) ? -v : v;
}

double bf16_ref(std::uint16_t b) {
  const int e = (b >> 7) & 255, m = b & 127;
  double v;
  if (e == 255) {
    v = m ? NAN : INFINITY;
  } else if (e == 0) {
    v = std::ldexp(m, -133);                 // 0.m * 2^-126
  } else {
    v = std::ldexp(128 + m, e - 134);        // 1.m * 2^(e-127)
  }
  return (b & 0x8000) ? -v : v;
}

// Rounds |x| to the nearest of the positive patterns 0..inf_pattern (whose values increase with the
// pattern; the infinity pattern stands for the next power of two, as IEEE rounding treats it),
// ties to the even pattern. A plain binary search, nothing shared with the code under test.
std::uint16_t round_ref(double x, std::uint16_t inf_pattern, double inf_as, const std::function<double(std::uint16_t)>& value) {
  const double a = std::fabs(x);
  const std::uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  if (std::isnan(x)) return 0xFFFF;  // any NaN; callers check isnan
  const auto val = [&](std::uint32_t p) { return p == inf_pattern ? inf_as : value(static_cast<std::uint16_t>(p)); };
  if (a >= inf_as) return sign | inf_pattern;
  std::uint32_t lo = 0, hi = inf_pattern;  // val(lo) <= a < val(hi)
  while (hi - lo > 1) {
    const std::uint32_t mid = (lo + hi) / 2;
    (val(mid) <= a ? lo : hi) = mid;
  }
  const double dl = a - val(lo), dh = val(hi) - a;
  const std::uint32_t p = dl < dh ? lo : dh < dl ? hi : (lo % 2 == 0 ? lo : hi);
  return static_cast<std::uint16_t>(sign | p);
}

std::uint16_t half_round_ref(double x) { return round_ref(x, 0x7C00, 65536.0, half_ref); }
std::uint16_t bf16_round_ref(double x) { return round_ref(x, 0x7F80, std::ldexp(1.0, 128), bf16_ref); }

bool is_half_nan(std::uint16_t h) { return (h & 0x7C00) == 0x7C00 && (h & 0x3FF); }
bool is_bf16_nan(std::uint16_t b) { return (b & 0x7F80) == 0x7F80 && (b & 0x7F); }

TEST(GgufFloat16, HalfToFloatAllPatterns) {
  for (std::uint32_t p = 0; p < 65536; ++p) {
    const auto h = static_cast<std::uint16_t>(p);
    const float f = half_to_float(h);
    const double ref = half_ref(h);
    if (std::isnan(ref)) {
      ASSERT_TRUE(std::isnan(f)) << p;
      EXPECT_EQ(std::signbit(f), (h & 0x8000) != 0) << p;
      EXPECT_TRUE(is_half_nan(float_to_half(f))) << p;
    } else {
      ASSERT_EQ(static_cast<double>(f), ref) << p;
      ASSERT_EQ(std::signbit(f), (h & 0x8000) != 0) << p;
      ASSERT_EQ(float_to_half(f), h) << p;  // exact values come back unchanged
    }
  }
}

TEST(GgufFloat16, Bf16ToFloatAllPatterns) {
  for (std::uint32_t p = 0; p < 65536; ++p) {
    const auto b = static_cast<std::uint16_t>(p);
    const float f = bf16_to_float(b);
    const double ref = bf16_ref(b);
    if (std::isnan(ref)) {
      ASSERT_TRUE(std::isnan(f)) << p;
      EXPECT_TRUE(is_bf16_nan(float_to_bf16(f))) << p;
    } else {
      ASSERT_EQ(static_cast<double>(f), ref) << p;
      ASSERT_EQ(std::signbit(f), (b & 0x8000) != 0) << p;
      ASSERT_EQ(float_to_bf16(f), b) << p;
    }
  }
}

// Every rounding boundary: the midpoint between each pair of adjacent finite patterns (and between
// the largest finite and infinity) rounds to the even one, and the floats just below and just above
// it round down and up.
void check_boundaries(std::uint16_t inf_pattern, double inf_as, const std::function<double(std::uint16_t)>& value,
                      const std::function<std::uint16_t(float)>& convert) {
  for (std::uint32_t p = 0; p < inf_pattern; ++p) {
    const double lo = value(static_cast<std::uint16_t>(p));
    const double hi = p + 1 == inf_pattern ? inf_as : value(static_cast<std::uint16_t>(p + 1));
    const double mid = (lo + hi) / 2;
    const auto fm = static_cast<float>(mid);
    ASSERT_EQ(static_cast<double>(fm), mid) << p;  // midpoints are floats
    const auto even = static_cast<std::uint16_t>(p % 2 == 0 ? p : p + 1);
    for (const float sign : {1.0f, -1.0f}) {
      const std::uint16_t s = sign < 0 ? 0x8000 : 0;
      ASSERT_EQ(convert(sign * fm), s | even) << p;
      ASSERT_EQ(convert(sign * std::nextafter(fm, 0.0f)), s | p) << p;
      ASSERT_EQ(convert(sign * std::nextafter(fm, INFINITY)), s | (p + 1)) << p;
    }
  }
}

TEST(GgufFloat16, FloatToHalfRoundingBoundaries) {
  check_boundaries(0x7C00, 65536.0, half_ref, float_to_half);
}

TEST(GgufFloat16, FloatToBf16RoundingBoundaries) {
  check_boundaries(0x7F80, std::ldexp(1.0, 128), bf16_ref, float_to_bf16);
}

TEST(GgufFloat16, RandomFloatsMatchReference) {
  std::mt19937 rng(12345);
  for (int i = 0; i < 400000; ++i) {
    std::uint32_t bits = rng();
    if (i % 2 == 0) bits = (bits & 0x807FFFFFu) | ((95u + rng() % 50u) << 23);  // near fp16's range
    const float f = std::bit_cast<float>(bits);
    if (std::isnan(f)) {
      EXPECT_TRUE(is_half_nan(float_to_half(f)));
      EXPECT_TRUE(is_bf16_nan(float_to_bf16(f)));
      continue;
    }
    ASSERT_EQ(float_to_half(f), half_round_ref(f)) << std::hex << bits;
    ASSERT_EQ(float_to_bf16(f), bf16_round_ref(f)) << std::hex << bits;
  }
}

TEST(GgufFloat16, SpecialValues) {
  EXPECT_EQ(float_to_half(65504.0f), 0x7BFF);
  EXPECT_EQ(float_to_half(65519.996f), 0x7BFF);
  EXPECT_EQ(float_to_half(65520.0f), 0x7C00);
  EXPECT_EQ(float_to_half(-1e30f), 0xFC00);
  EXPECT_EQ(float_to_half(INFINITY), 0x7C00);
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -25)), 0x0000);                        // tie -> even (zero)
  EXPECT_EQ(float_to_half(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -24) * 1.5f), 0x0002);                  // tie -> even
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(float_to_half(1.0f), 0x3C00);
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::denorm_min()), 0x0000);
  EXPECT_EQ(float_to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(float_to_bf16(std::numeric_limits<float>::max()), 0x7F80);
  EXPECT_EQ(float_to_bf16(std::bit_cast<float>(0x3F808000u)), 0x3F80);  // tie -> even
  EXPECT_EQ(float_to_bf16(std::bit_cast<float>(0x3F818000u)), 0x3F82);  // tie -> even (up)
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isnan(half_to_float(0x7E00)));
  EXPECT_TRUE(std::isnan(bf16_to_float(0x7FC1)));
}

}  // namespace
}  // namespace lmzip::gguf
