// Phrase detection: counts, scores and the greedy joining equal to gensim 4's
// Phrases/FrozenPhrases (the expected values below were checked with gensim
// 4.2), the phrase file, passes, connector words and the pipeline.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/phrases/phrases.h"

using testutil::errorOf, testutil::readFile, testutil::TempDir, testutil::writeFile;
using wembed::PhraseApplier, wembed::PhraseCounter, wembed::PhraseScoring, wembed::PhraseSettings,
    wembed::PhraseTable, wembed::PhrasesArgs, wembed::TokenSink;

namespace {

// Collects the tokens a sink receives, a string per sentence.
struct Collect : TokenSink {
  std::vector<std::string> lines{""};
  void word(std::string_view w) override {
    if (!lines.back().empty()) lines.back() += ' ';
    lines.back() += std::string(w);
  }
  void endSentence() override { lines.emplace_back(); }
};

void feed(TokenSink& s, const std::vector<std::string>& sentences) {
  for (const auto& line : sentences) {
    size_t i = 0;
    while (i < line.size()) {
      size_t j = line.find(' ', i);
      if (j == std::string::npos) j = line.size();
      if (j > i) s.word(std::string_view(line).substr(i, j - i));
      i = j + 1;
    }
    s.endSentence();
  }
}

std::map<std::string, double> asMap(const PhraseTable& t) { return {t.phrases.begin(), t.phrases.end()}; }

// 3000 lines of 10 random words from 200, with "new york" planted 300 times
// (half of them "new york times") and "bank of america" 200 times.
std::string plantedCorpus() {
  std::string s;
  uint32_t x = 2463534242u;
  auto rnd = [&x](uint32_t n) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    return x % n;
  };
  for (int l = 0; l < 3000; ++l) {
    std::string line;
    for (int i = 0; i < 10; ++i) {
      if (i == 4 && l % 10 == 0) line += "new york times ";
      if (i == 4 && l % 10 == 5) line += "new york ";
      if (i == 7 && l % 15 == 3) line += "bank of america ";
      line += "w" + std::to_string(rnd(200)) + (i < 9 ? " " : "\n");
    }
    s += line;
  }
  return s;
}

PhrasesArgs argsFor(const TempDir& d, const std::string& corpus) {
  writeFile(d.file("c.txt"), corpus);
  PhrasesArgs a;
  a.input = {d.file("c.txt")};
  a.output = d.file("out.txt");
  return a;
}

}  // namespace

TEST_CASE("phrases: counts and both scores equal a hand computation (and gensim)") {
  PhraseSettings s;
  s.min_count = 1;
  s.threshold = 1;
  PhraseCounter c(s);
  feed(c, {"a b c", "a b d", "a b"});
  CHECK(c.count("a") == 3);
  CHECK(c.count("a_b") == 3);
  CHECK(c.count("b_c") == 1);
  CHECK(c.count("c_a") == 0);
  CHECK(c.entries() == 7);  // a b c d a_b b_c b_d: gensim's len(vocab)
  CHECK(c.corpusWords() == 8);
  // default: (3 - 1) / (3 * 3) * 7; gensim gives 1.5555555555555554
  const double ab = 2.0 / 9.0 * 7.0;
  CHECK(wembed::phraseScore(PhraseScoring::kDefault, 3, 3, 3, 7, 1, 8) == ab);
  auto t = asMap(c.exportPhrases());
  REQUIRE(t.size() == 1);
  CHECK(t["a_b"] == ab);
  CHECK(t["a_b"] == 1.5555555555555554);
  // npmi: log(pab / (pa pb)) / -log(pab), with p = count / 8
  s.scoring = PhraseScoring::kNpmi;
  s.threshold = -1;
  PhraseCounter n(s);
  feed(n, {"a b c", "a b d", "a b"});
  t = asMap(n.exportPhrases());
  REQUIRE(t.size() == 3);
  CHECK(t["a_b"] == doctest::Approx(1.0));
  const double bc = std::log((1.0 / 8) / ((3.0 / 8) * (1.0 / 8))) / -std::log(1.0 / 8);
  CHECK(t["b_c"] == bc);
  CHECK(t["b_c"] == 0.47167916642628127);  // gensim
  CHECK(t["b_d"] == bc);
  // npmi below min_count: never a phrase
  CHECK(std::isinf(wembed::phraseScore(PhraseScoring::kNpmi, 3, 1, 1, 7, 2, 8)));
  // the default score may be negative below min_count; a zero count gives -inf
  CHECK(wembed::phraseScore(PhraseScoring::kDefault, 3, 1, 1, 7, 5, 8) == -4.0 / 3.0 * 7.0);
  CHECK(std::isinf(wembed::phraseScore(PhraseScoring::kDefault, 0, 1, 1, 7, 5, 8)));
}

TEST_CASE("phrases: a full table is pruned after a sentence as gensim prunes it") {
  PhraseSettings s;
  s.min_count = 1;
  s.max_vocab = 3;
  PhraseCounter c(s);
  // after "c d": 6 entries > 3, pruned of counts < 1 (nothing); after the
  // second "a b": pruned of counts < 2 -> {a: 2, b: 2, a_b: 2}, as gensim
  feed(c, {"a b", "c d", "a b"});
  CHECK(c.entries() == 3);
  CHECK(c.count("a_b") == 2);
  CHECK(c.count("c") == 0);
  CHECK(c.prunes() == 2);
}

TEST_CASE("phrases: connector words, counted and applied as gensim 4 does") {
  PhraseSettings s;
  s.min_count = 1;
  s.connector_words = {"of", "the"};
  PhraseCounter c(s);
  feed(c, {"the bank of america of x", "bank of the america"});
  CHECK(c.count("of") == 0);  // connector words are never counted alone
  CHECK(c.count("the") == 0);
  CHECK(c.count("bank_of_america") == 1);
  CHECK(c.count("america_of_x") == 1);
  CHECK(c.count("bank_of_the_america") == 1);
  CHECK(c.corpusWords() == 10);
  PhraseTable t;
  t.phrases = {{"bank_of_america", 100.0}};
  Collect out;
  PhraseApplier a(t, s.connector_words, "_", 10, &out);
  // gensim: FrozenPhrases with {'bank_of_america': 100}, connector_words {of, the}
  feed(a, {"the bank of america of x", "the bank of the america of x", "x bank of of america bank of america"});
  REQUIRE(out.lines.size() == 4);
  CHECK(out.lines[0] == "the bank_of_america of x");
  CHECK(out.lines[1] == "the bank of the america of x");
  CHECK(out.lines[2] == "x bank of of america bank_of_america");
  CHECK(a.joined() == 2);
  // only phrases scoring above the threshold are applied
  Collect none;
  PhraseApplier high(t, s.connector_words, "_", 100, &none);
  feed(high, {"bank of america"});
  CHECK(none.lines[0] == "bank of america");
}

TEST_CASE("phrases: planted bigrams and a trigram (2 passes) are found, random pairs are not") {
  TempDir d;
  PhrasesArgs a = argsFor(d, plantedCorpus());
  a.passes = 2;
  a.settings.connector_words = {"of"};
  a.save_phrases = d.file("table.tsv");
  const auto r = wembed::runPhrases(a);
  REQUIRE(r.phrases.size() == 2);
  const auto m = wembed::readPhraseModel(a.save_phrases);
  REQUIRE(m.passes.size() == 2);
  std::set<std::string> all;
  for (const auto& p : m.passes)
    for (const auto& [phrase, score] : p.phrases) all.insert(phrase);
  CHECK(asMap(m.passes[0]).count("new_york"));
  CHECK(asMap(m.passes[0]).count("bank_of_america"));
  CHECK(asMap(m.passes[1]).count("new_york_times"));
  for (const auto& phrase : all) {
    INFO(phrase);
    CHECK(phrase.rfind("w", 0) != 0);  // no phrase of random words
  }
  const std::string out = readFile(a.output);
  CHECK(out.find("new_york_times") != std::string::npos);
  CHECK(out.find("bank_of_america") != std::string::npos);
  CHECK(out.find(" york ") == std::string::npos);
  CHECK(r.sentences == 3000);
  CHECK(m.connector_words == std::vector<std::string>{"of"});
}

TEST_CASE("phrases: the saved table applied to the same text gives the same output") {
  TempDir d;
  for (int passes : {1, 2}) {
    PhrasesArgs a = argsFor(d, plantedCorpus() + "\nnew york\n\n");
    a.passes = passes;
    a.settings.connector_words = {"of"};
    a.save_phrases = d.file("table.tsv");
    wembed::runPhrases(a);
    const std::string counted = readFile(a.output);
    PhrasesArgs b;
    b.input = a.input;
    b.output = d.file("applied.txt");
    b.phrases = a.save_phrases;
    const auto r = wembed::runPhrases(b);
    CHECK(r.phrases.size() == static_cast<size_t>(passes));
    CHECK(readFile(b.output) == counted);
    // the lines stay as they are, empty ones included
    CHECK(counted.substr(counted.size() - 11) == "\nnew_york\n\n");
  }
}

TEST_CASE("phrases: counting on 2 threads gives the table and text of one") {
  TempDir d;
  PhrasesArgs a = argsFor(d, plantedCorpus());
  a.passes = 2;
  a.save_phrases = d.file("t1.tsv");
  wembed::runPhrases(a);
  const std::string one = readFile(a.output), table = readFile(a.save_phrases);
  a.threads = 2;
  a.output = d.file("out2.txt");
  a.save_phrases = d.file("t2.tsv");
  wembed::runPhrases(a);
  CHECK(readFile(a.output) == one);
  CHECK(readFile(a.save_phrases) == table);
}

TEST_CASE("phrases: settings and files that are refused") {
  PhraseSettings s;
  s.min_count = 0;
  CHECK(errorOf([&] { s.validate(); }).find("--min-count") != std::string::npos);
  s = PhraseSettings();
  s.threshold = 0;
  CHECK(errorOf([&] { s.validate(); }).find("--threshold") != std::string::npos);
  s = PhraseSettings();
  s.scoring = PhraseScoring::kNpmi;  // with the default threshold 10
  CHECK(errorOf([&] { s.validate(); }).find("--threshold") != std::string::npos);
  s.threshold = 0.5;
  CHECK(errorOf([&] { s.validate(); }) == "");
  s.delimiter = "";
  CHECK(errorOf([&] { s.validate(); }).find("--delimiter") != std::string::npos);
  s.delimiter = "a b";
  CHECK(errorOf([&] { s.validate(); }).find("--delimiter") != std::string::npos);
  CHECK(errorOf([] { wembed::parsePhraseScoring("pmi"); }).find("--scoring") != std::string::npos);

  TempDir d;
  for (const char* bad : {"new york\t12\n", "new_york 12\n", "new_york\tabc\n", "\t12\n", "# pass 2\nx_y\t3\n"}) {
    INFO(bad);
    writeFile(d.file("bad.tsv"), bad);
    const std::string e = errorOf([&] { wembed::readPhraseModel(d.file("bad.tsv")); });
    CHECK(e.find("line 1") != std::string::npos);
  }
  writeFile(d.file("empty.tsv"), "# delimiter _\n");
  CHECK(errorOf([&] { wembed::readPhraseModel(d.file("empty.tsv")); }).find("no phrase table") != std::string::npos);
  // a table written by hand: pass 1 without a '# pass' line
  writeFile(d.file("hand.tsv"), "new_york\t50\n");
  const auto m = wembed::readPhraseModel(d.file("hand.tsv"));
  REQUIRE(m.passes.size() == 1);
  CHECK(m.passes[0].phrases[0].first == "new_york");

  PhrasesArgs a = argsFor(d, "a b\n");
  a.passes = 0;
  CHECK(errorOf([&] { wembed::runPhrases(a); }).find("--passes") != std::string::npos);
  a.passes = 1;
  a.common_words = d.file("missing.txt");
  CHECK(errorOf([&] { wembed::runPhrases(a); }).find("--common-words") != std::string::npos);
  a.common_words.clear();
  a.save_phrases = a.output;
  CHECK(errorOf([&] { wembed::runPhrases(a); }).find("--save-phrases") != std::string::npos);
  CHECK(!testutil::fs::exists(a.output));
}
