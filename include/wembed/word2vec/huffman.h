#pragma once
#include <cstdint>
#include <vector>

namespace wembed {

// Huffman tree over word counts for hierarchical softmax (word2vec's
// CreateBinaryTree). Word i's path is points(i)[0..length(i)) (inner-node
// indices in [0, V-1), root first) with binary codes codes(i)[...]; frequent
// words get short codes.
class HuffmanTree {
 public:
  HuffmanTree() = default;
  explicit HuffmanTree(const std::vector<int64_t>& counts);
  int length(int32_t w) const { return static_cast<int>(offset_[w + 1] - offset_[w]); }
  const int32_t* points(int32_t w) const { return points_.data() + offset_[w]; }
  const uint8_t* codes(int32_t w) const { return codes_.data() + offset_[w]; }
  int32_t innerNodes() const { return inner_nodes_; }
  // Cache hints for a word a few examples ahead (the tables are larger than
  // the cache and read at random): its offsets, then, once those are in,
  // its path (points and codes).
  void prefetchOffsets(int32_t w) const { __builtin_prefetch(offset_.data() + w); }
  void prefetchPath(int32_t w) const {
    const int len = length(w);
    if (len == 0) return;
    const int32_t* p = points(w);
    __builtin_prefetch(p);
    __builtin_prefetch(p + len - 1);
    __builtin_prefetch(codes(w));
  }
  int maxLength() const;  // the longest path (0 for an empty tree)

 private:
  std::vector<int32_t> points_;
  std::vector<uint8_t> codes_;
  std::vector<int64_t> offset_;
  int32_t inner_nodes_ = 0;
};

}  // namespace wembed
