#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wembed/core/random.h"

namespace wembed {

// Draws negatives with probability proportional to count^power, in O(1)
// per draw from Walker's alias table: V cells of 8 bytes (small enough to
// stay in cache, unlike word2vec's 10^8-entry unigram table) and exact
// probabilities.
class NegativeTable {
 public:
  NegativeTable() = default;
  explicit NegativeTable(const std::vector<int64_t>& counts, double power = 0.75);
  int32_t sample(Rng& rng) const {
    const uint64_t r = rng.next();
    const uint32_t i = cellOf(r);
    const Cell c = cells_[i];
    return static_cast<uint32_t>(r) < c.threshold ? static_cast<int32_t>(i) : c.alias;
  }
  // A cache hint for the cell that sample() will read for the random number r.
  void prefetchCell(uint64_t r) const { __builtin_prefetch(cells_.data() + cellOf(r)); }
  size_t size() const { return cells_.size(); }
  // Probability that sample() returns w (for tests).
  double probability(int32_t w) const;

 private:
  uint32_t cellOf(uint64_t r) const { return static_cast<uint32_t>(((r >> 32) * n_) >> 32); }
  struct Cell {
    uint32_t threshold;  // keep i if the low 32 random bits are below this
    int32_t alias;
  };
  std::vector<Cell> cells_;
  uint64_t n_ = 0;
};

// word2vec's frequent-word subsampling: a word with count c among N training
// words is kept with probability (sqrt(c / (t N)) + 1) * t N / c (capped at 1).
// sample <= 0 keeps everything. Stored as 32-bit thresholds for a fast test.
class Subsampler {
 public:
  Subsampler() = default;
  Subsampler(const std::vector<int64_t>& counts, double sample);
  static double keepProbability(int64_t count, int64_t total, double sample);
  bool keep(int32_t w, Rng& rng) const { return threshold_[w] >= 0xFFFFFFFFull || rng.next32() < threshold_[w]; }
  double probability(int32_t w) const { return threshold_[w] / 4294967296.0; }
  // Expected number of words kept per epoch.
  double expectedKept(const std::vector<int64_t>& counts) const;

 private:
  std::vector<uint64_t> threshold_;
};

}  // namespace wembed
