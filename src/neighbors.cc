#include "wembed/neighbors.h"

#include <algorithm>
#include <cmath>

#include "wembed/model.h"

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

std::vector<std::pair<int32_t, float>> NeighborIndex::nearest(const float* q, int k,
                                                              const std::vector<int32_t>& exclude) const {
  const int d = v_.matrix.stride();
  std::vector<std::pair<int32_t, float>> all;
  all.reserve(size());
  for (int32_t i = 0; i < size(); ++i) {
    if (std::find(exclude.begin(), exclude.end(), i) != exclude.end()) continue;
    all.emplace_back(i, dot(q, v_.matrix.row(i), d));
  }
  k = std::min<int>(k, static_cast<int>(all.size()));
  auto cmp = [](const auto& a, const auto& b) { return a.second > b.second || (a.second == b.second && a.first < b.first); };
  std::partial_sort(all.begin(), all.begin() + k, all.end(), cmp);
  all.resize(k);
  return all;
}

std::vector<std::pair<std::string, float>> NeighborIndex::nearest(const std::string& word, int k) const {
  std::vector<std::pair<std::string, float>> out;
  int32_t w = find(word);
  if (w < 0) return out;
  for (auto& [i, s] : nearest(unitRow(w), k, {w})) out.emplace_back(v_.words[i], s);
  return out;
}

}  // namespace wembed
