#include "pvalues.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wembed::py {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified
// Lentz); converges fast for x < (a + 1) / (a + b + 2).
double betaFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEps = 1e-16;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

}  // namespace

double incompleteBeta(double a, double b, double x) {
  if (std::isnan(x)) return kNaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                                b * std::log1p(-x));
  // The fraction for the smaller tail, so a tiny p-value keeps its digits.
  if (x < (a + 1) / (a + b + 2)) return front * betaFraction(a, b, x) / a;
  return 1 - front * betaFraction(b, a, 1 - x) / b;
}

double pearsonPValue(double r, long n) {
  if (std::isnan(r) || n < 2) return kNaN;
  if (n == 2) return 1.0;  // scipy: two points always correlate perfectly
  const double ab = n / 2.0 - 1;
  return std::min(1.0, 2 * incompleteBeta(ab, ab, (1 - std::fabs(r)) / 2));
}

double spearmanPValue(double r, long n) {
  if (std::isnan(r) || n < 3) return kNaN;
  const double dof = static_cast<double>(n - 2);
  const double denom = (1 + r) * (1 - r);
  if (denom <= 0) return 0.0;  // |r| = 1: t is infinite
  const double t2 = r * r * dof / denom;
  return incompleteBeta(dof / 2, 0.5, dof / (dof + t2));
}

}  // namespace wembed::py
