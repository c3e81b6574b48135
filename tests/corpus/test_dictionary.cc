#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/word2vec/args.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/corpus/tokenizer.h"

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

TEST_CASE("dictionary: merge adds counts, new words after the table's own, in the other's order") {
  Dictionary a = fromWords({"b", "a", "c", "a"});
  const Dictionary b = fromWords({"d", "a", "e", "b", "d"});
  a.merge(b);
  CHECK(a.tokensSeen() == 9);
  CHECK(entriesOf(a) == Counts{{"b", 2}, {"a", 3}, {"c", 1}, {"d", 2}, {"e", 1}});
  CHECK(a.pruneEvents() == 0);
  a.finalize(1, 0);
  CHECK(entriesOf(a) == Counts{{"a", 3}, {"b", 2}, {"d", 2}, {"c", 1}, {"e", 1}});
  // The same as counting the two pieces in one table.
  Dictionary whole = fromWords({"b", "a", "c", "a", "d", "a", "e", "b", "d"});
  whole.finalize(1, 0);
  CHECK(entriesOf(whole) == entriesOf(a));
  // Merging an empty table changes nothing; merging into an empty one copies.
  Dictionary empty;
  Dictionary c = fromWords({"x", "y", "x"});
  c.merge(empty);
  empty.merge(c);
  CHECK(entriesOf(c) == Counts{{"x", 2}, {"y", 1}});
  CHECK(entriesOf(empty) == entriesOf(c));
  CHECK(empty.tokensSeen() == 3);
}

TEST_CASE("dictionary: merge carries pruning: events add up, the higher threshold, and it prunes too") {
  Dictionary pruned;
  pruned.setPruneAt(100);
  for (int i = 0; i < 300; ++i) pruned.add("r" + std::to_string(i));
  REQUIRE(pruned.pruneEvents() > 0);
  Dictionary into;
  into.setPruneAt(100);
  into.add("keep", 50);
  for (int i = 0; i < 50; ++i) into.add("k" + std::to_string(i));
  REQUIRE(into.pruneEvents() == 0);
  into.merge(pruned);  // more than 100 words together: the merge prunes
  CHECK(into.pruneEvents() > pruned.pruneEvents());
  CHECK(into.pruneThreshold() >= pruned.pruneThreshold());
  CHECK(into.tokensSeen() == 400);
  CHECK(into.size() <= 101);  // the merged table stays within prune_at
  REQUIRE(into.find("keep") >= 0);
  CHECK(into[into.find("keep")].count == 50);
}

namespace {

// A corpus of several megabytes in three files: Zipf-like words (many ties
// among the rare ones), UTF-8, every ASCII space, CRLF lines, tokens of more
// than kMaxTokenBytes, and a file without a trailing newline.
std::vector<std::string> writeBigCorpus(const TempDir& dir) {
  std::mt19937_64 rng(7);
  const char* spaces[] = {" ", " ", " ", " ", "\t", "\n", "\r\n", "\v", "\f", "  "};
  auto text = [&](size_t bytes) {
    std::string t;
    while (t.size() < bytes) {
      const uint64_t r = rng();
      const double u = static_cast<double>(r >> 11) / 9007199254740992.0;
      const int w = static_cast<int>(std::exp(u * std::log(200000.0)));
      if (r % 5000 == 0) t += std::string(95 + (r >> 20) % 40, 'L') + std::to_string(w);  // over 100 bytes: truncated
      else if (r % 7 == 0) t += "日本" + std::to_string(w);
      else t += "w" + std::to_string(w);
      t += spaces[(r >> 3) % 10];
    }
    return t;
  };
  const std::vector<std::string> files = {dir.file("a.txt"), dir.file("b.txt"), dir.file("c.txt")};
  testutil::writeFile(files[0], text(1500000));
  testutil::writeFile(files[1], text(1200000) + "lastword");  // no trailing newline
  testutil::writeFile(files[2], text(900000));
  return files;
}

struct Counting {
  Counts entries;
  int64_t tokens_seen;
  std::vector<std::string> notes;
};

Counting countOn(VocabArgs a, int threads) {
  a.threads = threads;
  Counting c;
  Reporter log;
  log.message = [&](const std::string& m) { c.notes.push_back(m); };
  const Dictionary d = buildVocabulary(a, nullptr, log);
  c.entries = entriesOf(d);
  c.tokens_seen = d.tokensSeen();
  return c;
}

}  // namespace

TEST_CASE("dictionary: buildVocabulary on 2, 3 and 7 threads gives one thread's words, counts and order") {
  TempDir dir;
  VocabArgs a;
  a.input = writeBigCorpus(dir);
  a.min_count = 1;
  a.min_bytes_per_thread = 1 << 16;  // several ranges even for these few megabytes
  const Counting one = countOn(a, 1);
  REQUIRE(one.entries.size() > 10000);
  REQUIRE(one.notes.size() == 2);  // truncated tokens, then the counts
  CHECK(one.notes[0].find("truncated") != std::string::npos);
  for (int threads : {2, 3, 7}) {
    INFO("threads " << threads);
    const Counting many = countOn(a, threads);
    CHECK(many.tokens_seen == one.tokens_seen);
    CHECK(many.notes == one.notes);
    CHECK(many.entries.size() == one.entries.size());
    CHECK(many.entries == one.entries);  // words, counts and order (ties in first-seen order)
  }
  // With min-count and max-vocab too.
  a.min_count = 3;
  a.max_vocab = 5000;
  CHECK(countOn(a, 3).entries == countOn(a, 1).entries);
}

TEST_CASE("dictionary: a token across a range boundary, and a file's last token without a newline, count once") {
  TempDir dir;
  // The 150-byte token covers bytes 4..153 of a.txt: every cut of the 173
  // bytes of both files among 2, 3 or 4 threads falls inside it.
  const std::string longword(150, 'z');
  testutil::writeFile(dir.file("a.txt"), "a b\n" + longword + " mid\nc d tail");
  testutil::writeFile(dir.file("b.txt"), "head x");
  VocabArgs a;
  a.input = {dir.file("a.txt"), dir.file("b.txt")};
  a.min_count = 1;
  a.min_bytes_per_thread = 1;
  const Counts expected{{"a", 1}, {"b", 1}, {std::string(kMaxTokenBytes, 'z'), 1}, {"mid", 1}, {"c", 1},
                        {"d", 1}, {"tail", 1}, {"head", 1}, {"x", 1}};
  for (int threads : {1, 2, 3, 4}) {
    INFO("threads " << threads);
    const Counting c = countOn(a, threads);
    CHECK(c.entries == expected);
    CHECK(c.tokens_seen == 9);
    REQUIRE(c.notes.size() == 2);
    CHECK(c.notes[0] == "vocab: 1 tokens longer than 100 bytes were truncated");
  }
}

TEST_CASE("dictionary: pruning on several threads stays sane") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 30000; ++i) text += "the rare" + std::to_string(i) + " of\n";
  testutil::writeFile(dir.file("c.txt"), text);
  VocabArgs a;
  a.input = {dir.file("c.txt")};
  a.min_count = 5;
  a.prune_at = 1000;
  a.min_bytes_per_thread = 1 << 12;
  for (int threads : {1, 3}) {
    INFO("threads " << threads);
    a.threads = threads;
    std::vector<std::string> notes;
    Reporter log;
    log.message = [&](const std::string& m) { notes.push_back(m); };
    const Dictionary d = buildVocabulary(a, nullptr, log);
    CHECK(d.pruneEvents() > 0);
    CHECK(d.pruneThreshold() >= 1);
    CHECK(d.tokensSeen() == 90000);
    // The frequent words are never pruned: their counts are exact.
    REQUIRE(d.size() == 2);
    CHECK(entriesOf(d) == Counts{{"the", 30000}, {"of", 30000}});
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].find("--prune-at 1000 distinct words " + std::to_string(d.pruneEvents()) + " times") !=
          std::string::npos);
  }
}

TEST_CASE("dictionary: buildVocabulary counts stdin/.gz inputs and spools on one thread whatever threads says") {
  TempDir dir;
  testutil::writeFile(dir.file("a.txt"), "the cat sat\non the mat");
  testutil::writeGzip(dir.file("b.gz"), "the dog\r\n");
  VocabArgs a;
  a.input = {dir.file("a.txt"), dir.file("b.gz")};
  a.min_count = 1;
  a.threads = 4;
  a.min_bytes_per_thread = 1;
  CHECK(entriesOf(buildVocabulary(a, nullptr)) ==
        Counts{{"the", 3}, {"cat", 1}, {"sat", 1}, {"on", 1}, {"mat", 1}, {"dog", 1}});
  a.input = {dir.file("a.txt")};
  wembed::TempFile spool(dir.path(), "spool");
  CHECK(buildVocabulary(a, &spool).size() == 5);
  spool.close();
  CHECK(testutil::readFile(spool.path()) == "\nthe cat sat\non the mat");
}
