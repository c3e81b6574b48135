#include <doctest/doctest.h>

#include <cmath>
#include <algorithm>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "wembed/word2vec/huffman.h"

using namespace wembed;

namespace {

std::vector<int> lengths(const HuffmanTree& t, size_t V) {
  std::vector<int> out;
  for (size_t w = 0; w < V; ++w) out.push_back(t.length(static_cast<int32_t>(w)));
  return out;
}

std::string codeString(const HuffmanTree& t, int32_t w) {
  std::string s;
  for (int k = 0; k < t.length(w); ++k) s.push_back(t.codes(w)[k] ? '1' : '0');
  return s;
}

// Checks that points/codes describe one consistent binary tree: root V-2
// first, inner nodes in [0, V-1), each (node, bit) edge leads to exactly one
// place (next inner node or the leaf), every inner node used, codes prefix-free.
void checkTree(const HuffmanTree& t, const std::vector<int64_t>& counts) {
  const int32_t V = static_cast<int32_t>(counts.size());
  REQUIRE(t.innerNodes() == V - 1);
  // (node, bit) -> child; children >= 0 are inner nodes, leaves are encoded as -1 - w.
  std::map<std::pair<int32_t, int>, int64_t> edge;
  std::vector<int> used(V - 1, 0);
  bool ok = true;
  for (int32_t w = 0; w < V; ++w) {
    const int n = t.length(w);
    REQUIRE(n >= 1);
    REQUIRE(n <= V - 1);
    CHECK(t.points(w)[0] == V - 2);  // root first
    for (int k = 0; k < n; ++k) {
      const int32_t p = t.points(w)[k];
      const int bit = t.codes(w)[k];
      ok &= p >= 0 && p < V - 1 && (bit == 0 || bit == 1);
      if (!ok) break;
      used[p] = 1;
      const int64_t child = (k + 1 < n) ? t.points(w)[k + 1] : -1 - static_cast<int64_t>(w);
      auto [it, inserted] = edge.emplace(std::make_pair(p, bit), child);
      if (!inserted && it->second != child) ok = false;  // two different children on one edge
    }
  }
  CHECK(ok);
  for (int32_t i = 0; i < V - 1; ++i) CHECK(used[i] == 1);
  // A full binary tree: every inner node has both children.
  CHECK(edge.size() == static_cast<size_t>(2 * (V - 1)));
  // Kraft: sum 2^-len == 1 exactly for a full binary tree.
  long double kraft = 0;
  for (int32_t w = 0; w < V; ++w) kraft += std::ldexp(1.0L, -t.length(w));
  CHECK(static_cast<double>(kraft) == doctest::Approx(1.0).epsilon(1e-12));
  // Prefix-free (pairwise, for small V).
  if (V <= 300) {
    bool prefix_free = true;
    std::vector<std::string> codes;
    for (int32_t w = 0; w < V; ++w) codes.push_back(codeString(t, w));
    for (int32_t a = 0; a < V; ++a)
      for (int32_t b = 0; b < V; ++b)
        if (a != b && codes[b].compare(0, codes[a].size(), codes[a]) == 0) prefix_free = false;
    CHECK(prefix_free);
  }
}

// Optimal total cost sum(count * length), by the textbook priority-queue Huffman.
int64_t optimalCost(const std::vector<int64_t>& counts) {
  std::priority_queue<int64_t, std::vector<int64_t>, std::greater<int64_t>> q(counts.begin(), counts.end());
  int64_t cost = 0;
  while (q.size() > 1) {
    int64_t a = q.top();
    q.pop();
    int64_t b = q.top();
    q.pop();
    cost += a + b;
    q.push(a + b);
  }
  return cost;
}

int64_t cost(const HuffmanTree& t, const std::vector<int64_t>& counts) {
  int64_t c = 0;
  for (size_t w = 0; w < counts.size(); ++w) c += counts[w] * t.length(static_cast<int32_t>(w));
  return c;
}

}  // namespace

TEST_CASE("huffman: classic example {45,13,12,16,9,5}") {
  // Merges: 5+9=14, 12+13=25, 14+16=30, 25+30=55, 45+55=100.
  // Lengths: 45 -> 1; 13, 12, 16 -> 3; 9, 5 -> 4.
  const std::vector<int64_t> counts = {45, 13, 12, 16, 9, 5};
  HuffmanTree t(counts);
  CHECK(lengths(t, 6) == std::vector<int>{1, 3, 3, 3, 4, 4});
  CHECK(cost(t, counts) == 224);
  checkTree(t, counts);
  // The two deepest words are siblings: same path, different last bit.
  CHECK(std::vector<int32_t>(t.points(4), t.points(4) + 4) == std::vector<int32_t>(t.points(5), t.points(5) + 4));
  CHECK(t.codes(4)[3] != t.codes(5)[3]);
}

TEST_CASE("huffman: {5,4,3,2,1} and the same counts unsorted") {
  // 1+2=3, 3+3=6, 4+5=9, 6+9=15: lengths 5,4,3 -> 2; 2,1 -> 3.
  {
    const std::vector<int64_t> counts = {5, 4, 3, 2, 1};
    HuffmanTree t(counts);
    CHECK(lengths(t, 5) == std::vector<int>{2, 2, 2, 3, 3});
    CHECK(cost(t, counts) == 33);
    checkTree(t, counts);
  }
  {
    const std::vector<int64_t> counts = {1, 5, 3, 4, 2};
    HuffmanTree t(counts);
    CHECK(lengths(t, 5) == std::vector<int>{3, 2, 2, 2, 3});
    checkTree(t, counts);
  }
}

TEST_CASE("huffman: equal counts give a balanced tree") {
  const std::vector<int64_t> counts(8, 7);
  HuffmanTree t(counts);
  CHECK(lengths(t, 8) == std::vector<int>(8, 3));
  checkTree(t, counts);
}

TEST_CASE("huffman: very skewed counts give a chain") {
  const std::vector<int64_t> counts = {1000, 100, 10, 1};
  HuffmanTree t(counts);
  CHECK(lengths(t, 4) == std::vector<int>{1, 2, 3, 3});
  checkTree(t, counts);
}

TEST_CASE("huffman: random Zipf-like vocabularies are optimal and valid") {
  std::mt19937 rng(42);
  for (int V : {3, 10, 57, 300, 5000}) {
    CAPTURE(V);
    std::vector<int64_t> counts(V);
    for (int i = 0; i < V; ++i) counts[i] = 1 + static_cast<int64_t>(100000.0 / (i + 1)) + rng() % 3;
    if (V == 57) std::shuffle(counts.begin(), counts.end(), rng);
    HuffmanTree t(counts);
    checkTree(t, counts);
    CHECK(cost(t, counts) == optimalCost(counts));
    // More frequent never means a longer code.
    bool monotone = true;
    for (int a = 0; a < V; ++a)
      for (int b = 0; b < V && V <= 300; ++b)
        if (counts[a] > counts[b] && t.length(a) > t.length(b)) monotone = false;
    CHECK(monotone);
  }
}

TEST_CASE("huffman: V=1 and V=2 edge cases") {
  {
    HuffmanTree t(std::vector<int64_t>{42});
    CHECK(t.innerNodes() == 1);
    CHECK(t.length(0) == 1);
    CHECK(t.points(0)[0] == 0);
    CHECK(t.codes(0)[0] == 0);
  }
  {
    const std::vector<int64_t> counts = {10, 3};
    HuffmanTree t(counts);
    CHECK(t.innerNodes() == 1);
    CHECK(t.length(0) == 1);
    CHECK(t.length(1) == 1);
    CHECK(t.points(0)[0] == 0);
    CHECK(t.points(1)[0] == 0);
    CHECK(t.codes(0)[0] != t.codes(1)[0]);
    checkTree(t, counts);
  }
  {
    HuffmanTree t(std::vector<int64_t>{});
    CHECK(t.innerNodes() == 0);
  }
}
