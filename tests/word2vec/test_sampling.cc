#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <vector>

#include "wembed/word2vec/sampling.h"

using namespace wembed;

namespace {
std::vector<double> powerProbs(const std::vector<int64_t>& counts, double power) {
  double z = 0;
  std::vector<double> p;
  for (int64_t c : counts) z += std::pow(static_cast<double>(c), power);
  for (int64_t c : counts) p.push_back(std::pow(static_cast<double>(c), power) / z);
  return p;
}
}  // namespace

TEST_CASE("rng: deterministic per seed, ranges") {
  Rng a(123), b(123), c(124);
  bool same = true, differ = false;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.next(), y = b.next(), z = c.next();
    same &= x == y;
    differ |= x != z;
  }
  CHECK(same);
  CHECK(differ);
  // reseed restarts the sequence.
  Rng r(7);
  const uint64_t first = r.next();
  r.next();
  r.reseed(7);
  CHECK(r.next() == first);
  // Seed 0 is fine (state never zero).
  Rng zero(0);
  std::set<uint64_t> seen;
  for (int i = 0; i < 100; ++i) seen.insert(zero.next());
  CHECK(seen.size() == 100);
  // below(n) in [0, n) and roughly uniform; uniform() in [0, 1) with mean 1/2.
  Rng u(9);
  std::vector<int> hist(10, 0);
  double sum = 0;
  const int N = 200000;
  bool in_range = true;
  for (int i = 0; i < N; ++i) {
    const uint32_t k = u.below(10);
    in_range &= k < 10;
    if (k < 10) ++hist[k];
    const float f = u.uniform();
    in_range &= f >= 0.f && f < 1.f;
    sum += f;
  }
  CHECK(in_range);
  for (int h : hist) CHECK(std::abs(h - N / 10) < N / 10 * 0.03);
  CHECK(sum / N == doctest::Approx(0.5).epsilon(0.01));
  CHECK(u.below(1) == 0);
}

TEST_CASE("negative table: probabilities are count^0.75 normalised") {
  const std::vector<int64_t> counts = {1000, 500, 100, 10, 1, 5000, 1, 37};
  NegativeTable t(counts);
  CHECK(t.size() == counts.size());
  const auto expect = powerProbs(counts, 0.75);
  double sum = 0;
  for (size_t w = 0; w < counts.size(); ++w) {
    const double p = t.probability(static_cast<int32_t>(w));
    sum += p;
    CAPTURE(w);
    CHECK(p == doctest::Approx(expect[w]).epsilon(1e-6));
  }
  CHECK(sum == doctest::Approx(1.0).epsilon(1e-9));
}

TEST_CASE("negative table: 2M draws follow count^0.75") {
  const std::vector<int64_t> counts = {1000, 500, 100, 10, 1, 5000, 2, 37, 250, 250};
  NegativeTable t(counts);
  const auto expect = powerProbs(counts, 0.75);
  Rng rng(2024);
  const int N = 2000000;
  std::vector<int64_t> hits(counts.size(), 0);
  bool in_range = true;
  for (int i = 0; i < N; ++i) {
    const int32_t w = t.sample(rng);
    in_range &= w >= 0 && w < static_cast<int32_t>(counts.size());
    if (in_range) ++hits[w];
  }
  REQUIRE(in_range);
  for (size_t w = 0; w < counts.size(); ++w) {
    CAPTURE(w);
    const double f = static_cast<double>(hits[w]) / N;
    if (expect[w] >= 0.01) {
      CHECK(std::abs(f - expect[w]) / expect[w] < 0.02);
    } else {
      // Rare words: within 5 standard deviations.
      CHECK(std::abs(f - expect[w]) < 5 * std::sqrt(expect[w] / N) + 1e-6);
    }
  }
}

TEST_CASE("negative table: other powers and a large Zipf vocabulary") {
  {
    const std::vector<int64_t> counts = {9, 1, 90};
    NegativeTable uniform(counts, 0.0);
    for (int32_t w = 0; w < 3; ++w) CHECK(uniform.probability(w) == doctest::Approx(1.0 / 3).epsilon(1e-6));
    NegativeTable linear(counts, 1.0);
    CHECK(linear.probability(0) == doctest::Approx(0.09).epsilon(1e-6));
    CHECK(linear.probability(1) == doctest::Approx(0.01).epsilon(1e-6));
    CHECK(linear.probability(2) == doctest::Approx(0.90).epsilon(1e-6));
  }
  {
    std::vector<int64_t> counts;
    for (int i = 0; i < 3000; ++i) counts.push_back(1 + 1000000 / (i + 1));
    NegativeTable t(counts);
    const auto expect = powerProbs(counts, 0.75);
    double sum = 0, max_rel = 0;
    for (int32_t w = 0; w < 3000; w += 1) {
      const double p = t.probability(w);
      sum += p;
      if (w % 7 == 0) max_rel = std::max(max_rel, std::abs(p - expect[w]) / expect[w]);
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
    CHECK(max_rel < 1e-5);
  }
  {
    NegativeTable one(std::vector<int64_t>{5});
    Rng rng(1);
    for (int i = 0; i < 100; ++i) CHECK(one.sample(rng) == 0);
    CHECK(one.probability(0) == doctest::Approx(1.0));
  }
}

TEST_CASE("subsampler: keepProbability is word2vec's formula") {
  auto ref = [](double c, double N, double t) {
    const double p = (std::sqrt(c / (t * N)) + 1) * (t * N) / c;
    return p < 1 ? p : 1.0;
  };
  // Known answer: c = 1000, N = 1e6, t = 1e-4: tN = 100, (sqrt(10)+1)*0.1 = 0.41622776601683794.
  CHECK(Subsampler::keepProbability(1000, 1000000, 1e-4) == doctest::Approx(0.41622776601683794).epsilon(1e-12));
  for (int64_t c : {1, 10, 100, 1000, 10000, 100000, 500000}) {
    for (double t : {1e-5, 1e-4, 1e-3, 1e-2}) {
      CAPTURE(c);
      CAPTURE(t);
      const double p = Subsampler::keepProbability(c, 1000000, t);
      CHECK(p == doctest::Approx(ref(c, 1e6, t)).epsilon(1e-12));
      CHECK(p <= 1.0);
      CHECK(p > 0.0);
    }
  }
  // Rare words are always kept; sample 0 keeps everything.
  CHECK(Subsampler::keepProbability(1, 1000000, 1e-3) == 1.0);
  CHECK(Subsampler::keepProbability(999999, 1000000, 0) == 1.0);
  CHECK(Subsampler::keepProbability(999999, 1000000, -1) == 1.0);
  // Frequent words: monotone decreasing in the count.
  CHECK(Subsampler::keepProbability(100000, 1000000, 1e-4) < Subsampler::keepProbability(10000, 1000000, 1e-4));
}

TEST_CASE("subsampler: thresholds and empirical keep rate") {
  const std::vector<int64_t> counts = {500000, 200000, 100000, 50000, 1000, 10};
  int64_t total = 0;
  for (auto c : counts) total += c;
  const double t = 1e-3;
  Subsampler s(counts, t);
  Rng rng(77);
  const int N = 400000;
  double expected_kept = 0;
  for (size_t w = 0; w < counts.size(); ++w) {
    CAPTURE(w);
    const double p = Subsampler::keepProbability(counts[w], total, t);
    expected_kept += counts[w] * p;
    CHECK(s.probability(static_cast<int32_t>(w)) == doctest::Approx(p).epsilon(1e-8));
    int kept = 0;
    for (int i = 0; i < N; ++i) kept += s.keep(static_cast<int32_t>(w), rng);
    const double rate = static_cast<double>(kept) / N;
    if (p >= 1.0) CHECK(kept == N);
    else CHECK(std::abs(rate - p) < 5 * std::sqrt(p * (1 - p) / N));
  }
  CHECK(s.expectedKept(counts) == doctest::Approx(expected_kept).epsilon(1e-6));
  // sample = 0 keeps every word.
  Subsampler all(counts, 0.0);
  bool every = true;
  for (size_t w = 0; w < counts.size(); ++w)
    for (int i = 0; i < 10000; ++i) every &= all.keep(static_cast<int32_t>(w), rng);
  CHECK(every);
  CHECK(all.expectedKept(counts) == doctest::Approx(static_cast<double>(total)));
}
