#include "wembed/plot/projection.h"

#include <omp.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "wembed/core/error.h"
#include "wembed/core/kernels.h"
#include "wembed/core/random.h"
#include "wembed/core/range_check.h"

namespace wembed {

MapMetric parseMapMetric(const std::string& s) {
  if (s == "cosine") return MapMetric::kCosine;
  if (s == "euclidean") return MapMetric::kEuclidean;
  throw Error("unknown metric '" + s + "' (expected cosine or euclidean)");
}

std::string toString(MapMetric m) { return m == MapMetric::kCosine ? "cosine" : "euclidean"; }

namespace {

// The rows as doubles, unit length for kCosine.
Eigen::MatrixXd prepared(const Matrix& x, MapMetric metric) {
  const int64_t n = x.rows();
  const int d = x.cols();
  Eigen::MatrixXd m(n, d);
  for (int64_t i = 0; i < n; ++i) {
    const float* r = x.row(i);
    double norm = 0;
    for (int j = 0; j < d; ++j) norm += static_cast<double>(r[j]) * r[j];
    norm = std::sqrt(norm);
    const double s = (metric == MapMetric::kCosine && norm > 0) ? 1.0 / norm : 1.0;
    for (int j = 0; j < d; ++j) m(i, j) = r[j] * s;
  }
  return m;
}

// Standard normal deviates from Rng by Box-Muller (the same numbers on every
// platform, unlike std::normal_distribution).
class Gaussian {
 public:
  explicit Gaussian(uint64_t seed) : rng_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1;
    do u1 = (rng_.next() >> 11) * (1.0 / 9007199254740992.0);
    while (u1 <= 0);
    const double u2 = (rng_.next() >> 11) * (1.0 / 9007199254740992.0);
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2 * M_PI * u2);
    has_spare_ = true;
    return r * std::cos(2 * M_PI * u2);
  }

 private:
  Rng rng_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// Row i of the conditional affinities from row i of the squared distances:
// p_j|i = exp(-beta d_ij) / sum, with beta found by bisection so that the
// entropy sum_j -p log p equals log(perplexity) (as sklearn's
// _binary_search_perplexity: 100 steps at most, tolerance 1e-5).
void calibrateRow(const double* d, int64_t n, int64_t i, double perplexity, double* p) {
  const double target = std::log(perplexity);
  double dmin = std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < n; ++j)
    if (j != i) dmin = std::min(dmin, d[j]);
  if (n < 2) {
    for (int64_t j = 0; j < n; ++j) p[j] = 0;
    return;
  }
  double beta = 1, lo = 0, hi = std::numeric_limits<double>::infinity();
  // Start at a scale that suits the distances, so bisection needs few steps.
  double mean = 0;
  for (int64_t j = 0; j < n; ++j)
    if (j != i) mean += d[j] - dmin;
  mean /= static_cast<double>(n - 1);
  if (mean > 0) beta = 1.0 / mean;
  for (int step = 0; step < 100; ++step) {
    double sum = 0, dsum = 0;
    for (int64_t j = 0; j < n; ++j) {
      if (j == i) {
        p[j] = 0;
        continue;
      }
      const double dj = d[j] - dmin;  // shifting the distances leaves p unchanged
      const double e = std::exp(-beta * dj);
      p[j] = e;
      sum += e;
      dsum += dj * e;
    }
    // sum >= 1: the nearest point has dj = 0.
    const double h = std::log(sum) + beta * dsum / sum;
    for (int64_t j = 0; j < n; ++j) p[j] /= sum;
    const double diff = h - target;
    if (std::abs(diff) <= 1e-5) break;
    if (diff > 0) {  // too flat: sharpen
      lo = beta;
      beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = (beta + lo) / 2;
    }
  }
}

void squaredDistanceRow(const Eigen::MatrixXd& m, const Eigen::VectorXd& norms, int64_t i, double* out) {
  const int64_t n = m.rows();
  for (int64_t j = 0; j < n; ++j) {
    const double v = norms[i] + norms[j] - 2 * m.row(i).dot(m.row(j));
    out[j] = j == i ? 0 : std::max(v, 0.0);
  }
}

double clampPerplexity(double perplexity, int64_t n) {
  return std::max(1.0, std::min(perplexity, static_cast<double>(n - 1) / 3.0));
}

}  // namespace

PcaResult pca(const Matrix& x, MapMetric metric) {
  const int64_t n = x.rows();
  if (n < 1) throw Error("PCA needs at least one point");
  Eigen::MatrixXd m = prepared(x, metric);
  m.rowwise() -= m.colwise().mean();
  const int d = static_cast<int>(m.cols());
  const Eigen::MatrixXd cov = (m.transpose() * m) / static_cast<double>(std::max<int64_t>(n - 1, 1));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(cov);
  if (es.info() != Eigen::Success) throw Error("PCA: the eigen solver did not converge");
  // Eigenvalues come in increasing order.
  const Eigen::VectorXd& ev = es.eigenvalues();
  const double total = std::max(ev.sum(), 0.0);
  PcaResult r;
  r.points.resize(static_cast<size_t>(n));
  for (int c = 0; c < 2; ++c) {
    const int col = d - 1 - c;
    if (col < 0) continue;  // 1-d input: the second axis is all zeros
    Eigen::VectorXd v = es.eigenvectors().col(col);
    Eigen::Index big = 0;
    v.cwiseAbs().maxCoeff(&big);
    if (v[big] < 0) v = -v;
    const Eigen::VectorXd proj = m * v;
    for (int64_t i = 0; i < n; ++i) (c == 0 ? r.points[i].x : r.points[i].y) = proj[i];
    r.explained[c] = total > 0 ? std::max(ev[col], 0.0) / total : 0;
  }
  return r;
}

std::vector<double> squaredDistances(const Matrix& x, MapMetric metric) {
  const Eigen::MatrixXd m = prepared(x, metric);
  const int64_t n = m.rows();
  const Eigen::VectorXd norms = m.rowwise().squaredNorm();
  std::vector<double> d(static_cast<size_t>(n * n));
#pragma omp parallel for schedule(dynamic, 16) if (n >= 256)
  for (int64_t i = 0; i < n; ++i) squaredDistanceRow(m, norms, i, d.data() + i * n);
  return d;
}

std::vector<double> conditionalAffinities(const std::vector<double>& sqdist, int64_t n, double perplexity) {
  std::vector<double> p(static_cast<size_t>(n * n));
#pragma omp parallel for schedule(dynamic, 16) if (n >= 256)
  for (int64_t i = 0; i < n; ++i) calibrateRow(sqdist.data() + i * n, n, i, perplexity, p.data() + i * n);
  return p;
}

namespace {

template <class T>
double klOf(const std::vector<T>& p, const std::vector<Point2>& y) {
  const int64_t n = static_cast<int64_t>(y.size());
  std::vector<double> rowz(n), rowkl(n);
#pragma omp parallel for schedule(static) if (n >= 256)
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int64_t j = 0; j < n; ++j)
      if (j != i) {
        const double dx = y[i].x - y[j].x, dy = y[i].y - y[j].y;
        s += 1 / (1 + dx * dx + dy * dy);
      }
    rowz[i] = s;
  }
  double z = 0;
  for (int64_t i = 0; i < n; ++i) z += rowz[i];
#pragma omp parallel for schedule(static) if (n >= 256)
  for (int64_t i = 0; i < n; ++i) {
    double kl = 0;
    for (int64_t j = 0; j < n; ++j) {
      const double pij = static_cast<double>(p[i * n + j]);
      if (j == i || pij <= 0) continue;
      const double dx = y[i].x - y[j].x, dy = y[i].y - y[j].y;
      const double q = std::max(1 / (1 + dx * dx + dy * dy) / z, 1e-300);
      kl += pij * std::log(pij / q);
    }
    rowkl[i] = kl;
  }
  double kl = 0;
  for (int64_t i = 0; i < n; ++i) kl += rowkl[i];
  return kl;
}

}  // namespace

double tsneKl(const std::vector<double>& p, const std::vector<Point2>& y) { return klOf(p, y); }

void TsneArgs::validate() const {
  checkRange("--perplexity", perplexity, Range::openLow(0, 10000));
  checkRange("--iterations", iterations, Range::closed(1, 100000));
  checkRange("--learning-rate", learning_rate, Range::openLow(0, 1e5).orZero("auto"));
  checkRange("early exaggeration", exaggeration, Range::closed(1, 1000));
}

namespace {

void checkTsne(int64_t n, const TsneArgs& opt) {
  if (n < 2) throw Error("t-SNE needs at least 2 points");
  if (n > kTsneMaxPoints)
    throw Error("exact t-SNE takes at most " + std::to_string(kTsneMaxPoints) + " points (got " +
                std::to_string(n) + "); use fewer words or PCA");
  opt.validate();
}

// Joint affinities: one distance row per thread at a time, so the only
// n x n array is P, in float (every step reads all of it).
std::vector<float> jointAffinities(const Matrix& x, MapMetric metric, double perplexity) {
  const int64_t n = x.rows();
  std::vector<float> p(static_cast<size_t>(n * n));
  const Eigen::MatrixXd m = prepared(x, metric);
  const Eigen::VectorXd norms = m.rowwise().squaredNorm();
#pragma omp parallel if (n >= 256)
  {
    std::vector<double> row(static_cast<size_t>(n)), cond(static_cast<size_t>(n));
#pragma omp for schedule(dynamic, 16)
    for (int64_t i = 0; i < n; ++i) {
      squaredDistanceRow(m, norms, i, row.data());
      calibrateRow(row.data(), n, i, perplexity, cond.data());
      for (int64_t j = 0; j < n; ++j) p[i * n + j] = static_cast<float>(cond[j]);
    }
  }
  const double scale = 1.0 / (2.0 * static_cast<double>(n));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) {
      const double v = std::max((static_cast<double>(p[i * n + j]) + p[j * n + i]) * scale, 1e-12);
      p[i * n + j] = p[j * n + i] = static_cast<float>(v);
    }
  return p;
}

// The 2-D positions and their descent, as structures of arrays.
struct TsneState {
  explicit TsneState(int64_t n, uint64_t seed)
      : n(n), yx(n), yy(n), ux(n, 0.0), uy(n, 0.0), gx(n, 1.0), gy(n, 1.0), dx(n), dy(n), rowz(n), ax(n), ay(n),
        bx(n), by(n) {
    Gaussian g(seed);
    for (int64_t i = 0; i < n; ++i) {
      yx[i] = 1e-4 * g.next();
      yy[i] = 1e-4 * g.next();
    }
  }

  std::vector<Point2> points() const {
    std::vector<Point2> out(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) out[i] = {yx[i], yy[i]};
    return out;
  }

  // One pass over the pairs, w_ij = 1 / (1 + |y_i - y_j|^2):
  //   A_i = sum_j p_ij w_ij (y_i - y_j),  B_i = sum_j w_ij^2 (y_i - y_j),  Z = sum_{i != j} w_ij;
  // the gradient 4 sum_j (exag p_ij - w_ij / Z) w_ij (y_i - y_j) is 4 (exag A_i - B_i / Z).
  void gradient(const std::vector<float>& p, double exag) {
    const double* px = yx.data();
    const double* py = yy.data();
#pragma omp parallel for schedule(static) if (n >= 256)
    for (int64_t i = 0; i < n; ++i) {
      const double xi = px[i], yi = py[i];
      const float* pi = p.data() + i * n;
      double z = 0, axs = 0, ays = 0, bxs = 0, bys = 0;
#pragma omp simd reduction(+ : z, axs, ays, bxs, bys)
      for (int64_t j = 0; j < n; ++j) {
        const double ddx = xi - px[j], ddy = yi - py[j];
        const double w = 1 / (1 + ddx * ddx + ddy * ddy);
        const double pw = static_cast<double>(pi[j]) * w, ww = w * w;
        z += w;
        axs += pw * ddx;
        ays += pw * ddy;
        bxs += ww * ddx;  // j == i adds nothing: ddx = ddy = 0
        bys += ww * ddy;
      }
      rowz[i] = z - 1;  // the j == i term
      ax[i] = axs;
      ay[i] = ays;
      bx[i] = bxs;
      by[i] = bys;
    }
    double z = 0;
    for (int64_t i = 0; i < n; ++i) z += rowz[i];  // in order: the same sum for any thread count
    const double invz = 1 / z;
    for (int64_t i = 0; i < n; ++i) {
      dx[i] = 4 * (exag * ax[i] - bx[i] * invz);
      dy[i] = 4 * (exag * ay[i] - by[i] * invz);
    }
  }

  // Momentum and gains (sklearn's _gradient_descent): a coordinate whose
  // gradient keeps its sign speeds up, one that flips slows down. Then the
  // positions are centred. False if they have diverged (a NaN, an infinity,
  // or beyond 1e100, where the distances overflow).
  bool step(double momentum, double eta) {
    for (int64_t i = 0; i < n; ++i) {
      gx[i] = (ux[i] * dx[i] < 0) ? gx[i] + 0.2 : std::max(gx[i] * 0.8, 0.01);
      gy[i] = (uy[i] * dy[i] < 0) ? gy[i] + 0.2 : std::max(gy[i] * 0.8, 0.01);
      ux[i] = momentum * ux[i] - eta * gx[i] * dx[i];
      uy[i] = momentum * uy[i] - eta * gy[i] * dy[i];
      yx[i] += ux[i];
      yy[i] += uy[i];
    }
    double mx = 0, my = 0;
    for (int64_t i = 0; i < n; ++i) {
      mx += yx[i];
      my += yy[i];
    }
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    double extent = 0;
    for (int64_t i = 0; i < n; ++i) {
      yx[i] -= mx;
      yy[i] -= my;
      extent = std::max({extent, std::fabs(yx[i]), std::fabs(yy[i])});
    }
    return extent < 1e100 && std::isfinite(mx) && std::isfinite(my);  // (std::max drops a NaN)
  }

  int64_t n;
  std::vector<double> yx, yy, ux, uy, gx, gy, dx, dy;
  std::vector<double> rowz, ax, ay, bx, by;
};

}  // namespace

TsneResult tsne(const Matrix& x, const TsneArgs& opt) {
  const int64_t n = x.rows();
  checkTsne(n, opt);
  TsneResult res;
  res.perplexity = clampPerplexity(opt.perplexity, n);
  const double eta = opt.learning_rate > 0 ? opt.learning_rate
                                           : std::max(static_cast<double>(n) / opt.exaggeration / 4.0, 5.0);
  const std::vector<float> p = jointAffinities(x, opt.metric, res.perplexity);
  TsneState y(n, opt.seed);
  for (int it = 1; it <= opt.iterations; ++it) {
    const bool early = it <= opt.exaggeration_iters;
    // KL of the positions after it - 1 steps.
    if (opt.report_every > 0 && (it - 1) % opt.report_every == 0) {
      const double kl = klOf(p, y.points());
      res.kl.emplace_back(it - 1, kl);
      if (opt.progress) opt.progress(it - 1, kl);
    }
    y.gradient(p, early ? opt.exaggeration : 1.0);
    if (!y.step(early ? 0.5 : 0.8, eta))
      throw Error("t-SNE diverged at step " + std::to_string(it) + " (the positions are no longer finite numbers); "
                  "try a smaller --learning-rate (0: auto)");
  }
  res.points = y.points();
  const double kl = klOf(p, res.points);
  res.kl.emplace_back(opt.iterations, kl);
  if (opt.progress) opt.progress(opt.iterations, kl);
  return res;
}

}  // namespace wembed
