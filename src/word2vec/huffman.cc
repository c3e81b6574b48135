#include "wembed/word2vec/huffman.h"

#include <algorithm>
#include <numeric>

namespace wembed {

HuffmanTree::HuffmanTree(const std::vector<int64_t>& counts) {
  const int64_t V = static_cast<int64_t>(counts.size());
  offset_.assign(V + 1, 0);
  if (V == 0) return;
  if (V == 1) {  // a single word still needs one decision node
    points_ = {0};
    codes_ = {0};
    offset_[1] = 1;
    inner_nodes_ = 1;
    return;
  }
  // word2vec's two-queue construction over leaves sorted by descending count.
  std::vector<int32_t> order(V);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return counts[a] > counts[b]; });
  std::vector<int64_t> count(2 * V, INT64_MAX / 4);
  std::vector<int64_t> parent(2 * V, 0);
  std::vector<uint8_t> binary(2 * V, 0);
  for (int64_t i = 0; i < V; ++i) count[i] = counts[order[i]];
  int64_t pos1 = V - 1, pos2 = V;
  for (int64_t a = 0; a < V - 1; ++a) {
    int64_t m[2];
    for (int k = 0; k < 2; ++k) {
      if (pos1 >= 0 && count[pos1] < count[pos2]) m[k] = pos1--;
      else m[k] = pos2++;
    }
    count[V + a] = count[m[0]] + count[m[1]];
    parent[m[0]] = V + a;
    parent[m[1]] = V + a;
    binary[m[1]] = 1;
  }
  inner_nodes_ = static_cast<int32_t>(V - 1);
  const int64_t root = 2 * V - 2;
  // Path lengths first, for the flat layout.
  std::vector<int> len(V);
  for (int64_t i = 0; i < V; ++i) {
    int n = 0;
    for (int64_t b = i; b != root; b = parent[b]) ++n;
    len[order[i]] = n;
  }
  for (int64_t w = 0; w < V; ++w) offset_[w + 1] = offset_[w] + len[w];
  points_.resize(offset_[V]);
  codes_.resize(offset_[V]);
  for (int64_t i = 0; i < V; ++i) {
    const int32_t w = order[i];
    const int n = len[w];
    int32_t* pt = points_.data() + offset_[w];
    uint8_t* cd = codes_.data() + offset_[w];
    // Walk leaf -> root, filling root-first positions from the end.
    int k = n - 1;
    for (int64_t b = i; b != root; b = parent[b], --k) {
      cd[k] = binary[b];
      pt[k] = static_cast<int32_t>(parent[b] - V);  // the inner node that decides this bit
    }
  }
}

int HuffmanTree::maxLength() const {
  int m = 0;
  for (size_t w = 0; w + 1 < offset_.size(); ++w) m = std::max(m, static_cast<int>(offset_[w + 1] - offset_[w]));
  return m;
}

}  // namespace wembed
