#include <doctest/doctest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "wembed/core/error.h"
#include "wembed/core/matrix.h"
#include "wembed/plot/projection.h"
#include "wembed/word2vec/sampling.h"

using namespace wembed;

namespace {

Matrix fromRows(const std::vector<std::vector<double>>& rows) {
  Matrix m(static_cast<int64_t>(rows.size()), static_cast<int>(rows.front().size()));
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows[i].size(); ++j) m.row(static_cast<int64_t>(i))[j] = static_cast<float>(rows[i][j]);
  return m;
}

double dist(const Point2& a, const Point2& b) { return std::hypot(a.x - b.x, a.y - b.y); }

double dist(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t k = 0; k < a.size(); ++k) s += (a[k] - b[k]) * (a[k] - b[k]);
  return std::sqrt(s);
}

// Two tight, far-apart Gaussian blobs in d dimensions: rows [0, k) and [k, 2k).
Matrix twoBlobs(int k, int d, uint64_t seed) {
  Rng rng(seed);
  Matrix m(2 * k, d);
  for (int i = 0; i < 2 * k; ++i)
    for (int j = 0; j < d; ++j) {
      const float centre = (i < k) == (j % 2 == 0) ? 5.f : -5.f;
      m.row(i)[j] = centre + (rng.uniform() - 0.5f);
    }
  return m;
}

double entropy(const double* p, int64_t n) {
  double h = 0;
  for (int64_t j = 0; j < n; ++j)
    if (p[j] > 0) h -= p[j] * std::log(p[j]);
  return h;
}

}  // namespace

TEST_CASE("projection: metric names") {
  CHECK((parseMapMetric("cosine") == MapMetric::kCosine));
  CHECK((parseMapMetric("euclidean") == MapMetric::kEuclidean));
  CHECK_THROWS_AS(parseMapMetric("manhattan"), Error);
  CHECK(toString(MapMetric::kCosine) == "cosine");
}

TEST_CASE("projection: PCA of points on a line recovers the line") {
  // x = c + t u in 5-d, u of length 3: PC1 is (t - mean t) * 3, PC2 is 0.
  const std::vector<double> c{1, -2, 0.5, 4, 3}, u{1, 2, 0, -2, 0};
  const std::vector<double> t{-2, -1, 0, 0.5, 3, 4.5};
  std::vector<std::vector<double>> rows;
  for (double ti : t) {
    std::vector<double> r(5);
    for (int j = 0; j < 5; ++j) r[j] = c[j] + ti * u[j];
    rows.push_back(r);
  }
  const PcaResult r = pca(fromRows(rows), MapMetric::kEuclidean);
  REQUIRE(r.points.size() == t.size());
  double mean = 0;
  for (double ti : t) mean += ti / t.size();
  // The sign: the largest loading (u's -2 or 2 component... |2| ties) is positive; compare up to sign.
  const double sign = r.points[0].x * (t[0] - mean) > 0 ? 1 : -1;
  for (size_t i = 0; i < t.size(); ++i) {
    CHECK(r.points[i].x == doctest::Approx(sign * 3 * (t[i] - mean)).epsilon(1e-5));
    CHECK(std::abs(r.points[i].y) < 1e-4);
  }
  CHECK(r.explained[0] == doctest::Approx(1).epsilon(1e-6));
  CHECK(r.explained[1] < 1e-6);
}

TEST_CASE("projection: PCA of points on a plane keeps their distances") {
  // x = c + a u + b v with u, v orthonormal in 6-d and var(a) > var(b): the
  // map is the plane itself (up to sign), so every distance is kept.
  const double s = 1 / std::sqrt(2.0);
  const std::vector<double> c{3, 1, -1, 2, 0, 5}, u{s, s, 0, 0, 0, 0}, v{0, 0, 0.6, 0.8, 0, 0};
  // A full grid, so a and b are uncorrelated and the principal axes are theirs.
  std::vector<std::pair<double, double>> ab;
  for (double a : {-3, -1, 1, 3, 5})
    for (double b : {-1.0, 0.0, 1.5}) ab.emplace_back(a, b);
  std::vector<std::vector<double>> rows;
  for (auto [a, b] : ab) {
    std::vector<double> r(6);
    for (int j = 0; j < 6; ++j) r[j] = c[j] + a * u[j] + b * v[j];
    rows.push_back(r);
  }
  const PcaResult r = pca(fromRows(rows), MapMetric::kEuclidean);
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows.size(); ++j) CHECK(dist(r.points[i], r.points[j]) == doctest::Approx(dist(rows[i], rows[j])).epsilon(1e-4));
  // PC1 is the a axis (the larger spread), PC2 the b axis.
  double ma = 0, mb = 0;
  for (auto [a, b] : ab) {
    ma += a / ab.size();
    mb += b / ab.size();
  }
  for (size_t i = 0; i < ab.size(); ++i) {
    CHECK(std::abs(r.points[i].x) == doctest::Approx(std::abs(ab[i].first - ma)).epsilon(1e-4));
    CHECK(std::abs(r.points[i].y) == doctest::Approx(std::abs(ab[i].second - mb)).epsilon(1e-4));
  }
  CHECK(r.explained[0] + r.explained[1] == doctest::Approx(1).epsilon(1e-6));
  CHECK(r.explained[0] > r.explained[1]);
  // The axis signs do not depend on the order of the rows.
  std::vector<std::vector<double>> rev(rows.rbegin(), rows.rend());
  const PcaResult r2 = pca(fromRows(rev), MapMetric::kEuclidean);
  for (size_t i = 0; i < rows.size(); ++i) {
    CHECK(r2.points[rows.size() - 1 - i].x == doctest::Approx(r.points[i].x).epsilon(1e-5));
    CHECK(r2.points[rows.size() - 1 - i].y == doctest::Approx(r.points[i].y).epsilon(1e-5));
  }
}

TEST_CASE("projection: the cosine metric ignores length") {
  const Matrix m = fromRows({{2, 0, 1}, {6, 0, 3}, {0.2, 0, 0.1}, {0, 1, 0}, {0, 5, 0}, {1, 1, 1}});
  const PcaResult r = pca(m, MapMetric::kCosine);
  CHECK(dist(r.points[0], r.points[1]) < 1e-5);
  CHECK(dist(r.points[0], r.points[2]) < 1e-5);
  CHECK(dist(r.points[3], r.points[4]) < 1e-5);
  CHECK(dist(r.points[0], r.points[3]) > 0.5);
  const PcaResult e = pca(m, MapMetric::kEuclidean);
  CHECK(dist(e.points[0], e.points[1]) > 1);
  // Squared distances under the cosine metric are 2 (1 - cos).
  const auto d = squaredDistances(m, MapMetric::kCosine);
  CHECK(d[0 * 6 + 1] == doctest::Approx(0).epsilon(1e-6));
  CHECK(d[0 * 6 + 3] == doctest::Approx(2).epsilon(1e-6));
  CHECK(d[3 * 6 + 5] == doctest::Approx(2 * (1 - 1 / std::sqrt(3.0))).epsilon(1e-6));
  CHECK(d[5 * 6 + 5] == 0);
}

TEST_CASE("projection: PCA of one point and of one dimension") {
  const PcaResult one = pca(fromRows({{1, 2, 3}}));
  REQUIRE(one.points.size() == 1);
  CHECK(one.points[0].x == 0);
  const PcaResult line = pca(fromRows({{1}, {3}, {4}}), MapMetric::kEuclidean);
  CHECK(line.points[2].x - line.points[0].x == doctest::Approx(3));
  CHECK(line.points[0].y == 0);
  CHECK_THROWS_AS(pca(Matrix(0, 3)), Error);
}

TEST_CASE("projection: perplexity calibration") {
  Rng rng(7);
  const int64_t n = 40;
  Matrix m(n, 8);
  for (int64_t i = 0; i < n; ++i)
    for (int j = 0; j < 8; ++j) m.row(i)[j] = rng.uniform() * (j + 1);
  const auto d = squaredDistances(m, MapMetric::kEuclidean);
  for (double perp : {2.0, 5.0, 12.0}) {
    const auto p = conditionalAffinities(d, n, perp);
    for (int64_t i = 0; i < n; ++i) {
      double sum = 0;
      for (int64_t j = 0; j < n; ++j) sum += p[i * n + j];
      CHECK(sum == doctest::Approx(1).epsilon(1e-9));
      CHECK(p[i * n + i] == 0);
      CHECK(entropy(p.data() + i * n, n) == doctest::Approx(std::log(perp)).epsilon(1e-4));
      // Nearer points get more.
      int64_t near = -1, far = -1;
      for (int64_t j = 0; j < n; ++j) {
        if (j == i) continue;
        if (near < 0 || d[i * n + j] < d[i * n + near]) near = j;
        if (far < 0 || d[i * n + j] > d[i * n + far]) far = j;
      }
      CHECK(p[i * n + near] > p[i * n + far]);
    }
  }
}

TEST_CASE("projection: t-SNE separates two clusters and lowers KL") {
  const int k = 25;
  const Matrix m = twoBlobs(k, 10, 3);
  TsneArgs o;
  o.perplexity = 8;
  o.iterations = 600;
  o.report_every = 25;
  std::vector<std::pair<int, double>> seen;
  o.progress = [&](int it, double kl) { seen.emplace_back(it, kl); };
  const TsneResult r = tsne(m, o);
  REQUIRE(r.points.size() == 2 * k);
  CHECK(r.perplexity == 8);
  CHECK(seen == r.kl);
  REQUIRE(r.kl.size() >= 3);
  CHECK(r.kl.front().first == 0);
  CHECK(r.kl.back().first == 600);
  // Every point's 5 nearest neighbours on the map are from its own cluster,
  // and the gap between the clusters is wider than either cluster.
  for (int i = 0; i < 2 * k; ++i) {
    std::vector<std::pair<double, int>> nb;
    for (int j = 0; j < 2 * k; ++j)
      if (j != i) nb.emplace_back(dist(r.points[i], r.points[j]), j);
    std::sort(nb.begin(), nb.end());
    for (int t = 0; t < 5; ++t) CHECK((nb[t].second < k) == (i < k));
  }
  Point2 c[2];
  for (int i = 0; i < 2 * k; ++i) {
    c[i >= k].x += r.points[i].x / k;
    c[i >= k].y += r.points[i].y / k;
  }
  double radius = 0;
  for (int i = 0; i < 2 * k; ++i) radius = std::max(radius, dist(r.points[i], c[i >= k]));
  CHECK(dist(c[0], c[1]) > 2 * radius);
  // KL ends far below where it starts, and falls steadily once the early
  // exaggeration is over (the steps from 300 on).
  CHECK(r.kl.back().second < 0.5 * r.kl.front().second);
  for (size_t t = 1; t < r.kl.size(); ++t)
    if (r.kl[t - 1].first >= 300) CHECK(r.kl[t].second <= r.kl[t - 1].second + 1e-9);
  // The final KL is the KL of the returned map.
  std::vector<double> p(static_cast<size_t>(4 * k * k));
  {
    const auto d = squaredDistances(m, MapMetric::kCosine);
    const auto pc = conditionalAffinities(d, 2 * k, 8);
    for (int i = 0; i < 2 * k; ++i)
      for (int j = 0; j < 2 * k; ++j)
        p[i * 2 * k + j] = i == j ? 0 : std::max((pc[i * 2 * k + j] + pc[j * 2 * k + i]) / (4.0 * k), 1e-12);
  }
  CHECK(tsneKl(p, r.points) == doctest::Approx(r.kl.back().second).epsilon(1e-5));
}

TEST_CASE("projection: t-SNE is deterministic for a seed, whatever the thread count") {
  const Matrix m = twoBlobs(150, 6, 9);  // 300 points: the parallel loops run
  TsneArgs o;
  o.iterations = 40;
  o.report_every = 0;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const TsneResult a = tsne(m, o);
  omp_set_num_threads(2);
  const TsneResult b = tsne(m, o);
  omp_set_num_threads(saved);
  REQUIRE(a.points.size() == b.points.size());
  bool same = true;
  for (size_t i = 0; i < a.points.size(); ++i) same &= a.points[i].x == b.points[i].x && a.points[i].y == b.points[i].y;
  CHECK(same);
  CHECK(a.kl.size() == 1);  // only the final one
  o.seed = 2;
  const TsneResult c = tsne(m, o);
  bool differs = false;
  for (size_t i = 0; i < a.points.size(); ++i) differs |= a.points[i].x != c.points[i].x;
  CHECK(differs);
}

TEST_CASE("projection: t-SNE on few points and bad options") {
  TsneArgs o;
  o.iterations = 50;
  const Matrix four = fromRows({{1, 0}, {0, 1}, {-1, 0}, {0, -1}});
  const TsneResult r = tsne(four, o);
  CHECK(r.perplexity == 1);  // (n - 1) / 3 = 1
  for (const auto& p : r.points) CHECK(std::isfinite(p.x));
  const Matrix two = fromRows({{1, 0}, {0, 1}});
  CHECK(tsne(two, o).points.size() == 2);
  CHECK_THROWS_AS(tsne(fromRows({{1, 0}}), o), Error);
  Matrix many(kTsneMaxPoints + 1, 1);
  CHECK_THROWS_WITH_AS(tsne(many, o), doctest::Contains("at most"), Error);
  TsneArgs bad = o;
  bad.perplexity = 0;
  CHECK_THROWS_AS(tsne(four, bad), Error);
  bad = o;
  bad.iterations = 0;
  CHECK_THROWS_AS(tsne(four, bad), Error);
  bad = o;
  bad.learning_rate = -1;
  CHECK_THROWS_AS(tsne(four, bad), Error);
  bad = o;
  bad.learning_rate = 1e30;  // drew cx="-nan": now refused by its range
  CHECK_THROWS_WITH_AS(tsne(four, bad), "--learning-rate must be 0 (auto) or in (0, 100000], not 1e30", Error);
  bad.learning_rate = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(tsne(four, bad), Error);
  bad = o;
  bad.perplexity = std::nan("");
  CHECK_THROWS_WITH_AS(tsne(four, bad), "--perplexity must be in (0, 10000], not nan", Error);
}

TEST_CASE("projection: t-SNE at the top of its ranges stays finite") {
  // The largest step size and early exaggeration allowed: the gains and the
  // momentum keep the positions bounded (the guard in the descent, which
  // refuses positions that stop being finite, never fires here).
  Matrix x(30, 3);
  x.uniform(1.f, 3);
  TsneArgs o;
  o.iterations = 300;
  o.learning_rate = 1e5;
  o.exaggeration = 1000;
  o.metric = MapMetric::kEuclidean;
  const TsneResult r = tsne(x, o);
  for (const auto& p : r.points) CHECK((std::isfinite(p.x) && std::isfinite(p.y)));
  CHECK(std::isfinite(r.kl.back().second));
}
