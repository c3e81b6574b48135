#pragma once
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wembed/vectors.h"

namespace wembed {

// Cosine nearest neighbours over unit-normalised rows.
class NeighborIndex {
 public:
  explicit NeighborIndex(Vectors v);
  int32_t find(const std::string& word) const;  // -1 if unknown
  // Top k by cosine to the normalised query, excluding the given rows.
  std::vector<std::pair<int32_t, float>> nearest(const float* query, int k,
                                                 const std::vector<int32_t>& exclude) const;
  std::vector<std::pair<std::string, float>> nearest(const std::string& word, int k) const;
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
