#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "wembed/core/matrix.h"
#include "wembed/core/kernels.h"

using namespace wembed;

namespace {
void fillRandom(float* p, int n, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-2.f, 2.f);
  for (int i = 0; i < n; ++i) p[i] = u(rng);
}
}  // namespace

TEST_CASE("model: dot and axpy match naive loops") {
  std::mt19937 rng(1);
  INFO("simd: " << simdName());
  for (int n : {16, 32, 48, 64, 112, 128, 304}) {
    CAPTURE(n);
    AlignedBuffer a(n + 16), b(n + 16), y(n + 16);
    REQUIRE(reinterpret_cast<uintptr_t>(a.data()) % 64 == 0);
    fillRandom(a.data(), n, rng);
    fillRandom(b.data(), n, rng);
    fillRandom(y.data(), n, rng);
    // Values past n must not be read by dot (poison them) nor written by axpy.
    for (int i = n; i < n + 16; ++i) a.data()[i] = b.data()[i] = 1e30f, y.data()[i] = 7.f;
    double ref = 0, abs_sum = 0;
    for (int i = 0; i < n; ++i) {
      ref += static_cast<double>(a.data()[i]) * b.data()[i];
      abs_sum += std::abs(static_cast<double>(a.data()[i]) * b.data()[i]);
    }
    const float d = dot(a.data(), b.data(), n);
    CHECK(std::abs(d - ref) <= 1e-6 * abs_sum + 1e-6);

    const float alpha = -0.37f;
    std::vector<double> expect(n);
    for (int i = 0; i < n; ++i) expect[i] = y.data()[i] + static_cast<double>(alpha) * a.data()[i];
    axpy(alpha, a.data(), y.data(), n);
    bool close = true;
    for (int i = 0; i < n; ++i) close &= std::abs(y.data()[i] - expect[i]) <= 1e-6 * (std::abs(expect[i]) + 1);
    CHECK(close);
    for (int i = n; i < n + 16; ++i) CHECK(y.data()[i] == 7.f);
  }
}

TEST_CASE("model: zeroVec and scaleVec") {
  AlignedBuffer y(48);
  for (int i = 0; i < 48; ++i) y.data()[i] = static_cast<float>(i);
  scaleVec(0.5f, y.data(), 32);
  for (int i = 0; i < 32; ++i) CHECK(y.data()[i] == static_cast<float>(i) * 0.5f);
  CHECK(y.data()[40] == 40.f);
  zeroVec(y.data(), 32);
  for (int i = 0; i < 32; ++i) CHECK(y.data()[i] == 0.f);
  CHECK(y.data()[32] == 32.f);
}

TEST_CASE("model: sigmoid and log-sigmoid tables are accurate over (-6, 6)") {
  const SigmoidTable& t = sigmoidTable();
  double max_sig = 0, max_log = 0;
  bool monotone = true;
  float prev = 0;
  const int N = 200000;
  for (int i = 1; i < N; ++i) {
    const float x = -SigmoidTable::kMaxExp + 2 * SigmoidTable::kMaxExp * i / N;
    if (!(x > -SigmoidTable::kMaxExp && x < SigmoidTable::kMaxExp)) continue;
    const int idx = SigmoidTable::index(x);
    REQUIRE(idx >= 0);
    REQUIRE(idx <= SigmoidTable::kSize);
    const double s = 1.0 / (1.0 + std::exp(-static_cast<double>(x)));
    max_sig = std::max(max_sig, std::abs(t.sigmoid(x) - s));
    max_log = std::max(max_log, std::abs(t.logSigmoid(x) - std::log(s)));
    monotone &= t.sigmoid(x) >= prev;
    prev = t.sigmoid(x);
  }
  INFO("max sigmoid error " << max_sig << ", max log-sigmoid error " << max_log);
  CHECK(max_sig < 0.01);
  CHECK(max_log < 0.01);
  // The table is centred per bucket, so it is much better than the bound.
  CHECK(max_sig < 0.002);
  CHECK(monotone);
  CHECK(t.sigmoid(0.f) == doctest::Approx(0.5).epsilon(0.002));
  CHECK(t.sigmoid(5.99f) > 0.997f);
  CHECK(t.sigmoid(-5.99f) < 0.003f);
  CHECK(t.logSigmoid(0.f) == doctest::Approx(std::log(0.5)).epsilon(0.01));
  // Same instance every time.
  CHECK(&sigmoidTable() == &t);
}

TEST_CASE("model: the sigmoid table clamps NaN and out-of-range arguments into the table") {
  for (float x : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity(), 1e30f, -1e30f, 6.f, -6.f}) {
    const int i = SigmoidTable::index(x);
    CHECK(i >= 0);
    CHECK(i <= SigmoidTable::kSize);
  }
}
