#pragma once
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wembed/core/matrix.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

// Cosine nearest neighbours over unit-normalised rows.
class NeighborIndex {
 public:
  explicit NeighborIndex(Vectors v);
  int32_t find(const std::string& word) const;  // -1 if unknown
  using Hits = std::vector<std::pair<int32_t, float>>;
  // For each row q of `queries` (normalised, cols() == dim()): the k rows with
  // the highest cosine among the first `restrict` rows (<= 0: all), never a
  // row listed in exclude (empty, one list for every query, or one per query);
  // best first, equal scores in row order. One blocked product of the queries
  // against the rows (SIMD dot products, parallel over query tiles) and a
  // partial selection per query, not a sort.
  std::vector<Hits> nearestBatch(const Matrix& queries, int k, const std::vector<std::vector<int32_t>>& exclude,
                                 int64_t restrict = 0) const;
  // One query of stride() floats.
  Hits nearest(const float* query, int k, const std::vector<int32_t>& exclude, int64_t restrict = 0) const;
  std::vector<std::pair<std::string, float>> nearest(const std::string& word, int k, int64_t restrict = 0) const;
  const std::string& word(int32_t i) const { return v_.words[i]; }
  int dim() const { return v_.matrix.cols(); }
  int stride() const { return v_.matrix.stride(); }
  const float* unitRow(int32_t i) const { return v_.matrix.row(i); }
  int32_t size() const { return static_cast<int32_t>(v_.words.size()); }

 private:
  Vectors v_;
  std::unordered_map<std::string, int32_t> index_;
};

}  // namespace wembed
