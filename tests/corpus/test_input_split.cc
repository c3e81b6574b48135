#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/corpus/input_split.h"
#include "wembed/corpus/tokenizer.h"

using namespace wembed;
using testutil::TempDir;

namespace {

// How many times each byte of each file is covered by the segments (each
// segment checked to lie inside its file and to be non-empty).
std::vector<std::vector<int>> coverage(const std::vector<std::string>& files, const std::vector<size_t>& sizes,
                                       const std::vector<std::vector<Segment>>& parts) {
  std::vector<std::vector<int>> covered(files.size());
  for (size_t i = 0; i < files.size(); ++i) covered[i].assign(sizes[i], 0);
  for (const auto& segs : parts)
    for (const auto& s : segs) {
      const auto it = std::find(files.begin(), files.end(), s.path);
      REQUIRE(it != files.end());
      const size_t fi = static_cast<size_t>(it - files.begin());
      REQUIRE(s.begin < s.end);
      REQUIRE(s.end <= sizes[fi]);
      for (uint64_t b = s.begin; b < s.end; ++b) ++covered[fi][b];
    }
  return covered;
}

bool everyByteOnce(const std::vector<std::vector<int>>& covered) {
  for (const auto& c : covered)
    for (int x : c)
      if (x != 1) return false;
  return true;
}

}  // namespace

TEST_CASE("input_split: any-byte cuts cover every byte exactly once, balanced") {
  TempDir d;
  const std::vector<size_t> sizes = {0, 1, 17, 1000, 3, 0, 64};
  std::vector<std::string> files;
  for (size_t i = 0; i < sizes.size(); ++i) {
    files.push_back(d.file("f" + std::to_string(i)));
    testutil::writeFile(files.back(), std::string(sizes[i], 'x'));
  }
  const uint64_t total = 1085;
  for (int n = 1; n <= 5; ++n) {
    CAPTURE(n);
    const auto parts = partitionInputs(files, n);
    REQUIRE(parts.size() == static_cast<size_t>(n));
    CHECK(everyByteOnce(coverage(files, sizes, parts)));
    std::vector<uint64_t> per_thread;
    for (const auto& segs : parts) {
      uint64_t bytes = 0;
      for (const auto& s : segs) bytes += s.end - s.begin;
      per_thread.push_back(bytes);
    }
    // Balanced: sizes differ by at most one byte and sum to the total.
    uint64_t sum = 0;
    for (uint64_t b : per_thread) sum += b;
    CHECK(sum == total);
    CHECK(*std::max_element(per_thread.begin(), per_thread.end()) -
              *std::min_element(per_thread.begin(), per_thread.end()) <= 1);
    // Each thread's segments are in file order and contiguous in the concatenation.
    for (const auto& segs : parts)
      for (size_t k = 1; k < segs.size(); ++k) {
        CHECK(segs[k - 1].end == sizes[std::find(files.begin(), files.end(), segs[k - 1].path) - files.begin()]);
        CHECK(segs[k].begin == 0);
      }
  }
  // More threads than bytes: some threads simply get nothing.
  const auto many = partitionInputs({files[1], files[4]}, 8);
  size_t segs = 0;
  for (const auto& p : many) segs += p.size();
  CHECK(segs == 4);  // 4 bytes, one segment each
  CHECK_THROWS_AS(partitionInputs({d.file("missing")}, 2), Error);
}

TEST_CASE("input_split: line-start cuts cover every byte once and start threads at line starts") {
  TempDir d;
  const std::vector<std::string> texts = {
      "the cat sat\non the mat\n",
      "",
      "a very long line with no newline for a while and then one\nshort\n",
      "x\ny\nz",  // no final newline
      "\n\n\n",
      std::string(300, 'w') + "\n" + std::string(5, 'v') + "\n",
  };
  std::vector<std::string> files;
  std::vector<size_t> sizes;
  for (size_t i = 0; i < texts.size(); ++i) {
    files.push_back(d.file("l" + std::to_string(i)));
    testutil::writeFile(files.back(), texts[i]);
    sizes.push_back(texts[i].size());
  }
  for (int n = 1; n <= 12; ++n) {
    CAPTURE(n);
    const auto parts = partitionInputs(files, n, SplitAt::kLineStart);
    REQUIRE(parts.size() == static_cast<size_t>(n));
    CHECK(everyByteOnce(coverage(files, sizes, parts)));
    for (const auto& segs : parts)
      for (const auto& s : segs) {
        // Every segment starts at the start of its file or right after a newline.
        const std::string& t = texts[std::find(files.begin(), files.end(), s.path) - files.begin()];
        CHECK((s.begin == 0 || t[s.begin - 1] == '\n'));
      }
  }
  // A cut that falls inside the long line moves past its end: one thread of
  // two gets the long line whole, the other the rest.
  const std::string one = d.file("one");
  testutil::writeFile(one, std::string(100, 'a') + "\nb\n");
  const auto two = partitionInputs({one}, 2, SplitAt::kLineStart);
  REQUIRE(two[0].size() == 1);
  CHECK(two[0][0].begin == 0);
  CHECK(two[0][0].end == 101);
  REQUIRE(two[1].size() == 1);
  CHECK(two[1][0].begin == 101);
  CHECK(two[1][0].end == 103);
  // No newline after the cut: that thread gets nothing.
  const std::string flat = d.file("flat");
  testutil::writeFile(flat, std::string(50, 'a'));
  const auto none = partitionInputs({flat}, 3, SplitAt::kLineStart);
  CHECK(none[0].size() == 1);
  CHECK(none[1].empty());
  CHECK(none[2].empty());
  CHECK_THROWS_AS(partitionInputs({flat, d.file("missing")}, 2, SplitAt::kLineStart), Error);
}

TEST_CASE("input_split: any-byte ranges read as tokens give every token once") {
  // The cut need not fall between tokens: the Tokenizer leaves a token that
  // straddles a cut to the range before it.
  TempDir d;
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 200; ++i) {
    const std::string w = "w" + std::to_string(i * 7919 % 1000);
    expected.push_back(w);
    text += w + (i % 9 == 8 ? "\n" : " ");
  }
  const std::string f = d.file("t.txt");
  testutil::writeFile(f, text);
  for (int n : {1, 2, 3, 7, 16}) {
    CAPTURE(n);
    std::vector<std::string> got;
    for (const auto& segs : partitionInputs({f}, n))
      for (const auto& s : segs) {
        Tokenizer tok(s.path, s.begin, s.end);
        for (Tokenizer::Kind k; (k = tok.next()) != Tokenizer::kEnd;)
          if (k == Tokenizer::kWord) got.emplace_back(tok.word());
      }
    CHECK(got == expected);
  }
}
