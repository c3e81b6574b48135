// The eval command's pipeline as a library call, and its reports.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/eval_run.h"

using namespace wembed;
using testutil::TempDir;

namespace {

// man : king :: woman : queen holds; the pairs rank like their scores.
void writeFiles(const TempDir& d) {
  const Vectors v = testutil::makeVectors({{"king", {1, 0, 1}}, {"man", {1, 0, 0}}, {"woman", {0, 1, 0}},
                                           {"queen", {0, 1, 1}}, {"king", {5, 5, 5}}});
  saveVectors(d.file("v.bin"), v, VectorFormat::kWord2vecBinary);
  testutil::writeFile(d.file("q.txt"), ": royals\nman king woman queen\nman king woman zebra\n");
  testutil::writeFile(d.file("p.tsv"), "king\tqueen\t8\nman\twoman\t2\nman\tqueen\t1\n");
}

}  // namespace

TEST_CASE("eval_run: test files, then the vectors, scored as gensim scores them") {
  TempDir d;
  writeFiles(d);
  EvalArgs a;
  a.vectors = d.file("v.bin");
  a.analogy_files = {d.file("q.txt")};
  a.similarity_files = {d.file("p.tsv")};
  const EvalResults r = runEval(a);
  CHECK(r.words == 4);
  CHECK(r.dim == 3);
  CHECK(r.duplicates_dropped == 1);
  REQUIRE(r.analogies.size() == 1);
  CHECK(r.analogies[0].total.correct == 1);
  CHECK(r.analogies[0].total.answered == 1);
  CHECK(r.analogies[0].total.skipped == 1);
  REQUIRE(r.similarities.size() == 1);
  CHECK(r.similarities[0].pairs == 3);
  // cosines 0.5, 0, 0 against 8, 2, 1: ranks 3 1.5 1.5 against 3 2 1 -> 1.5 / sqrt(3).
  CHECK(r.similarities[0].spearman == doctest::Approx(1.5 / std::sqrt(3.0)));
  const std::string json = evalJson(r);
  CHECK(json.find("\"words\": 4, \"dim\": 3, \"duplicates_dropped\": 1") != std::string::npos);
  CHECK(json.find("\"total\": {\"correct\": 1, \"answered\": 1, \"skipped\": 1, \"accuracy\": 1}") != std::string::npos);
  CHECK(json.back() == '\n');
  const std::string table = evalTable(r);
  CHECK(table.find("(4 words, dim 3, 1 repeated words ignored)") != std::string::npos);
  CHECK(table.find("100.00%") != std::string::npos);
  CHECK(table.find("p.tsv") != std::string::npos);
  // No subwords: no figures for them.
  CHECK(json.find("all_pairs") == std::string::npos);
  CHECK(json.find("subwords") == std::string::npos);
  CHECK(table.find("every pair") == std::string::npos);
}

TEST_CASE("eval_run: a model with subwords also reports every pair, in the table and the JSON") {
  EvalResults r;
  r.vectors = "m.bin";
  r.words = 10;
  r.dim = 4;
  r.subwords = SubwordArgs{3, 6, 2000000};
  r.similarity_files = {"/data/ws353.tsv"};
  PairsReport p;
  p.pairs = 340;
  p.oov = 13;
  p.restrict = 10;
  p.spearman = 0.61;
  p.pearson = 0.6;
  p.subwords = true;
  p.all_pairs = 353;
  p.composed = 13;
  p.spearman_all = 0.625;
  r.similarities = {p};
  const std::string json = evalJson(r);
  CHECK(json.find("\"subwords\": {\"minn\": 3, \"maxn\": 6, \"bucket\": 2000000}") != std::string::npos);
  CHECK(json.find("\"pearson\": 0.6, \"all_pairs\": 353, \"composed_pairs\": 13, \"spearman_all\": 0.625}") !=
        std::string::npos);
  const std::string table = evalTable(r);
  CHECK(table.find("(10 words, dim 4, subwords: n-grams of 3-6 characters in 2000000 buckets)") != std::string::npos);
  CHECK(table.find("similarity, every pair") != std::string::npos);
  CHECK(table.find("ws353.tsv                          353        13    0.6250") != std::string::npos);
}

TEST_CASE("eval_run: bad arguments and files are one-line errors, test files checked first") {
  TempDir d;
  writeFiles(d);
  EvalArgs a;
  CHECK_THROWS_WITH_AS(runEval(a), doctest::Contains("no vector file"), Error);
  a.vectors = d.file("v.bin");
  CHECK_THROWS_WITH_AS(runEval(a), doctest::Contains("nothing to evaluate"), Error);
  a.analogy_files = {d.file("q.txt")};
  a.restrict = -1;
  CHECK_THROWS_WITH_AS(runEval(a), doctest::Contains("--restrict"), Error);
  a.restrict = 0;
  // A broken test file is reported even though the vector file is broken too.
  testutil::writeFile(d.file("bad.bin"), "junk");
  testutil::writeFile(d.file("bad.txt"), ": s\na b c\n");
  a.vectors = d.file("bad.bin");
  a.analogy_files = {d.file("bad.txt")};
  CHECK_THROWS_WITH_AS(runEval(a), doctest::Contains("bad.txt' line 2"), Error);
  a.analogy_files = {d.file("q.txt")};
  CHECK_THROWS_WITH_AS(runEval(a), doctest::Contains("bad.bin"), Error);
}
