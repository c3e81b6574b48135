#include "wembed/vectors/neighbors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "wembed/core/kernels.h"

namespace wembed {

NeighborIndex::NeighborIndex(Vectors v) : v_(std::move(v)) {
  const int d = v_.matrix.stride();
  for (int32_t i = 0; i < size(); ++i) {
    float* r = v_.matrix.row(i);
    double ss = 0;  // in double: huge values must not overflow to an infinite norm
    for (int j = 0; j < d; ++j) ss += static_cast<double>(r[j]) * r[j];
    const double n = std::sqrt(ss);
    if (n > 0)
      for (int j = 0; j < d; ++j) r[j] = static_cast<float>(r[j] / n);
    index_.emplace(v_.words[i], i);  // first occurrence wins
  }
}

int32_t NeighborIndex::find(const std::string& word) const {
  auto it = index_.find(word);
  return it == index_.end() ? -1 : it->second;
}

namespace {

constexpr float kNone = -std::numeric_limits<float>::infinity();

// Inserts (row, s) into top[0..k), best first; rows arrive in increasing
// order, so an equal score stays behind the lower row.
inline void insertTop(std::pair<int32_t, float>* top, int k, int32_t row, float s) {
  int j = k - 1;
  while (j > 0 && s > top[j - 1].second) {
    top[j] = top[j - 1];
    --j;
  }
  top[j] = {row, s};
}

inline bool excluded(const std::vector<int32_t>* ex, int32_t r) {
  return ex && std::find(ex->begin(), ex->end(), r) != ex->end();
}

}  // namespace

std::vector<NeighborIndex::Hits> NeighborIndex::nearestBatch(const Matrix& queries, int k,
                                                             const std::vector<std::vector<int32_t>>& exclude,
                                                             int64_t restrict) const {
  const int64_t n = queries.rows();
  std::vector<Hits> out(static_cast<size_t>(n));
  if (n == 0 || k <= 0) return out;
  const int32_t rows = restrict <= 0 || restrict > size() ? size() : static_cast<int32_t>(restrict);
  const int d = stride();
  auto excl = [&](int64_t q) -> const std::vector<int32_t>* {
    return exclude.empty() ? nullptr : &exclude[static_cast<size_t>(exclude.size() == 1 ? 0 : q)];
  };
  k = std::min(k, rows);
  if (k <= 64) {
    // Tiles of queries against blocks of rows: a block stays in cache while
    // every query of the tile is scored against it; an insertion list of k
    // per query keeps the best so far (most rows fail one comparison).
    constexpr int64_t kTile = 64;
    constexpr int32_t kBlock = 256;
    std::vector<std::pair<int32_t, float>> top(static_cast<size_t>(n) * k, {-1, kNone});
    const int64_t tiles = (n + kTile - 1) / kTile;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t t = 0; t < tiles; ++t) {
      const int64_t q0 = t * kTile, q1 = std::min(n, q0 + kTile);
      for (int32_t r0 = 0; r0 < rows; r0 += kBlock) {
        const int32_t r1 = std::min(rows, r0 + kBlock);
        for (int64_t q = q0; q < q1; ++q) {
          const float* qv = queries.row(q);
          auto* best = top.data() + q * k;
          const std::vector<int32_t>* ex = excl(q);
          float worst = best[k - 1].second;
          for (int32_t r = r0; r < r1; ++r) {
            const float s = dot(qv, v_.matrix.row(r), d);
            if (s > worst && !excluded(ex, r)) {
              insertTop(best, k, r, s);
              worst = best[k - 1].second;
            }
          }
        }
      }
    }
    for (int64_t q = 0; q < n; ++q) {
      auto* best = top.data() + q * k;
      int m = 0;
      while (m < k && best[m].first >= 0) ++m;
      out[static_cast<size_t>(q)].assign(best, best + m);
    }
    return out;
  }
  // Large k: all scores of a query, then a partial sort of the best k.
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t q = 0; q < n; ++q) {
    const float* qv = queries.row(q);
    const std::vector<int32_t>* ex = excl(q);
    Hits all;
    all.reserve(static_cast<size_t>(rows));
    for (int32_t r = 0; r < rows; ++r) {
      const float s = dot(qv, v_.matrix.row(r), d);
      if (s == s && !excluded(ex, r)) all.emplace_back(r, s);  // NaN never ranks
    }
    const size_t m = std::min(all.size(), static_cast<size_t>(k));
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m), all.end(),
                      [](const auto& a, const auto& b) { return a.second > b.second || (a.second == b.second && a.first < b.first); });
    all.resize(m);
    out[static_cast<size_t>(q)] = std::move(all);
  }
  return out;
}

NeighborIndex::Hits NeighborIndex::nearest(const float* query, int k, const std::vector<int32_t>& exclude,
                                           int64_t restrict) const {
  Matrix q(1, dim());
  std::memcpy(q.row(0), query, sizeof(float) * static_cast<size_t>(stride()));
  return nearestBatch(q, k, {exclude}, restrict).front();
}

std::vector<std::pair<std::string, float>> NeighborIndex::nearest(const std::string& word, int k,
                                                                  int64_t restrict) const {
  std::vector<std::pair<std::string, float>> out;
  int32_t w = find(word);
  if (w < 0) return out;
  for (auto& [i, s] : nearest(unitRow(w), k, {w}, restrict)) out.emplace_back(v_.words[i], s);
  return out;
}

}  // namespace wembed
