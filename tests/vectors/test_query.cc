// The queries of the neighbors and analogy commands, as library calls.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/query.h"

using namespace wembed;
using testutil::makeVectors;

namespace {

VectorIndex compass() {
  return VectorIndex(makeVectors({{"east", {1, 0}}, {"north", {0, 1}}, {"northeast", {1, 1}}, {"west", {-1, 0}},
                                  {"eastish", {2, 0.1f}}, {"south", {0, -3}}, {"South", {0.1f, -1}}}));
}

// What f writes into a FILE*.
std::string captured(const std::function<void(std::FILE*)>& f) {
  std::FILE* t = std::tmpfile();
  f(t);
  std::fflush(t);
  std::rewind(t);
  std::string s;
  for (int c; (c = std::fgetc(t)) != EOF;) s.push_back(static_cast<char>(c));
  std::fclose(t);
  return s;
}

std::vector<std::string> names(const VectorIndex& idx, const QueryAnswer& a) {
  std::vector<std::string> out;
  for (const Scored& s : a.hits) out.push_back(idx.word(s.row));
  return out;
}

}  // namespace

TEST_CASE("query: neighbours of words and of sums, in one batch; unknown words reported per query") {
  const VectorIndex idx = compass();
  QueryRunner q(idx, QueryArgs{QueryKind::kNeighbors, 2, 0, AnalogyMethod::kAdd});
  const auto a = q.answer({"east", "north east", "nowhere north", "  "});
  REQUIRE(a.size() == 4);
  CHECK(a[0].answered);
  CHECK(names(idx, a[0]) == std::vector<std::string>{"eastish", "northeast"});
  CHECK(a[1].answered);  // the sum (1, 1): northeast first; north and east themselves excluded
  CHECK(names(idx, a[1]) == std::vector<std::string>{"northeast", "eastish"});
  CHECK(a[1].hits[0].score == doctest::Approx(1.0));
  CHECK_FALSE(a[2].answered);
  CHECK(a[2].error == "'nowhere' is not in the vocabulary");
  CHECK_FALSE(a[3].answered);  // no word: nothing to answer, nothing wrong
  CHECK(a[3].error.empty());
  CHECK(q.format(a[0]) == "east\n  eastish              0.9988\n  northeast            0.7071\n");
  // --restrict 2: only east and north may answer.
  QueryRunner r(idx, QueryArgs{QueryKind::kNeighbors, 5, 2, AnalogyMethod::kAdd});
  CHECK(names(idx, r.answer({"west"})[0]) == std::vector<std::string>{"north", "east"});
}

TEST_CASE("query: analogies, with a hint for a word in another case") {
  const VectorIndex idx = compass();
  QueryRunner q(idx, QueryArgs{QueryKind::kAnalogy, 2, 0, AnalogyMethod::kAdd});
  // west : east :: south : ?  -> the query east - west + south = (2, -1) / |.|: eastish (0.87), then
  // South (0.53); west, east and south themselves are never answers.
  const auto a = q.answer({"west", "east", "south"});
  REQUIRE(a.size() == 1);
  CHECK(a[0].query == "west : east :: south : ?");
  CHECK(names(idx, a[0]) == std::vector<std::string>{"eastish", "South"});
  CHECK(a[0].hits[1].score == doctest::Approx((2 * 0.1 + 1) / std::sqrt(5.0) / std::sqrt(1.01)).epsilon(1e-5));
  const auto bad = q.answer({"West", "east", "up"});
  CHECK(bad[0].error == "'West' is not in the vocabulary (did you mean 'west'?); 'up' is not in the vocabulary");
  CHECK_THROWS_WITH_AS(q.answer({"a", "b"}), doctest::Contains("three words"), Error);
}

TEST_CASE("query: the command line prints the answers, then fails naming the unknown words") {
  const VectorIndex idx = compass();
  QueryRunner q(idx, QueryArgs{QueryKind::kNeighbors, 1, 0, AnalogyMethod::kAdd});
  std::string err;
  const std::string out = captured([&](std::FILE* f) { err = testutil::errorOf([&] { q.run({"zz", "north", "yy"}, f); }); });
  CHECK(out == "north\n  northeast            0.7071\n");
  CHECK(err == "'zz' is not in the vocabulary; 'yy' is not in the vocabulary");
  CHECK_THROWS_WITH_AS(checkQueryArgs(QueryArgs{QueryKind::kNeighbors, 0, 0, AnalogyMethod::kAdd}, {}),
                       doctest::Contains("-k"), Error);
  CHECK_THROWS_WITH_AS(checkQueryArgs(QueryArgs{QueryKind::kNeighbors, 1, -1, AnalogyMethod::kAdd}, {}),
                       doctest::Contains("--restrict"), Error);
  CHECK_THROWS_WITH_AS(checkQueryArgs(QueryArgs{QueryKind::kAnalogy, 1, 0, AnalogyMethod::kAdd}, {"a"}),
                       doctest::Contains("got 1"), Error);
}

TEST_CASE("query: the interactive prompt reads until EXIT") {
  const VectorIndex idx = compass();
  QueryRunner n(idx, QueryArgs{QueryKind::kNeighbors, 1, 0, AnalogyMethod::kAdd});
  std::istringstream in("north\n\nnowhere\nEXIT\neast\n");
  std::string err;
  const std::string out = captured([&](std::FILE* o) { err = captured([&](std::FILE* e) { n.prompt(in, o, e); }); });
  CHECK(out == "north\n  northeast            0.7071\n");
  CHECK(err.find("'nowhere' is not in the vocabulary\n") != std::string::npos);
  CHECK(err.find("Enter word or words (EXIT to quit): ") == 0);

  QueryRunner a(idx, QueryArgs{QueryKind::kAnalogy, 1, 0, AnalogyMethod::kMul});
  std::istringstream lines("west east south\nwest east\n EXIT \nnorth east west\n");
  const std::string aout = captured([&](std::FILE* o) { err = captured([&](std::FILE* e) { a.prompt(lines, o, e); }); });
  CHECK(aout.find("west : east :: south : ?\n") == 0);
  CHECK(aout.find("north : east") == std::string::npos);  // a line of only EXIT stopped the loop
  CHECK(err.find("need three words A B C, got 2") != std::string::npos);
}
