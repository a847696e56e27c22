// build_rope_table() and its libm-free double-precision log, exp, sin and cos (rope_table.h).
#include "lmzip/model/int8/rope_table.h"

#include <cmath>
#include <cstddef>

namespace lmzip::model::int8 {

namespace {

constexpr double kLn2 = 0.69314718055994530942;
// ln 2 and pi/2 split so that k * hi is exact for the k used here (hi has 32-33 significant bits).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kPio2Hi = 1.57079632673412561417e+00;
constexpr double kPio2Lo = 6.07710050650619224932e-11;
constexpr double kTwoOverPi = 0.63661977236758134308;
constexpr double kSqrtHalf = 0.70710678118654752440;

}  // namespace

double rope_log(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1): exact
  if (m < kSqrtHalf) {
    m = m * 2.0;  // exact
    e = e - 1;
  }
  // ln m = 2 atanh(z), z = (m - 1) / (m + 1), |z| <= 0.172: 2 (z + z^3/3 + z^5/5 + ...).
  const double z = (m - 1.0) / (m + 1.0);
  const double z2 = z * z;
  double series = 0.0;
  for (int k = 41; k >= 1; k -= 2) series = series * z2 + 1.0 / static_cast<double>(k);
  return 2.0 * z * series + static_cast<double>(e) * kLn2;
}

double rope_exp(double x) {
  const double k = std::floor(x / kLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;  // |r| <= 0.35
  double p = 0.0;
  for (int n = 20; n >= 1; --n) p = (p * r) / static_cast<double>(n) + 1.0;  // Horner of sum r^n/n!
  return std::ldexp(p, static_cast<int>(k));
}

void rope_sincos(double x, double* s, double* c) {
  const double n = std::floor(x * kTwoOverPi + 0.5);
  const double r = (x - n * kPio2Hi) - n * kPio2Lo;  // |r| <= pi/4 (a little more from rounding)
  const double r2 = r * r;
  double sn = 0.0, cs = 0.0;
  for (int k = 12; k >= 1; --k) {  // sin r = r (1 - r^2/(2*3) (1 - r^2/(4*5) (...)))
    sn = 1.0 - sn * r2 / static_cast<double>((2 * k) * (2 * k + 1));
    cs = 1.0 - cs * r2 / static_cast<double>((2 * k - 1) * (2 * k));
  }
  sn = sn * r;
  const long quadrant = static_cast<long>(n) & 3;
  switch (quadrant) {
    case 0:
      *s = sn;
      *c = cs;
      break;
    case 1:
      *s = cs;
      *c = -sn;
      break;
    case 2:
      *s = -sn;
      *c = -cs;
      break;
    default:
      *s = -cs;
      *c = sn;
      break;
  }
}

RopeTable build_rope_table(int positions, int head_dim, float theta) {
  RopeTable t;
  t.positions = positions;
  t.half = head_dim / 2;
  t.cos.resize(static_cast<std::size_t>(positions) * t.half);
  t.sin.resize(t.cos.size());
  const double log_theta = rope_log(static_cast<double>(theta));
  std::vector<double> freq(t.half);
  for (int j = 0; j < t.half; ++j) {
    freq[j] = rope_exp(-((2.0 * j) / static_cast<double>(head_dim)) * log_theta);
  }
  for (int p = 0; p < positions; ++p) {
    for (int j = 0; j < t.half; ++j) {
      double s = 0.0, c = 0.0;
      rope_sincos(static_cast<double>(p) * freq[j], &s, &c);
      const std::size_t i = static_cast<std::size_t>(p) * t.half + j;
      t.cos[i] = static_cast<float>(c);
      t.sin[i] = static_cast<float>(s);
    }
  }
  return t;
}

}  // namespace lmzip::model::int8
