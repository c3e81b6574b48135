#pragma once
// 2-D projections of word vectors for a word map: PCA and exact t-SNE
// (van der Maaten & Hinton 2008).
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "wembed/core/matrix.h"

namespace wembed {

struct Point2 {
  double x = 0, y = 0;
};

// How the vectors are compared before projecting.
//  kCosine: every row is divided by its length first (zero rows stay zero),
//           so PCA sees directions only and t-SNE's squared distance
//           |u - v|^2 = 2 (1 - cos) is the cosine distance (up to a factor
//           that the perplexity calibration absorbs).
//  kEuclidean: the rows as they are.
enum class MapMetric { kCosine, kEuclidean };
MapMetric parseMapMetric(const std::string& s);  // "cosine" | "euclidean"; throws Error
std::string toString(MapMetric m);

struct PcaResult {
  std::vector<Point2> points;  // coordinates on the first two principal components
  double explained[2] = {0, 0};  // fraction of the total variance along each
};

// The rows (after the metric's normalisation) are centred and projected on
// the two eigenvectors of their covariance with the largest eigenvalues
// (Eigen's self-adjoint solver). Each axis is signed so that its largest
// loading is positive, so results do not depend on the solver's sign.
PcaResult pca(const Matrix& x, MapMetric metric = MapMetric::kCosine);

struct TsneArgs {
  double perplexity = 30;        // clamped to (n - 1) / 3 for small n (at least 1)
  int iterations = 1000;         // gradient steps in all
  uint64_t seed = 1;             // initial positions: N(0, 1e-4^2) from this seed
  // 0: max(n / exaggeration / 4, 5): Belkina et al. (2019)'s n / exaggeration
  // for a gradient that carries the factor 4, as sklearn's "auto", but with
  // a floor of 5 instead of 50, which makes maps of a few hundred words oscillate.
  double learning_rate = 0;
  double exaggeration = 12;      // P is multiplied by this for the first exaggeration_iters
  int exaggeration_iters = 250;  // also the switch from momentum 0.5 to 0.8
  MapMetric metric = MapMetric::kCosine;
  int report_every = 50;         // KL(P||Q) is recorded every this many steps (and at the end)
  // Called at each report with (iteration, KL); may be empty.
  std::function<void(int, double)> progress;
  void validate() const;  // throws Error naming the flag (--perplexity, ...) and its range
};

struct TsneResult {
  std::vector<Point2> points;
  double perplexity = 0;                    // the one used, after clamping
  std::vector<std::pair<int, double>> kl;   // (iteration, KL(P||Q)) at each report
};

// Largest number of points t-SNE accepts (memory and time are O(n^2)).
constexpr int64_t kTsneMaxPoints = 5000;

// Exact t-SNE: conditional affinities calibrated to the perplexity by
// binary search on each point's precision, symmetrised (p_ij = (p_j|i +
// p_i|j) / 2n), Student-t similarities in 2-D, gradient descent with
// momentum and per-coordinate gains (Jacobs 1988), early exaggeration.
// Deterministic for a given seed, whatever the number of OpenMP threads.
TsneResult tsne(const Matrix& x, const TsneArgs& opt);

// The pieces, for tests.
// Squared distances between the rows (after the metric's normalisation), n x n row-major.
std::vector<double> squaredDistances(const Matrix& x, MapMetric metric);
// Conditional p_j|i (row i sums to 1, p_i|i = 0) with each row's entropy
// equal to log(perplexity) (to 1e-5), from an n x n squared-distance matrix.
std::vector<double> conditionalAffinities(const std::vector<double>& sqdist, int64_t n, double perplexity);
// KL(P||Q) of a joint P (n x n) and the Student-t Q of the points.
double tsneKl(const std::vector<double>& p, const std::vector<Point2>& y);

}  // namespace wembed
