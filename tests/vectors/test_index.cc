#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "subword_model.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/core/matrix.h"
#include "wembed/core/kernels.h"
#include "wembed/vectors/index.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::makeVectors;
using testutil::TempDir;

namespace {

std::vector<std::string> namesOf(const std::vector<std::pair<std::string, float>>& r) {
  std::vector<std::string> out;
  for (const auto& p : r) out.push_back(p.first);
  return out;
}
}  // namespace

TEST_CASE("index: known answers in 2-d") {
  VectorIndex idx(makeVectors({
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

TEST_CASE("index: rows are unit length; explicit query and exclusions") {
  VectorIndex idx(makeVectors({
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

  // Query (0,0,1) excluding b: c first (cos = 1/sqrt(3)), then a at 0.
  AlignedBuffer q(idx.stride());
  q.data()[2] = 1.f;
  auto r = idx.nearest(q.data(), 2, {1});
  REQUIRE(r.size() == 2);
  CHECK(r[0].row == 2);
  CHECK(r[0].score == doctest::Approx(1.0 / std::sqrt(3.0)).epsilon(1e-5));
  CHECK(r[1].row == 0);  // a at 0; the zero row is never an answer
  CHECK(r[1].score == 0.f);
  auto none = idx.nearest(q.data(), 10, {0, 1, 2, 3});
  CHECK(none.empty());
  auto k0 = idx.nearest(q.data(), 0, {});
  CHECK(k0.empty());
}

TEST_CASE("index: duplicate words - the first occurrence wins") {
  VectorIndex idx(makeVectors({{"x", {1, 0}}, {"y", {0, 1}}, {"x", {0, 1}}}));
  CHECK(idx.find("x") == 0);
  auto r = idx.nearest("x", 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].first == "y");  // row 2 is also called x but points elsewhere; y wins on index
}

TEST_CASE("index: --restrict, batches and large k agree with a brute-force ranking") {
  // 300 random words in 24-d; queries are rows of the index itself.
  std::vector<std::pair<std::string, std::vector<float>>> rows;
  uint64_t s = 12345;
  auto rnd = [&]() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>((s >> 40) & 0xFFFF) / 65536.f - 0.5f;
  };
  for (int i = 0; i < 300; ++i) {
    std::vector<float> v(24);
    for (auto& x : v) x = rnd();
    rows.emplace_back("w" + std::to_string(i), v);
  }
  rows[7].second = rows[3].second;  // a tie: equal scores go to the lower row
  VectorIndex idx(makeVectors(rows));
  auto brute = [&](int32_t qrow, int k, int32_t restrict, const std::vector<int32_t>& ex) {
    std::vector<std::pair<int32_t, float>> all;
    for (int32_t r = 0; r < restrict; ++r)
      if (std::find(ex.begin(), ex.end(), r) == ex.end()) all.emplace_back(r, dot(idx.unitRow(qrow), idx.unitRow(r), idx.stride()));
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    all.resize(std::min<size_t>(all.size(), static_cast<size_t>(k)));
    return all;
  };
  const std::vector<int32_t> queries = {0, 3, 150, 299};
  Matrix q(static_cast<int64_t>(queries.size()), idx.dim());
  std::vector<std::vector<int32_t>> ex;
  for (size_t i = 0; i < queries.size(); ++i) {
    std::memcpy(q.row(static_cast<int64_t>(i)), idx.unitRow(queries[i]), sizeof(float) * idx.stride());
    ex.push_back({queries[i]});
  }
  for (int k : {1, 5, 64, 65, 1000}) {
    for (int32_t restrict : {10, 100, 300}) {
      CAPTURE(k);
      CAPTURE(restrict);
      const auto got = idx.nearestBatch(q, k, ex, restrict);
      REQUIRE(got.size() == queries.size());
      for (size_t i = 0; i < queries.size(); ++i) {
        const auto want = brute(queries[i], k, restrict, ex[i]);
        REQUIRE(got[i].size() == want.size());
        for (size_t j = 0; j < want.size(); ++j) {
          CHECK(got[i][j].row == want[j].first);
          CHECK(got[i][j].score == doctest::Approx(want[j].second).epsilon(1e-5));
        }
        for (const auto& h : got[i]) CHECK(h.row < restrict);
      }
    }
  }
  // One exclusion list for every query; none at all; by word with restrict.
  const auto shared = idx.nearestBatch(q, 3, {{0, 1, 2}}, 0);
  for (const auto& hits : shared)
    for (const auto& h : hits) CHECK(h.row > 2);
  const auto none = idx.nearestBatch(q, 1, {}, 0);
  CHECK(none[1].front().row == 3);  // the query row itself, unexcluded
  const auto byWord = idx.nearest("w3", 2, 50);
  REQUIRE(byWord.size() == 2);
  CHECK(byWord[0].first == "w7");  // the identical vector
  CHECK(byWord[0].second == doctest::Approx(1.0));
}

TEST_CASE("index: the CLI reads every format, with --restrict, --limit and summed words") {
  TempDir d;
  const auto v = makeVectors({{"east", {1, 0}}, {"north", {0, 1}}, {"northeast", {1, 1}}, {"west", {-1, 0}},
                              {"eastish", {2, 0.1f}}, {"south", {0, -3}}});
  saveVectors(d.file("v.wev"), v, VectorFormat::kNative);
  saveVectors(d.file("v.glove"), v, VectorFormat::kGlove);
  const std::string bin = std::string("'") + WEMBED_BIN + "' neighbors ";
  for (const char* f : {"v.wev", "v.glove"}) {
    auto r = testutil::run(bin + d.file(f) + " east -k 2", d.path());
    CHECK(r.status == 0);
    CHECK(testutil::nonEmptyLines(r.out) == std::vector<std::string>{"east", "  eastish              0.9988",
                                                                     "  northeast            0.7071"});
  }
  // --restrict 2: only east and north may answer.
  auto r = testutil::run(bin + d.file("v.wev") + " west --restrict 2 -k 5", d.path());
  CHECK(testutil::nonEmptyLines(r.out) == std::vector<std::string>{"west", "  north                0.0000",
                                                                   "  east                 -1.0000"});
  // --limit 3: "west" is not loaded, and the message says so plainly.
  r = testutil::run(bin + d.file("v.glove") + " west --limit 3", d.path());
  testutil::checkError(r, "neighbors", "'west' is not in the vocabulary");
  // Several queries in one batch; a quoted query sums its words.
  r = testutil::run(bin + d.file("v.wev") + " 'north east' south -k 1", d.path());
  CHECK(r.status == 0);
  CHECK(testutil::nonEmptyLines(r.out) == std::vector<std::string>{"north east", "  northeast            1.0000",
                                                                   "south", "  east                 0.0000"});
  // The interactive prompt.
  r = testutil::run("printf 'north\\nnowhere\\nEXIT\\n' | " + bin + d.file("v.wev") + " -k 1", d.path());
  CHECK(r.status == 0);
  CHECK(r.out.find("northeast") != std::string::npos);
  CHECK(r.err.find("'nowhere' is not in the vocabulary") != std::string::npos);
  // --format forces a reader; a bad --restrict / --limit is one error line.
  r = testutil::run(bin + d.file("v.glove") + " east --format native", d.path());
  testutil::checkError(r, "neighbors", "bad magic");
  r = testutil::run(bin + d.file("v.wev") + " east --limit -1", d.path());
  CHECK(r.status == 1);
  r = testutil::run(bin + d.file("v.wev") + " east --restrict -1", d.path());
  CHECK(r.status == 1);
}

TEST_CASE("index: one duplicate-word rule (gensim's) for neighbours, evaluation and the commands") {
  // "x" twice: the second row (almost y) is dropped with its word, as
  // gensim's load_word2vec_format drops it, and the rows after it move up.
  const auto rows = std::vector<std::pair<std::string, std::vector<float>>>{
      {"x", {1, 0, 0}}, {"y", {0, 1, 0}}, {"x", {0, 1, 0.01f}}, {"z", {0.9f, 0.1f, 0}}, {"w", {0, 0, 1}}};
  const WordIndex words(makeVectors(rows).words);
  CHECK(words.size() == 4);
  CHECK(words.dropped() == 1);
  CHECK(words.find("x") == 0);
  CHECK(words.find("z") == 2);
  CHECK(words.sourceRow(2) == 3);  // z came from row 4
  VectorIndex idx(makeVectors(rows));
  CHECK(idx.size() == 4);
  CHECK(idx.duplicatesDropped() == 1);
  CHECK(idx.word(2) == "z");
  // Neighbours of y: the dropped x (cosine 0.99995 to y) is no answer, z is first.
  const auto nn = idx.nearest("y", 3);
  REQUIRE(nn.size() == 3);
  CHECK(nn[0].first == "z");
  CHECK(namesOf(nn) == std::vector<std::string>{"z", "x", "w"});
  CHECK(nn[1].second == 0.f);  // the first x: (1, 0, 0)

  // The same rule in the commands: neighbors and eval read the file alike.
  TempDir d;
  saveVectors(d.file("v.txt"), makeVectors(rows), VectorFormat::kWord2vecText);
  testutil::writeFile(d.file("p.tsv"), "x\ty\t1\nx\tz\t2\nx\tw\t1.5\n");
  const std::string bin = std::string("'") + WEMBED_BIN + "' ";
  auto r = testutil::run(bin + "neighbors " + d.file("v.txt") + " y -k 1", d.path());
  CHECK(testutil::nonEmptyLines(r.out) == std::vector<std::string>{"y", "  z                    0.1104"});
  r = testutil::run(bin + "neighbors " + d.file("v.txt") + " x -k 3", d.path());
  CHECK(testutil::nonEmptyLines(r.out) ==
        std::vector<std::string>{"x", "  z                    0.9939", "  y                    0.0000",
                                 "  w                    0.0000"});
  // eval: x is (1, 0, 0): cosines 0 (y), 0.994 (z), 0 (w) against 1, 2, 1.5;
  // with the dropped x they would be 0.99995, 0.11, 0.01 (Spearman -0.5).
  r = testutil::run(bin + "eval " + d.file("v.txt") + " --similarity " + d.file("p.tsv") + " --json", d.path());
  CHECK(r.status == 0);
  CHECK(r.out.find("\"words\": 4") != std::string::npos);
  CHECK(r.out.find("\"duplicates_dropped\": 1") != std::string::npos);
  CHECK(r.out.find("\"spearman\": 0.8660254037844") != std::string::npos);
}

TEST_CASE("index: with subwords, any word with n-grams has a unit vector; without, only the vocabulary") {
  const auto rows = std::vector<std::pair<std::string, std::vector<float>>>{
      {"topic", {3, 0, 0}}, {"apple", {0, 2, 0}}, {"zebra", {0, 0.5f, 0.5f}}};
  const VectorIndex idx(testutil::subwordModel(rows));
  REQUIRE(idx.hasSubwords());
  CHECK(idx.subwords()->args.maxn == 4);
  AlignedBuffer u(idx.stride());
  bool composed = true;
  // A word of the vocabulary: its unit row, not composed.
  REQUIRE(idx.unitVector("apple", u.data(), &composed));
  CHECK_FALSE(composed);
  CHECK(std::memcmp(u.data(), idx.unitRow(1), sizeof(float) * idx.stride()) == 0);
  // "topics" shares 7 of its 11 n-grams with "topic" and none with the others:
  // 7/11 of topic's vector, at unit length exactly topic's direction.
  REQUIRE(idx.unitVector("topics", u.data(), &composed));
  CHECK(composed);
  CHECK(u.data()[0] == doctest::Approx(1.0));
  CHECK(u.data()[1] == 0.f);
  CHECK(dot(u.data(), idx.unitRow(0), idx.stride()) == doctest::Approx(1.0));
  // No n-gram in common: a zero vector, still composed (fastText's answer too).
  REQUIRE(idx.unitVector("qqq", u.data(), &composed));
  CHECK(composed);
  for (int j = 0; j < idx.stride(); ++j) CHECK(u.data()[j] == 0.f);
  // No n-gram at all ("</s>"; or a word shorter than minn with its '<' '>').
  CHECK_FALSE(idx.unitVector("</s>", u.data(), &composed));
  CHECK_FALSE(composed);
  const VectorIndex long_grams(testutil::subwordModel(rows, SubwordArgs{5, 6, 4096}));
  CHECK_FALSE(long_grams.unitVector("ab", u.data()));
  CHECK(long_grams.unitVector("abc", u.data()));  // "<abc>"

  const VectorIndex plain(makeVectors(rows));
  CHECK_FALSE(plain.hasSubwords());
  CHECK(plain.subwords() == nullptr);
  CHECK_FALSE(plain.unitVector("topics", u.data(), &composed));
  CHECK_FALSE(composed);
  CHECK(u.data()[0] == 0.f);
  CHECK(plain.unitVector("topic", u.data()));
  CHECK(u.data()[0] == doctest::Approx(1.0));
}

TEST_CASE("index: the subwords kept for queries leave the own rows and output layer behind") {
  const auto rows = std::vector<std::pair<std::string, std::vector<float>>>{{"topic", {1, 0}}, {"apple", {0, 1}}};
  Vectors v = testutil::subwordModel(rows);
  v.subwords->own = Matrix(2, 2);
  v.subwords->output = Matrix(2, 2);
  const VectorIndex idx(std::move(v));
  REQUIRE(idx.hasSubwords());
  CHECK(idx.subwords()->own.rows() == 0);
  CHECK(idx.subwords()->output.rows() == 0);
  CHECK(idx.subwords()->buckets.rows() == 4096);
  // Held elsewhere too: left as it is (nothing is copied, nothing taken from the other holder).
  Vectors w = testutil::subwordModel(rows);
  w.subwords->output = Matrix(2, 2);
  const std::shared_ptr<Subwords> other = w.subwords;
  const VectorIndex idx2(std::move(w));
  CHECK(other->output.rows() == 2);
  CHECK(idx2.subwords() == other.get());
  CHECK(composingSubwords(nullptr) == nullptr);
  // n-gram rows of another length than the words' are refused.
  Vectors bad = testutil::subwordModel(rows);
  bad.subwords->buckets = Matrix(8, 3);
  CHECK_THROWS_AS(VectorIndex(std::move(bad)), Error);
}
