#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "subword_model.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/evaluate.h"
#include "wembed/core/matrix.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::errorOf;
using testutil::TempDir;
using testutil::makeVectors;

namespace {

using Rows = std::vector<std::pair<std::string, std::vector<float>>>;


// word2vec text format.
std::string vectorText(const Rows& rows) {
  std::string s = std::to_string(rows.size()) + " " + std::to_string(rows.front().second.size()) + "\n";
  for (const auto& [w, v] : rows) {
    s += w;
    for (float x : v) s += " " + std::to_string(x);
    s += "\n";
  }
  return s;
}

std::vector<std::string> namesOf(const VectorIndex& e, const std::vector<Scored>& r) {
  std::vector<std::string> out;
  for (const auto& s : r) out.push_back(e.word(s.row));
  return out;
}

// 3CosAdd and 3CosMul disagree here (all values checked against gensim 4.2):
// a, b, c orthonormal, so 3CosAdd scores x by (x.b + x.c - x.a) / sqrt(3)
//   x1: cos to b -0.3, to c 0.95, to a 0 -> 0.65 / sqrt(3) = 0.375278  (3CosAdd's answer)
//   x2: cos to b  0.3, to c 0.3,  to a 0 -> 0.60 / sqrt(3) = 0.346410
// and 3CosMul by ((1+cos_b)/2 * (1+cos_c)/2) / ((1+cos_a)/2 + 1e-6)
//   x1: 0.35 * 0.975 / 0.500001 = 0.682499
//   x2: 0.65 * 0.65  / 0.500001 = 0.844998                          (3CosMul's answer)
const Rows kAddMul = {
    {"a", {0, 0, 0, 1}},
    {"b", {1, 0, 0, 0}},
    {"c", {0, 1, 0, 0}},
    {"x1", {-0.3f, 0.95f, static_cast<float>(std::sqrt(1 - 0.09 - 0.9025)), 0}},
    {"x2", {0.3f, 0.3f, static_cast<float>(std::sqrt(1 - 0.18)), 0}},
};

// Royals: "King" (row 0) is the more frequent variant of KING, "king" (row 5)
// points elsewhere, "WOMAN" (row 6) is a rare variant of WOMAN.
// man : King :: woman : ?  -> query (1/sqrt2 - 1, 1, 1/sqrt2) / |.|:
//   queen (0,1,1) scores (1 + 0.7071) / sqrt2 / |q| = 0.9585, prince (0,1,-1) 0.1644.
// With "king" as B the query would be (-0.293, 1, -0.707) and prince would win.
// "WOMAN" lies on the query (cosine 1): it is not excluded by row (WOMAN's
// row is "woman"), but gensim skips it by name and answers queen.
const Rows kRoyals = {
    {"King", {1, 0, 1}},
    {"man", {1, 0, 0}},
    {"woman", {0, 1, 0}},
    {"queen", {0, 1, 1}},
    {"prince", {0, 1, -1}},
    {"king", {1, 0, -1}},
    {"WOMAN", {-0.29289322f, 1, 0.70710678f}},
};
const char* kRoyalQuestions =
    ": royals\n"
    "man King woman queen\n"
    "MAN KING WOMAN prince\n"
    "\n"
    ": gram-test\r\n"
    "man king zebra queen\n"
    "  man\tking woman Queen  \r\n";

std::string writeTemp(const TempDir& d, const std::string& name, const std::string& content) {
  testutil::writeFile(d.file(name), content);
  return d.file(name);
}

}  // namespace

TEST_CASE("evaluate: Python-compatible upper-casing and splitting") {
  CHECK(upperCase("paris") == "PARIS");
  CHECK(upperCase("Mixed_Case-1") == "MIXED_CASE-1");
  CHECK(upperCase("naïve") == "NAÏVE");
  CHECK(upperCase("straße") == "STRASSE");        // full mapping: one letter becomes two
  CHECK(upperCase("\xEF\xAC\x81x") == "FIX");      // U+FB01 ligature fi
  CHECK(upperCase("\xC4\xB1") == "I");             // dotless i
  CHECK(upperCase("ǆ") == "Ǆ");
  CHECK(upperCase("москва") == "МОСКВА");
  CHECK(upperCase("ᾳ") == "ΑΙ");
  CHECK(upperCase("日本") == "日本");
  CHECK(upperCase("a\xFFz\xC3") == "A\xFFZ\xC3");  // invalid UTF-8 bytes kept
  CHECK(upperCase("") == "");
  CHECK(splitWhitespace("  a\tb\r\n") == std::vector<std::string>{"a", "b"});
  CHECK(splitWhitespace("x\xC2\xA0y\xE3\x80\x80z\x1Fw") == std::vector<std::string>{"x", "y", "z", "w"});
  CHECK(splitWhitespace(" \t ").empty());
  CHECK(splitWhitespace("caf\xC3\xA9 ok") == std::vector<std::string>{"caf\xC3\xA9", "ok"});
}

TEST_CASE("evaluate: the index drops repeated words, normalises rows, keeps zero rows out") {
  VectorIndex e(makeVectors({{"a", {3, 4}}, {"b", {0, 2}}, {"a", {1, 0}}, {"z", {0, 0}}, {"c", {-1, 0}}}));
  CHECK(e.size() == 4);  // the second "a" is dropped and the rows after it move up (gensim's loader)
  CHECK(e.duplicatesDropped() == 1);
  CHECK(e.find("a") == 0);
  CHECK(e.find("z") == 2);
  CHECK(e.find("c") == 3);
  CHECK(e.find("A") == -1);
  CHECK(e.unitRow(0)[0] == doctest::Approx(0.6));
  CHECK(e.unitRow(0)[1] == doctest::Approx(0.8));
  CHECK(e.isZero(2));
  CHECK_FALSE(e.isZero(0));
  CHECK(e.cosine(0, 1) == doctest::Approx(0.8));
  CHECK(e.cosine(0, 3) == doctest::Approx(-0.6));
  // A zero row is never an answer (gensim's 0/0 ranks it last).
  auto r = analogy(e, e.find("b"), e.find("b"), e.find("c"), 10);
  CHECK(namesOf(e, r) == std::vector<std::string>{"a"});
}

TEST_CASE("evaluate: FoldedVocab - the more frequent case variant wins, within the restriction") {
  VectorIndex e(makeVectors(kRoyals));
  FoldedVocab all(e, 0);
  CHECK(all.restrict() == 7);
  CHECK(all.find("king") == 0);
  CHECK(all.find("KING") == 0);
  CHECK(all.find("kInG") == 0);
  CHECK(all.group(5) == 0);
  CHECK(all.group(0) == 0);
  CHECK(all.find("woman") == 2);
  CHECK(all.group(6) == 2);
  CHECK(all.find("zebra") == -1);
  FoldedVocab top3(e, 3);
  CHECK(top3.restrict() == 3);
  CHECK(top3.find("queen") == -1);
  CHECK(top3.find("Woman") == 2);
  CHECK(FoldedVocab(e, 1000).restrict() == 7);
}

TEST_CASE("evaluate: 3CosAdd and 3CosMul known answers; query words excluded") {
  VectorIndex e(makeVectors(kAddMul));
  const int32_t a = e.find("a"), b = e.find("b"), c = e.find("c");
  auto add = analogy(e, a, b, c, 5, AnalogyMethod::kAdd);
  REQUIRE(add.size() == 2);  // only x1 and x2: a, b, c never come back
  CHECK(namesOf(e, add) == std::vector<std::string>{"x1", "x2"});
  CHECK(add[0].score == doctest::Approx(0.65 / std::sqrt(3.0)).epsilon(1e-5));
  CHECK(add[1].score == doctest::Approx(0.60 / std::sqrt(3.0)).epsilon(1e-5));
  auto mul = analogy(e, a, b, c, 5, AnalogyMethod::kMul);
  REQUIRE(mul.size() == 2);
  CHECK(namesOf(e, mul) == std::vector<std::string>{"x2", "x1"});
  CHECK(mul[0].score == doctest::Approx(0.65 * 0.65 / 0.500001).epsilon(1e-5));
  CHECK(mul[1].score == doctest::Approx(0.35 * 0.975 / 0.500001).epsilon(1e-5));
  // k limits; restrict limits the answers (x2 is row 4).
  CHECK(analogy(e, a, b, c, 1, AnalogyMethod::kMul).size() == 1);
  CHECK(namesOf(e, analogy(e, a, b, c, 5, AnalogyMethod::kMul, 4)) == std::vector<std::string>{"x1"});
  CHECK(analogy(e, a, b, c, 5, AnalogyMethod::kAdd, 3).empty());
  CHECK(parseAnalogyMethod("add") == AnalogyMethod::kAdd);
  CHECK(parseAnalogyMethod("mul") == AnalogyMethod::kMul);
  CHECK_THROWS_AS(parseAnalogyMethod("sub"), Error);

  VectorIndex roy(makeVectors(kRoyals));
  auto q = analogy(roy, roy.find("man"), roy.find("King"), roy.find("woman"), 10);
  REQUIRE(q.size() == 4);
  CHECK(roy.word(q[0].row) == "WOMAN");  // the rare variant is only excluded by name, in evaluation
  CHECK(q[0].score == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(roy.word(q[1].row) == "queen");
  CHECK(q[1].score == doctest::Approx(0.9585).epsilon(1e-3));
  for (const auto& s : q) CHECK(roy.word(s.row) != "man");
}

TEST_CASE("evaluate: analogyBatch equals a brute-force top-k across tiles and blocks") {
  // More rows than a block (256) and more questions than a tile (128).
  std::mt19937 rng(7);
  std::normal_distribution<float> g;
  Rows rows;
  for (int i = 0; i < 700; ++i) {
    std::vector<float> v(20);
    for (auto& x : v) x = g(rng);
    rows.emplace_back("w" + std::to_string(i), v);
  }
  VectorIndex e(makeVectors(rows));
  const int n = 300, k = 7, restrict = 650;
  std::vector<int32_t> abc;
  std::uniform_int_distribution<int32_t> pick(0, 699);
  for (int i = 0; i < 3 * n; ++i) abc.push_back(pick(rng));
  std::vector<Scored> out(static_cast<size_t>(n) * k);
  analogyBatch(e, abc.data(), n, k, restrict, out.data());
  int mismatches = 0;
  for (int q = 0; q < n; ++q) {
    const int32_t a = abc[3 * q], b = abc[3 * q + 1], c = abc[3 * q + 2];
    std::vector<double> qv(20);
    double nn = 0;
    for (int j = 0; j < 20; ++j) {
      qv[j] = static_cast<double>(e.unitRow(b)[j]) + e.unitRow(c)[j] - e.unitRow(a)[j];
      nn += qv[j] * qv[j];
    }
    std::vector<std::pair<double, int32_t>> all;
    for (int32_t r = 0; r < restrict; ++r) {
      if (r == a || r == b || r == c) continue;
      double s = 0;
      for (int j = 0; j < 20; ++j) s += qv[j] * e.unitRow(r)[j];
      all.emplace_back(-s / std::sqrt(nn), r);
    }
    std::sort(all.begin(), all.end());
    for (int j = 0; j < k; ++j) {
      mismatches += out[q * k + j].row != all[j].second;
      CHECK(out[q * k + j].score == doctest::Approx(-all[j].first).epsilon(1e-4));
    }
    // The single-question entry point gives the same answers.
    if (q < 5) {
      auto one = analogy(e, a, b, c, k, AnalogyMethod::kAdd, restrict);
      for (int j = 0; j < k; ++j) CHECK(one[j].row == out[q * k + j].row);
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("evaluate: analogy evaluation - case-insensitive, variants, OOV and restriction") {
  TempDir d;
  VectorIndex e(makeVectors(kRoyals));
  const std::string qf = writeTemp(d, "q.txt", kRoyalQuestions);
  AnalogySet set = readAnalogies(qf);
  REQUIRE(set.sections == std::vector<std::string>{"royals", "gram-test"});
  REQUIRE(set.questions.size() == 4);
  CHECK(set.questions[0].a == "MAN");
  CHECK(set.questions[0].b == "KING");
  CHECK(set.questions[3].expected == "QUEEN");
  CHECK(set.questions[3].section == 1);
  CHECK(set.questions[3].line == 7);

  // Numbers as gensim's evaluate_word_analogies gives them on these files.
  AnalogyReport r = evaluateAnalogies(e, set, 30000);
  CHECK(r.restrict == 7);
  REQUIRE(r.sections.size() == 2);
  CHECK(r.sections[0].name == "royals");
  CHECK_FALSE(r.sections[0].syntactic());
  CHECK(r.sections[1].syntactic());
  CHECK(r.sections[0].counts.correct == 1);   // queen right; prince wrong
  CHECK(r.sections[0].counts.answered == 2);
  CHECK(r.sections[0].counts.skipped == 0);
  CHECK(r.sections[1].counts.correct == 1);   // Queen right (case-insensitive)
  CHECK(r.sections[1].counts.answered == 1);
  CHECK(r.sections[1].counts.skipped == 1);   // zebra
  CHECK(r.semantic.correct == 1);
  CHECK(r.semantic.answered == 2);
  CHECK(r.syntactic.correct == 1);
  CHECK(r.syntactic.answered == 1);
  CHECK(r.total.correct == 2);
  CHECK(r.total.answered == 3);
  CHECK(r.total.skipped == 1);
  CHECK(r.total.accuracy() == doctest::Approx(2.0 / 3));
  // Per question (the Python module's gensim lists): right, wrong, skipped (zebra), right.
  std::vector<int8_t> outcomes;
  evaluateAnalogies(e, set, 30000, &outcomes);
  CHECK(outcomes == std::vector<int8_t>{1, 0, -1, 1});

  // Without WOMAN (row 6) among the candidates, queen comes first anyway.
  r = evaluateAnalogies(e, set, 6);
  CHECK(r.total.correct == 2);
  CHECK(r.total.answered == 3);
  // Restricted to King, man, woman: every question has a word outside.
  r = evaluateAnalogies(e, set, 3);
  CHECK(r.total.answered == 0);
  CHECK(r.total.skipped == 4);
  CHECK(r.total.accuracy() == 0.0);
}

TEST_CASE("evaluate: when every answer is a variant of A, B or C, the last one stands (gensim)") {
  // x y x ?: the query is unit(y); x and y are excluded by row, X (0.8) and
  // Y (0.0995) remain, both variants of query words, so the prediction is
  // the last of them, Y.
  TempDir d;
  VectorIndex e(makeVectors({{"x", {1, 0}}, {"y", {0, 1}}, {"X", {0.6f, 0.8f}}, {"Y", {-1, 0.1f}}}));
  AnalogySet set = readAnalogies(writeTemp(d, "q.txt", ": s\nx y x y\nx y x x\ny x y x\n"));
  AnalogyReport r = evaluateAnalogies(e, set, 30000);
  CHECK(r.total.answered == 3);
  CHECK(r.total.correct == 1);
}

TEST_CASE("evaluate: analogy file errors") {
  TempDir d;
  auto err = [&](const std::string& content) {
    return errorOf([&] { readAnalogies(writeTemp(d, "bad.txt", content)); });
  };
  CHECK(err(": s\na b c\n").find("line 2") != std::string::npos);
  CHECK(err(": s\na b c\n").find("four words") != std::string::npos);
  CHECK(err(": s\na b c d\na b c d e\n").find("line 3") != std::string::npos);
  CHECK(err("a b c d\n").find("section") != std::string::npos);
  CHECK(errorOf([&] { readAnalogies(d.file("missing.txt")); }).find("missing.txt") != std::string::npos);
  // Blank lines and a file without a final newline are fine.
  AnalogySet s = readAnalogies(writeTemp(d, "ok.txt", "\n: one\n\n a b c d"));
  CHECK(s.questions.size() == 1);
  CHECK(s.sections == std::vector<std::string>{"one"});
}

TEST_CASE("evaluate: Spearman and Pearson against hand-computed values, ties averaged") {
  CHECK(averageRanks({10, 20, 20, 30}) == std::vector<double>{1, 2.5, 2.5, 4});
  CHECK(averageRanks({3, 1, 3, 3, 2}) == std::vector<double>{4, 1, 4, 4, 2});
  CHECK(averageRanks({}).empty());
  // ranks x = 1, 2.5, 2.5, 4; y = 1, 3, 2, 4: r = 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10)
  CHECK(spearman({1, 2, 2, 3}, {1, 3, 2, 4}) == doctest::Approx(3 / std::sqrt(10.0)).epsilon(1e-12));
  CHECK(spearman({1, 2, 3, 4, 5}, {2, 4, 8, 16, 32}) == doctest::Approx(1.0));
  CHECK(spearman({1, 2, 3}, {3, 2, 1}) == doctest::Approx(-1.0));
  // Ties on both sides: x ranks 1.5 1.5 3 4, y ranks 1 2.5 2.5 4:
  // dx = -1, -1, .5, 1.5; dy = -1.5, 0, 0, 1.5 -> 3.75 / sqrt(4.5 * 4.5)
  CHECK(spearman({5, 5, 6, 7}, {0.1, 0.2, 0.2, 0.9}) == doctest::Approx(3.75 / 4.5).epsilon(1e-12));
  CHECK(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));  // constant input
  CHECK(std::isnan(spearman({1}, {2})));
  CHECK(std::isnan(spearman({1, 2, std::nan("")}, {1, 2, 3})));
  // Pearson: x = 1, 2, 3; y = 1, 2, 4: sxy = 3, sxx = 2, syy = 4.667 -> 3 / sqrt(9.333)
  CHECK(pearson({1, 2, 3}, {1, 2, 4}) == doctest::Approx(3 / std::sqrt(2 * 14 / 3.0)).epsilon(1e-12));
  CHECK(std::isnan(pearson({1, 2}, {3, 3})));
}

TEST_CASE("evaluate: word pairs - OOV, case, restriction, comments, errors") {
  TempDir d;
  VectorIndex e(makeVectors(kRoyals));
  const std::string pf = writeTemp(d, "pairs.tsv",
                                   "# comment\n"
                                   "KING\tqueen\t8.5\r\n"
                                   "man\twoman\t 7 \n"
                                   "\n"
                                   "king\tzebra\t3\n"
                                   " man\tqueen\t1\n"  // " man" keeps its space (as gensim): unknown
                                   "prince\tKing\t2.5e0\n"
                                   "woman\tqueen\t1_0");
  auto pairs = readWordPairs(pf);
  REQUIRE(pairs.size() == 6);
  CHECK(pairs[0].w1 == "KING");
  CHECK(pairs[0].score == 8.5);
  CHECK(pairs[1].score == 7);
  CHECK(pairs[3].w1 == " man");
  CHECK(pairs[5].score == 10);
  CHECK(pairs[5].line == 8);
  PairsReport r = evaluateWordPairs(e, pairs);
  CHECK(r.pairs == 4);
  CHECK(r.oov == 2);
  CHECK(r.oovRatio() == doctest::Approx(100.0 / 3));
  // model: KING~queen 0.5, man~woman 0, prince~King -0.5, woman~queen 0.7071;
  // gold 8.5, 7, 2.5, 10 -> ranks 3 2 1 4 both ways.
  CHECK(r.spearman == doctest::Approx(1.0));
  // Restricted to the first 4 words, prince (row 4) is unknown too.
  r = evaluateWordPairs(e, pairs, 4);
  CHECK(r.pairs == 3);
  CHECK(r.oov == 3);

  auto err = [&](const std::string& content) {
    return errorOf([&] { readWordPairs(writeTemp(d, "bad.tsv", content)); });
  };
  CHECK(err("a\tb\t1\nc\td\tx7\n").find("line 2") != std::string::npos);
  CHECK(err("a\tb\t1\nc\td\tx7\n").find("not a number") != std::string::npos);
  CHECK(err("a\tb\t\n").find("not a number") != std::string::npos);
  CHECK(err("a\tb\t0x10\n").find("not a number") != std::string::npos);
  CHECK(err("a b 1\n").find("field") != std::string::npos);
  CHECK(err("a\tb\t1\t2\n").find("field") != std::string::npos);
  CHECK(errorOf([&] { readWordPairs(d.file("nope.tsv")); }).find("nope.tsv") != std::string::npos);
}

TEST_CASE("evaluate: Python-compatible lower-casing (the shared scorer's str.lower)") {
  CHECK(lowerCase("KING Queen") == "king queen");
  CHECK(lowerCase("ÉTÉ") == "été");
  CHECK(lowerCase("İx") == "i\xCC\x87x");  // one code point to two
  CHECK(lowerCase("ΟΔΟΣ") == "οδος");       // a final capital sigma
  CHECK(lowerCase("ΣΟΦΟΣ.") == "σοφος.");   // ... also before a non-letter
  CHECK(lowerCase("ΑΣ'Α") == "ασ'α");        // an apostrophe is case-ignorable: not final
  CHECK(lowerCase("Σ") == "σ");             // no cased letter before it
  CHECK(lowerCase("ǅ") == "ǆ");             // a title-case letter
  CHECK(lowerCase("\xFF" "A") == "\xFF" "a");  // not UTF-8: the byte is kept
}

TEST_CASE("evaluate: with subwords, every pair is also scored, unknown words through their n-grams") {
  // king (1,0,0), queen (1,1,0), man (0,0,1), woman (0,0.5,1); "kingz" is composed exactly
  // along king (5 of its 9 n-grams are king's); "zz" shares no n-gram: a zero vector, cosine 0.
  const Rows rows = {{"king", {1, 0, 0}}, {"queen", {1, 1, 0}}, {"man", {0, 0, 1}}, {"woman", {0, 0.5f, 1}}};
  const std::vector<WordPair> pairs = {{"king", "queen", 9, 1}, {"KINGZ", "woman", 2, 2}, {"man", "WOMAN", 8, 3},
                                       {"man", "king", 1, 4},   {"zz", "queen", 5, 5},     {"kingz", "queen", 6, 6}};
  const VectorIndex e(testutil::subwordModel(rows));
  const PairsReport r = evaluateWordPairs(e, pairs);
  // gensim's number is unchanged: case-insensitive, pairs with an unknown word skipped.
  CHECK(r.pairs == 3);
  CHECK(r.oov == 3);
  const VectorIndex plain(makeVectors(rows));
  const PairsReport p = evaluateWordPairs(plain, pairs);
  CHECK(p.spearman == r.spearman);
  CHECK_FALSE(p.subwords);
  // Every pair, lower-cased (WOMAN -> woman is in the vocabulary; KINGZ -> kingz is composed):
  // cosines 1/sqrt(2), 0, 1/sqrt(1.25), 0, 0, 1/sqrt(2).
  REQUIRE(r.subwords);
  CHECK(r.all_pairs == 6);
  CHECK(r.composed == 3);
  const double c = 1 / std::sqrt(2.0), w = 1 / std::sqrt(1.25);
  CHECK(r.spearman_all == doctest::Approx(spearman({9, 2, 8, 1, 5, 6}, {c, 0, w, 0, 0, c})));
  // The in-vocabulary figure would have been 1 (ranks agree); with all pairs it is lower.
  CHECK(r.spearman_all < 0.9);
}

// --- the command line -----------------------------------------------------------

namespace {
using testutil::kBin;
using testutil::runWembed;
using testutil::checkError;
}  // namespace

TEST_CASE("evaluate: wembed eval - table, JSON and errors") {
  TempDir d;
  const std::string vec = writeTemp(d, "v.txt", vectorText(kRoyals));
  const std::string qf = writeTemp(d, "q.txt", kRoyalQuestions);
  const std::string pf = writeTemp(d, "p.tsv", "king\tqueen\t8\nman\twoman\t7\nqueen\tprince\t1\nman\tzebra\t2\n");
  auto r = runWembed("eval " + vec + " --analogy " + qf + " --similarity " + pf + " --json", d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\"total\": {\"correct\": 2, \"answered\": 3, \"skipped\": 1, \"accuracy\": 0.6666666666666666}") !=
        std::string::npos);
  CHECK(r.out.find("{\"name\": \"gram-test\", \"correct\": 1, \"answered\": 1, \"skipped\": 1") != std::string::npos);
  CHECK(r.out.find("\"pairs\": 3, \"oov\": 1") != std::string::npos);
  CHECK(testutil::nonEmptyLines(r.out).size() == 1);
  r = runWembed("eval " + vec + " --analogy " + qf + " --similarity " + pf + " --similarity " + pf, d);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("royals") != std::string::npos);
  CHECK(r.out.find("66.67%") != std::string::npos);
  CHECK(r.out.find("spearman") != std::string::npos);
  r = runWembed("eval --help", d);
  CHECK(r.status == 0);
  for (const char* opt : {"--analogy", "--similarity", "--restrict", "--json"}) CHECK(r.out.find(opt) != std::string::npos);

  checkError(runWembed("eval " + vec, d), "eval", "--analogy");
  checkError(runWembed("eval --analogy " + qf, d), "eval", "vector file");
  checkError(runWembed("eval " + d.file("none.bin") + " --analogy " + qf, d), "eval", "none.bin");
  checkError(runWembed("eval " + vec + " --analogy " + d.file("none.txt"), d), "eval", "none.txt");
  checkError(runWembed("eval " + vec + " --similarity " + d.file("none.tsv"), d), "eval", "none.tsv");
  checkError(runWembed("eval " + vec + " --analogy " + writeTemp(d, "b.txt", ": s\na b c\n"), d), "eval",
                    "line 2");
  checkError(runWembed("eval " + vec + " --similarity " + writeTemp(d, "b.tsv", "a\tb\tlots\n"), d), "eval",
                    "not a number");
  checkError(runWembed("eval " + vec + " --analogy " + qf + " --restrict -1", d), "eval", "--restrict");
}

TEST_CASE("evaluate: wembed analogy - answers, methods, unknown words, interactive prompt") {
  TempDir d;
  const std::string vec = writeTemp(d, "v.txt", vectorText(kAddMul));
  auto r = runWembed("analogy " + vec + " a b c", d);
  REQUIRE(r.status == 0);
  auto lines = testutil::nonEmptyLines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].find("x1") != std::string::npos);
  CHECK(lines[1].find("0.3753") != std::string::npos);
  r = runWembed("analogy " + vec + " a b c --method mul -k 1", d);
  REQUIRE(r.status == 0);
  lines = testutil::nonEmptyLines(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].find("x2") != std::string::npos);
  CHECK(lines[1].find("0.8450") != std::string::npos);

  checkError(runWembed("analogy " + vec + " a b zebra", d), "analogy", "'zebra' is not in the vocabulary");
  checkError(runWembed("analogy " + vec + " a B c", d), "analogy", "did you mean 'b'");
  checkError(runWembed("analogy " + vec + " a b", d), "analogy", "three words");
  checkError(runWembed("analogy " + vec + " a b c --method div", d), "analogy", "div");
  checkError(runWembed("analogy " + d.file("none.bin") + " a b c", d), "analogy", "none.bin");

  // Interactive: one good query, one with an unknown word, one malformed, then EXIT.
  r = testutil::run("printf 'a b c\\na b zz\\na b\\nEXIT\\nb a c\\n' | '" + kBin + "' analogy " + vec + " -k 1",
                    d.path());
  CHECK(r.status == 0);
  lines = testutil::nonEmptyLines(r.out);
  REQUIRE(lines.size() == 2);  // only the first query was answered; EXIT stopped the loop
  CHECK(lines[0] == "a : b :: c : ?");
  CHECK(lines[1].find("x1") != std::string::npos);
  CHECK(r.err.find("'zz' is not in the vocabulary") != std::string::npos);
  CHECK(r.err.find("need three words") != std::string::npos);
}
