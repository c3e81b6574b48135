// prepareCorpus, readVocabulary, runVocab: preparing a corpus for the trainers.
#include "doctest/doctest.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/corpus/prepare.h"

using namespace wembed;
using testutil::TempDir;

TEST_CASE("prepare: plain inputs are used as they are; stdin/.gz inputs are spooled into one file") {
  TempDir d;
  testutil::writeFile(d.file("a.txt"), "x y z x\ny x\n");
  testutil::writeGzip(d.file("b.txt.gz"), "z z w");
  VocabArgs v;
  v.min_count = 1;
  v.input = {d.file("a.txt")};
  CHECK_FALSE(needsSpool(v.input));
  PreparedCorpus plain = prepareCorpus(v, "", d.path());
  CHECK(plain.files == v.input);
  CHECK(plain.spool == nullptr);
  CHECK(plain.dict.size() == 3);

  v.input.push_back(d.file("b.txt.gz"));
  CHECK(needsSpool(v.input));
  CHECK(needsSpool({"-"}));
  PreparedCorpus spooled = prepareCorpus(v, "", d.path());
  REQUIRE(spooled.spool != nullptr);
  REQUIRE(spooled.files.size() == 1);
  // Both inputs, each on lines of its own.
  CHECK(testutil::nonEmptyLines(testutil::readFile(spooled.files[0])) ==
        std::vector<std::string>{"x y z x", "y x", "z z w"});
  CHECK(spooled.dict.size() == 4);
  CHECK(spooled.dict[spooled.dict.find("z")].count == 3);
}

TEST_CASE("prepare: a vocabulary file is read and filtered instead of counting") {
  TempDir d;
  testutil::writeFile(d.file("a.txt"), "x y\n");
  testutil::writeFile(d.file("vocab.txt"), "x 10\ny 3\nq 1\n");
  VocabArgs v;
  v.input = {d.file("a.txt")};
  v.min_count = 3;
  const PreparedCorpus c = prepareCorpus(v, d.file("vocab.txt"), "");
  CHECK(c.dict.size() == 2);
  CHECK(c.dict[0].count == 10);
  v.min_count = 100;
  CHECK_THROWS_WITH_AS(readVocabulary(d.file("vocab.txt"), v), doctest::Contains("reaches --min-count"), Error);
}

TEST_CASE("prepare: runVocab saves the counted vocabulary, and refuses to overwrite its input") {
  TempDir d;
  testutil::writeFile(d.file("a.txt"), "x y x\n");
  VocabArgs v;
  v.input = {d.file("a.txt")};
  v.min_count = 1;
  std::vector<std::string> notes;
  Reporter log;
  log.message = [&](const std::string& m) { notes.push_back(m); };
  const Dictionary dict = runVocab(v, d.file("vocab.txt"), log);
  CHECK(dict.size() == 2);
  CHECK(testutil::readFile(d.file("vocab.txt")) == "x 2\ny 1\n");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] == "vocab: 3 tokens, 2 distinct, 2 kept (min-count 1)");
  CHECK_THROWS_WITH_AS(runVocab(v, d.file("a.txt")), doctest::Contains("is also an input"), Error);
  CHECK_THROWS_WITH_AS(runVocab(v, ""), doctest::Contains("no output given"), Error);
}

TEST_CASE("prepare: wordsAndCounts lists the vocabulary in rank order") {
  Dictionary d;
  d.add("a", 1);
  d.add("b", 5);
  d.finalize(1, 0);
  std::vector<std::string> words{"stale"};
  std::vector<int64_t> counts;
  wordsAndCounts(d, words, counts);
  CHECK(words == std::vector<std::string>{"b", "a"});
  CHECK(counts == std::vector<int64_t>{5, 1});
}
