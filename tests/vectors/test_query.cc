// The queries of the neighbors and analogy commands, as library calls.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "subword_model.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/query.h"

using namespace wembed;
using testutil::captured;
using testutil::makeVectors;

namespace {

VectorIndex compass() {
  return VectorIndex(makeVectors({{"east", {1, 0}}, {"north", {0, 1}}, {"northeast", {1, 1}}, {"west", {-1, 0}},
                                  {"eastish", {2, 0.1f}}, {"south", {0, -3}}, {"South", {0.1f, -1}}}));
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

namespace {

// king (1,0,0), queen (1,1,0), man (0,0,1), woman (0,1,2), topic and apple;
// with subwords, "kingz" (5 of its 9 n-grams from "king", none from the
// others) points exactly where king does.
const std::vector<std::pair<std::string, std::vector<float>>> kRoyal = {
    {"king", {1, 0, 0}}, {"queen", {1, 1, 0}}, {"man", {0, 0, 1}},
    {"woman", {0, 1, 2}}, {"topic", {0.2f, -1, 0}}, {"apple", {-1, 0, 0.3f}}};

}  // namespace

TEST_CASE("query: with subwords, words outside the vocabulary are composed from n-grams and marked") {
  const VectorIndex idx(testutil::subwordModel(kRoyal));
  QueryRunner n(idx, QueryArgs{QueryKind::kNeighbors, 2, 0, AnalogyMethod::kAdd});
  const auto a = n.answer({"kingz", "king", "kingz man", "</s>"});
  REQUIRE(a.size() == 4);
  // kingz's neighbours are king's, with king itself first (the composed word is no row, so nothing to exclude).
  CHECK(a[0].answered);
  CHECK(a[0].query == "kingz (composed from n-grams)");
  CHECK(a[0].composed == std::vector<std::string>{"kingz"});
  CHECK(names(idx, a[0]) == std::vector<std::string>{"king", "queen"});
  CHECK(a[0].hits[0].score == doctest::Approx(1.0));
  CHECK(a[1].query == "king");
  CHECK(a[1].composed.empty());
  CHECK(names(idx, a[1]) == std::vector<std::string>{"queen", "topic"});
  CHECK(a[0].hits[1].score == doctest::Approx(a[1].hits[0].score));
  // Summed with a known word: that word is excluded, as always.
  CHECK(a[2].query == "kingz man (composed from n-grams: kingz)");
  CHECK(names(idx, a[2]) == std::vector<std::string>{"king", "woman"});
  // "</s>" has no n-gram: no vector, one clear reason.
  CHECK_FALSE(a[3].answered);
  CHECK(a[3].error == "'</s>' is not in the vocabulary and has no character n-gram to compose it from");
  CHECK(n.format(a[0]).rfind("kingz (composed from n-grams)\n  king ", 0) == 0);

  // man : woman :: kingz : ? is man : woman :: king : ?, queen, for both methods.
  for (AnalogyMethod m : {AnalogyMethod::kAdd, AnalogyMethod::kMul}) {
    QueryRunner q(idx, QueryArgs{QueryKind::kAnalogy, 3, 0, m});
    const auto composed = q.answer({"man", "woman", "kingz"});
    const auto known = q.answer({"man", "woman", "king"});
    REQUIRE(composed[0].answered);
    CHECK(composed[0].query == "man : woman :: kingz : ? (composed from n-grams: kingz)");
    CHECK(names(idx, composed[0]).front() == "queen");
    // king itself may now answer (it is not one of the three words); the rest agree.
    std::vector<std::string> rest;
    for (const auto& w : names(idx, composed[0]))
      if (w != "king") rest.push_back(w);
    std::vector<std::string> expected = names(idx, known[0]);
    expected.resize(rest.size());
    CHECK(rest == expected);
    CHECK(composed[0].hits[0].score == doctest::Approx(known[0].hits[0].score));
  }
}

TEST_CASE("query: without subwords the messages are today's (unknown word, case hint)") {
  const VectorIndex idx(makeVectors(kRoyal));
  QueryRunner n(idx, QueryArgs{QueryKind::kNeighbors, 2, 0, AnalogyMethod::kAdd});
  const auto a = n.answer({"kingz"});
  CHECK_FALSE(a[0].answered);
  CHECK(a[0].query == "kingz");
  CHECK(a[0].error == "'kingz' is not in the vocabulary");
  QueryRunner q(idx, QueryArgs{QueryKind::kAnalogy, 1, 0, AnalogyMethod::kAdd});
  CHECK(q.answer({"Man", "woman", "kingz"})[0].error ==
        "'Man' is not in the vocabulary (did you mean 'man'?); 'kingz' is not in the vocabulary");
  // The answers of known words do not change with subwords.
  const VectorIndex sub(testutil::subwordModel(kRoyal));
  QueryRunner qs(sub, QueryArgs{QueryKind::kAnalogy, 4, 0, AnalogyMethod::kAdd});
  const auto x = q.answer({"man", "woman", "king"});
  const auto y = qs.answer({"man", "woman", "king"});
  REQUIRE(x[0].hits.size() == 1);
  CHECK(x[0].hits[0].row == y[0].hits[0].row);
  CHECK(x[0].hits[0].score == y[0].hits[0].score);
}
