#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/word2vec/args.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"

using namespace wembed;
using testutil::TempDir;

namespace {

using Counts = std::vector<std::pair<std::string, int64_t>>;

Counts entriesOf(const Dictionary& d) {
  Counts out;
  for (const auto& e : d.entries()) out.emplace_back(e.word, e.count);
  return out;
}

Dictionary fromWords(const std::vector<std::string>& ws) {
  Dictionary d;
  for (const auto& w : ws) d.add(w);
  return d;
}

}  // namespace

TEST_CASE("dictionary: counts, ordering by count then first-seen, find") {
  Dictionary d = fromWords({"b", "a", "c", "a", "b", "a", "d", "zz", "y", "x"});
  CHECK(d.tokensSeen() == 10);
  d.finalize(1, 0);
  // Ties (count 1) keep first-seen order: c, d, zz, y, x -- not alphabetical.
  CHECK(entriesOf(d) == Counts{{"a", 3}, {"b", 2}, {"c", 1}, {"d", 1}, {"zz", 1}, {"y", 1}, {"x", 1}});
  CHECK(d.size() == 7);
  CHECK(d.totalCount() == 10);
  CHECK(d.find("a") == 0);
  CHECK(d.find("b") == 1);
  CHECK(d.find("x") == 6);
  CHECK(d[3].word == "d");
  CHECK(d.find("absent") == -1);
  CHECK(d.find("") == -1);
  CHECK(d.find("aa") == -1);  // prefixes / extensions are different words
  CHECK(d.find("z") == -1);
}

TEST_CASE("dictionary: add with a count, and find before finalize") {
  Dictionary d;
  d.add("w", 5);
  d.add("v", 7);
  d.add("w", 3);
  CHECK(d.tokensSeen() == 15);
  CHECK(d.find("w") >= 0);
  CHECK(d[d.find("w")].count == 8);
  d.finalize(1, 0);
  CHECK(entriesOf(d) == Counts{{"w", 8}, {"v", 7}});
}

TEST_CASE("dictionary: many words across rehashes keep first-seen order on ties") {
  Dictionary d;
  const int n = 200000;  // > the initial 65536 slots, forces several rehashes
  for (int i = 0; i < n; ++i) d.add("w" + std::to_string(i));
  for (int i = 0; i < n; i += 1000) d.add("w" + std::to_string(i), 2);
  d.finalize(1, 0);
  REQUIRE(d.size() == n);
  // First the 200 words with count 3, in first-seen order, then the rest in order.
  for (int i = 0; i < 200; ++i) {
    CHECK(d[i].word == "w" + std::to_string(i * 1000));
    CHECK(d[i].count == 3);
  }
  int32_t k = 200;
  bool ordered = true;
  for (int i = 0; i < n; ++i) {
    if (i % 1000 == 0) continue;
    ordered &= d[k].word == "w" + std::to_string(i) && d[k].count == 1;
    ++k;
  }
  CHECK(ordered);
  bool found = true;
  for (int i = 0; i < n; i += 777) found &= d.find("w" + std::to_string(i)) >= 0 && d[d.find("w" + std::to_string(i))].word == "w" + std::to_string(i);
  CHECK(found);
}

TEST_CASE("dictionary: min-count and max-vocab") {
  auto make = [] {
    Dictionary d;
    d.add("a", 10);
    d.add("b", 5);
    d.add("c", 5);
    d.add("d", 2);
    d.add("e", 1);
    return d;
  };
  {
    Dictionary d = make();
    d.finalize(5, 0);
    CHECK(entriesOf(d) == Counts{{"a", 10}, {"b", 5}, {"c", 5}});
    CHECK(d.find("d") == -1);
    CHECK(d.find("e") == -1);
    CHECK(d.totalCount() == 20);
    CHECK(d.tokensSeen() == 23);  // all tokens counted, kept or not
  }
  {
    Dictionary d = make();
    d.finalize(1, 2);
    CHECK(entriesOf(d) == Counts{{"a", 10}, {"b", 5}});
    CHECK(d.find("c") == -1);
  }
  {
    Dictionary d = make();
    d.finalize(2, 100);  // max-vocab above the size: no effect
    CHECK(entriesOf(d) == Counts{{"a", 10}, {"b", 5}, {"c", 5}, {"d", 2}});
  }
  {
    Dictionary d = make();
    d.finalize(11, 0);
    CHECK(d.size() == 0);
    CHECK(d.find("a") == -1);
    CHECK(d.totalCount() == 0);
  }
}

TEST_CASE("dictionary: pruning keeps the frequent words") {
  Dictionary d;
  d.setPruneAt(100);
  const int rounds = 1000;
  int rare = 0;
  for (int r = 0; r < rounds; ++r) {
    for (int f = 0; f < 5; ++f) d.add("freq" + std::to_string(f));
    for (int k = 0; k < 10; ++k) d.add("rare" + std::to_string(rare++));
    // The table never grows far beyond the bound.
    if (d.size() > 101) {
      CHECK(d.size() <= 101);
      break;
    }
  }
  CHECK(d.pruneEvents() > 0);
  CHECK(d.pruneThreshold() >= 1);
  CHECK(d.tokensSeen() == rounds * 15);
  d.finalize(2, 0);
  // Only the frequent words reach count 2; they were never pruned, so their counts are exact.
  REQUIRE(d.size() == 5);
  for (int f = 0; f < 5; ++f) {
    const int32_t i = d.find("freq" + std::to_string(f));
    REQUIRE(i >= 0);
    CHECK(d[i].count <= rounds);
    CHECK(d[i].count >= rounds - d.pruneThreshold());
    CHECK(d[i].count == rounds);
  }
}

TEST_CASE("dictionary: pruning through buildVocabulary") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "the rare" + std::to_string(i) + " of\n";
  testutil::writeFile(dir.file("c.txt"), text);
  VocabArgs a;
  a.input = {dir.file("c.txt")};
  a.min_count = 5;
  a.prune_at = 1000;
  Dictionary d = buildVocabulary(a, nullptr);
  REQUIRE(d.size() == 2);
  CHECK(d.pruneEvents() > 0);
  CHECK(d[0].word == "the");
  CHECK(d[1].word == "of");
  CHECK(d[0].count == 3000);
  CHECK(d[1].count == 3000);
  CHECK(d.tokensSeen() == 9000);
}

TEST_CASE("dictionary: many prunings make one note, at the end of counting, with their count") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 30000; ++i) text += "w" + std::to_string(i) + (i % 10 == 9 ? "\n" : " ");
  testutil::writeFile(dir.file("c.txt"), text);
  VocabArgs a;
  a.input = {dir.file("c.txt")};
  a.min_count = 1;
  a.prune_at = 1000;
  std::vector<std::string> notes;
  Reporter log;
  log.message = [&](const std::string& m) { notes.push_back(m); };
  const Dictionary d = buildVocabulary(a, nullptr, log);
  REQUIRE(d.pruneEvents() > 10);
  int prune_notes = 0;
  for (const auto& n : notes) prune_notes += n.find("prune") != std::string::npos;
  CHECK(prune_notes == 1);
  REQUIRE(notes.size() == 2);  // the pruning, then the counts
  CHECK(notes[0] == "vocab: the table passed --prune-at 1000 distinct words " + std::to_string(d.pruneEvents()) +
                        " times; each time the rarest were dropped, so words seen <= " +
                        std::to_string(d.pruneThreshold()) + " times may be missing or undercounted");
  CHECK(notes[1].rfind("vocab: 30000 tokens", 0) == 0);
}

TEST_CASE("dictionary: save / load round trip (word2vec -save-vocab format)") {
  TempDir dir;
  Dictionary d = fromWords({"the", "cat", "the", "日本", "the", "cat", "a"});
  d.finalize(1, 0);
  const std::string p = dir.file("vocab.txt");
  d.save(p);
  CHECK(testutil::readFile(p) == "the 3\ncat 2\n日本 1\na 1\n");
  CHECK_FALSE(testutil::hasTmpFile(dir.path()));
  Dictionary l = Dictionary::load(p);
  CHECK(entriesOf(l) == entriesOf(d));
  CHECK(l.find("日本") == 2);
  CHECK(l.totalCount() == 7);
  CHECK(l.tokensSeen() == 7);
  // finalize() on a loaded vocabulary applies min-count.
  l.finalize(2, 0);
  CHECK(entriesOf(l) == Counts{{"the", 3}, {"cat", 2}});
}

TEST_CASE("dictionary: load tolerates CRLF, blank lines and extra spaces") {
  TempDir dir;
  const std::string p = dir.file("v.txt");
  testutil::writeFile(p, "</s> 100\r\n\r\nthe\t50 \r\n  of 20\n\nbig 123456789012\n");
  Dictionary l = Dictionary::load(p);
  CHECK(entriesOf(l) == Counts{{"</s>", 100}, {"the", 50}, {"of", 20}, {"big", 123456789012}});
}

TEST_CASE("dictionary: load errors throw wembed::Error") {
  TempDir dir;
  auto loadText = [&](const std::string& content) {
    const std::string p = dir.file("v.txt");
    testutil::writeFile(p, content);
    return Dictionary::load(p);
  };
  CHECK_THROWS_AS(Dictionary::load(dir.file("missing.txt")), Error);
  CHECK_THROWS_AS(Dictionary::load(dir.path()), Error);  // a directory
  CHECK_THROWS_AS(loadText(""), Error);                  // empty file
  CHECK_THROWS_AS(loadText("\n \n\t\n"), Error);         // only blank lines
  CHECK_THROWS_AS(loadText("the 3\nword\n"), Error);     // no count
  CHECK_THROWS_AS(loadText("the 3\nword x\n"), Error);   // not a number
  CHECK_THROWS_AS(loadText("the 3\nword 1 2\n"), Error); // extra field
  CHECK_THROWS_AS(loadText("the 3\nword -2\n"), Error);  // negative
  CHECK_THROWS_AS(loadText("the 3\nword 12abc\n"), Error);
  CHECK_THROWS_AS(loadText("the 3\nword 99999999999999999999999\n"), Error);  // overflow
  CHECK_THROWS_AS(loadText("the 3\nof 2\nthe 1\n"), Error);  // duplicate word
  // The message names the file and the line.
  const std::string m = testutil::errorOf([&] { loadText("a 1\nb 2\nbad line here\n"); });
  CHECK(m.find("v.txt") != std::string::npos);
  CHECK(m.find("3") != std::string::npos);
}

TEST_CASE("dictionary: buildVocabulary counts every input, with known answers") {
  TempDir dir;
  testutil::writeFile(dir.file("a.txt"), "the cat sat\non the mat");
  testutil::writeGzip(dir.file("b.gz"), "the dog\r\n");
  VocabArgs a;
  a.input = {dir.file("a.txt"), dir.file("b.gz")};
  a.min_count = 1;
  Dictionary d = buildVocabulary(a, nullptr);
  CHECK(entriesOf(d) == Counts{{"the", 3}, {"cat", 1}, {"sat", 1}, {"on", 1}, {"mat", 1}, {"dog", 1}});
  CHECK(d.tokensSeen() == 8);
  a.min_count = 2;
  Dictionary d2 = buildVocabulary(a, nullptr);
  CHECK(entriesOf(d2) == Counts{{"the", 3}});
  // The spool receives the raw bytes of every input.
  wembed::TempFile spool(dir.path(), "spool");
  a.min_count = 1;
  buildVocabulary(a, &spool);
  spool.close();
  CHECK(testutil::readFile(spool.path()) == "\nthe cat sat\non the mat\nthe dog\r\n");
}

TEST_CASE("dictionary: buildVocabulary errors") {
  TempDir dir;
  VocabArgs a;
  a.min_count = 1;
  testutil::writeFile(dir.file("empty.txt"), "");
  a.input = {dir.file("empty.txt")};
  CHECK_THROWS_AS(buildVocabulary(a, nullptr), Error);
  testutil::writeFile(dir.file("blank.txt"), " \n\n\t \r\n");
  a.input = {dir.file("blank.txt"), dir.file("empty.txt")};
  CHECK_THROWS_AS(buildVocabulary(a, nullptr), Error);
  // No word reaches min-count.
  testutil::writeFile(dir.file("few.txt"), "a b c a b\n");
  a.input = {dir.file("few.txt")};
  a.min_count = 3;
  CHECK_THROWS_AS(buildVocabulary(a, nullptr), Error);
  a.min_count = 2;
  CHECK(buildVocabulary(a, nullptr).size() == 2);
  // Missing input and directory input.
  a.input = {dir.file("few.txt"), dir.file("missing.txt")};
  CHECK_THROWS_AS(buildVocabulary(a, nullptr), Error);
  a.input = {dir.path()};
  CHECK_THROWS_AS(buildVocabulary(a, nullptr), Error);
}
