#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"
#include "wembed/matrix.h"
#include "wembed/neighbors.h"
#include "wembed/vectors.h"

using namespace wembed;
using testutil::makeVectors;

namespace {

std::vector<std::string> namesOf(const std::vector<std::pair<std::string, float>>& r) {
  std::vector<std::string> out;
  for (const auto& p : r) out.push_back(p.first);
  return out;
}
}  // namespace

TEST_CASE("neighbors: known answers in 2-d") {
  NeighborIndex idx(makeVectors({
      {"east", {1, 0}},
      {"north", {0, 1}},
      {"northeast", {1, 1}},
      {"west", {-1, 0}},
      {"eastish", {2, 0.1f}},
      {"south", {0, -3}},
  }));
  CHECK(idx.size() == 6);
  CHECK(idx.dim() == 2);
  auto r = idx.nearest("east", 3);
  REQUIRE(r.size() == 3);
  CHECK(namesOf(r) == std::vector<std::string>{"eastish", "northeast", "north"});
  CHECK(r[0].second == doctest::Approx(2.0 / std::sqrt(4.01)).epsilon(1e-5));
  CHECK(r[1].second == doctest::Approx(1.0 / std::sqrt(2.0)).epsilon(1e-5));
  CHECK(std::abs(r[2].second) < 1e-6);  // north and south tie at 0: lower index first
  // The full list: the query word is excluded, the opposite comes last.
  auto all = idx.nearest("east", 100);
  REQUIRE(all.size() == 5);
  CHECK(namesOf(all) == std::vector<std::string>{"eastish", "northeast", "north", "south", "west"});
  CHECK(all.back().second == doctest::Approx(-1.0).epsilon(1e-5));
  // Scores are sorted.
  for (size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].second >= all[i].second);
  // Cosine ignores length: "south" (0,-3) is exactly opposite "north".
  auto s = idx.nearest("north", 5);
  CHECK(s.front().first == "northeast");
  CHECK(s.back().first == "south");
  CHECK(s.back().second == doctest::Approx(-1.0).epsilon(1e-5));
  // Unknown words.
  CHECK(idx.find("nowhere") == -1);
  CHECK(idx.nearest("nowhere", 3).empty());
  CHECK(idx.find("west") == 3);
  CHECK(idx.word(3) == "west");
}

TEST_CASE("neighbors: rows are unit length; explicit query and exclusions") {
  NeighborIndex idx(makeVectors({
      {"a", {3, 4, 0}},
      {"b", {0, 0, 2}},
      {"c", {1, 1, 1}},
      {"zero", {0, 0, 0}},
  }));
  const float* a = idx.unitRow(0);
  CHECK(a[0] == doctest::Approx(0.6));
  CHECK(a[1] == doctest::Approx(0.8));
  CHECK(idx.unitRow(1)[2] == doctest::Approx(1.0));
  // A zero row stays zero (no NaN), with cosine 0 to everything.
  for (int j = 0; j < 3; ++j) CHECK(idx.unitRow(3)[j] == 0.f);
  auto z = idx.nearest("zero", 3);
  REQUIRE(z.size() == 3);
  for (auto& p : z) CHECK(p.second == 0.f);

  // Query (0,0,1) excluding b: c first (cos = 1/sqrt(3)), then a/zero at 0.
  AlignedBuffer q(idx.stride());
  q.data()[2] = 1.f;
  auto r = idx.nearest(q.data(), 2, {1});
  REQUIRE(r.size() == 2);
  CHECK(r[0].first == 2);
  CHECK(r[0].second == doctest::Approx(1.0 / std::sqrt(3.0)).epsilon(1e-5));
  auto none = idx.nearest(q.data(), 10, {0, 1, 2, 3});
  CHECK(none.empty());
  auto k0 = idx.nearest(q.data(), 0, {});
  CHECK(k0.empty());
}

TEST_CASE("neighbors: duplicate words - the first occurrence wins") {
  NeighborIndex idx(makeVectors({{"x", {1, 0}}, {"y", {0, 1}}, {"x", {0, 1}}}));
  CHECK(idx.find("x") == 0);
  auto r = idx.nearest("x", 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].first == "y");  // row 2 is also called x but points elsewhere; y wins on index
}
