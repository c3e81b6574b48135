#include "wembed/word2vec/sampling.h"

#include <algorithm>
#include <cmath>

namespace wembed {

NegativeTable::NegativeTable(const std::vector<int64_t>& counts, double power) {
  const size_t n = counts.size();
  n_ = n;
  cells_.resize(n);
  if (n == 0) return;
  double z = 0;
  std::vector<double> p(n);
  for (size_t i = 0; i < n; ++i) z += (p[i] = std::pow(static_cast<double>(counts[i]), power));
  for (size_t i = 0; i < n; ++i) p[i] = p[i] * n / z;  // mean 1
  // Vose's alias method.
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) (p[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  for (size_t i = 0; i < n; ++i) cells_[i] = Cell{0xFFFFFFFFu, static_cast<int32_t>(i)};
  while (!small.empty() && !large.empty()) {
    uint32_t s = small.back(), l = large.back();
    small.pop_back();
    cells_[s].threshold = static_cast<uint32_t>(std::min(4294967295.0, p[s] * 4294967296.0));
    cells_[s].alias = static_cast<int32_t>(l);
    p[l] -= 1.0 - p[s];
    if (p[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers (rounding) keep themselves with probability ~1.
}

double NegativeTable::probability(int32_t w) const {
  double pr = 0;
  for (size_t i = 0; i < cells_.size(); ++i) {
    const double keep = (cells_[i].threshold == 0xFFFFFFFFu ? 4294967296.0 : cells_[i].threshold) / 4294967296.0;
    if (static_cast<int32_t>(i) == w) pr += keep;
    if (cells_[i].alias == w && static_cast<int32_t>(i) != w) pr += 1.0 - keep;
  }
  return pr / cells_.size();
}

double Subsampler::keepProbability(int64_t count, int64_t total, double sample) {
  if (sample <= 0 || count <= 0) return 1.0;
  const double t = sample * static_cast<double>(total);
  const double p = (std::sqrt(count / t) + 1.0) * t / count;
  return p < 1.0 ? p : 1.0;
}

Subsampler::Subsampler(const std::vector<int64_t>& counts, double sample) {
  int64_t total = 0;
  for (int64_t c : counts) total += c;
  threshold_.resize(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    double p = keepProbability(counts[i], total, sample);
    threshold_[i] = p >= 1.0 ? (1ull << 32) : static_cast<uint64_t>(p * 4294967296.0);
  }
}

double Subsampler::expectedKept(const std::vector<int64_t>& counts) const {
  double s = 0;
  for (size_t i = 0; i < counts.size(); ++i) s += counts[i] * probability(static_cast<int32_t>(i));
  return s;
}

}  // namespace wembed
