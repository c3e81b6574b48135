#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/sentiment/data.h"

using namespace wembed;
using testutil::TempDir;
using V = std::vector<std::string>;

TEST_CASE("sentiment data: text is cleaned like the embedding corpus") {
  CHECK(cleanWords("Don't stop!") == V{"don", "t", "stop"});
  CHECK(cleanWords("AT&T, 10/10 ...") == V{"at", "t", "one", "zero", "one", "zero"});
  CHECK(cleanWords("1984") == V{"one", "nine", "eight", "four"});
  CHECK(cleanWords("abc1def 2x") == V{"abc", "one", "def", "two", "x"});
  CHECK(cleanWords("it 's a charming and often affecting journey . ") ==
        V{"it", "s", "a", "charming", "and", "often", "affecting", "journey"});
  CHECK(cleanWords("  \t\n") == V{});
  CHECK(cleanWords("") == V{});
  // Accents folded (UTF-8), the corpus's special letters, other scripts separate words.
  CHECK(cleanWords("Café Straße Æsir œuvre Øre Łódź þorn ðe naïve") ==
        V{"cafe", "strasse", "aesir", "oeuvre", "ore", "lodz", "thorn", "de", "naive"});
  CHECK(cleanWords("abcαβγdef") == V{"abc", "def"});
  CHECK(cleanWords("½ and x²") == V{"one", "two", "and", "x", "two"});
  CHECK(cleanWords("ﬁne") == V{"fine"});
  // HTML entities are decoded first.
  CHECK(cleanWords("Tom &amp; Jerry &quot;great&quot; caf&eacute; &#233;t&#xE9; &#49;0") ==
        V{"tom", "jerry", "great", "cafe", "ete", "one", "zero"});
  CHECK(cleanWords("a &bogus; b & c") == V{"a", "bogus", "b", "c"});
  // Invalid UTF-8 separates words.
  CHECK(cleanWords(std::string("ab\xff\xfe" "cd\xc3")) == V{"ab", "cd"});
  CHECK(cleanWords(std::string("ab\xc1\x81" "cd\xed\xa0\x80" "ef")) == V{"ab", "cd", "ef"});  // overlong 'A', surrogate
}

TEST_CASE("sentiment data: vocabulary maps words to rows, 0 for unknown") {
  const Vocabulary v({"the", "movie", "great"});
  CHECK(v.size() == 3);
  CHECK(v.find("the") == 1);
  CHECK(v.find("great") == 3);
  CHECK(v.find("bad") == 0);
  int64_t unk = 0, total = 0;
  CHECK(v.encode("The movie was GREAT!", 0, &unk, &total) == std::vector<int32_t>{1, 2, 0, 3});
  CHECK(unk == 1);
  CHECK(total == 4);
  CHECK(v.encode("The movie was GREAT!", 2) == std::vector<int32_t>{1, 2});
  CHECK(v.encode("!!!", 5) == std::vector<int32_t>{0});  // never empty
  CHECK(Vocabulary().encode("anything", 0) == std::vector<int32_t>{0});
  CHECK_THROWS_AS(Vocabulary({"a", "b", "a"}), Error);
  // Many words (table growth).
  std::vector<std::string> words;
  for (int i = 0; i < 5000; ++i) words.push_back("w" + std::to_string(i));
  const Vocabulary big(words);
  CHECK(big.find("w4999") == 5000);
  CHECK(big.find("w5000") == 0);
}

TEST_CASE("sentiment data: SST-2 and IMDB style TSV, columns by name") {
  TempDir d;
  testutil::writeFile(d.file("sst.tsv"), "sentence\tlabel\nit 's great \t1\r\nawful . \t0\n\n");
  auto rows = readLabeledTsv(d.file("sst.tsv"), "", "label", true);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].text == "it 's great ");
  CHECK(rows[0].label == 1);
  CHECK(rows[1].label == 0);

  testutil::writeFile(d.file("imdb.tsv"),
                      "id\tlabel\trating\ttext\ntrain/neg/0_3\t0\t3\tBad. <b>Really</b>\ntrain/pos/1_9\t1\t9\tLoved it\n");
  rows = readLabeledTsv(d.file("imdb.tsv"), "", "label", true);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].text == "Bad. <b>Really</b>");
  CHECK(rows[1].label == 1);
  // Another column chosen by name; the rating column is not a 0/1 label.
  rows = readLabeledTsv(d.file("imdb.tsv"), "id", "label", true);
  CHECK(rows[1].text == "train/pos/1_9");
  CHECK_THROWS_WITH_AS(readLabeledTsv(d.file("imdb.tsv"), "", "rating", true),
                       doctest::Contains("line 2: label '3' is not 0 or 1"), Error);

  // Unlabelled file (SST-2 test): labels -1 unless required.
  testutil::writeFile(d.file("test.tsv"), "index\tsentence\n0\tfine\n");
  rows = readLabeledTsv(d.file("test.tsv"), "", "label", false);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].label == -1);
  CHECK_THROWS_WITH_AS(readLabeledTsv(d.file("test.tsv"), "", "label", true),
                       doctest::Contains("no label column 'label'"), Error);
}

TEST_CASE("sentiment data: compressed input") {
  TempDir d;
  const std::string content = "sentence\tlabel\ngood\t1\nbad\t0\n";
  testutil::writeGzip(d.file("a.tsv.gz"), content);
  CHECK(readWholeFile(d.file("a.tsv.gz")) == content);
  testutil::writeFile(d.file("b.tsv"), content);
  REQUIRE(std::system(("xz -k '" + d.file("b.tsv") + "'").c_str()) == 0);
  CHECK(readWholeFile(d.file("b.tsv.xz")) == content);
  CHECK(readLabeledTsv(d.file("b.tsv.xz"), "", "label", true).size() == 2);
  // Corrupt and truncated xz.
  std::string xz = testutil::readFile(d.file("b.tsv.xz"));
  testutil::writeFile(d.file("trunc.xz"), xz.substr(0, xz.size() / 2));
  CHECK_THROWS_WITH_AS(readWholeFile(d.file("trunc.xz")), doctest::Contains("trunc.xz"), Error);
  testutil::writeFile(d.file("plain.xz"), "not xz at all");
  CHECK_THROWS_WITH_AS(readWholeFile(d.file("plain.xz")), doctest::Contains("not in xz format"), Error);
}

TEST_CASE("sentiment data: malformed files name the file and line") {
  TempDir d;
  testutil::writeFile(d.file("empty.tsv"), "");
  CHECK_THROWS_WITH_AS(readLabeledTsv(d.file("empty.tsv"), "", "label", true), doctest::Contains("empty"), Error);
  testutil::writeFile(d.file("nocol.tsv"), "review\tlabel\nx\t1\n");
  CHECK_THROWS_WITH_AS(readLabeledTsv(d.file("nocol.tsv"), "", "label", true),
                       doctest::Contains("no text column"), Error);
  CHECK_THROWS_WITH_AS(readLabeledTsv(d.file("nocol.tsv"), "body", "label", true),
                       doctest::Contains("'body'"), Error);
  testutil::writeFile(d.file("cols.tsv"), "sentence\tlabel\nok\t1\ntoo\tmany\t1\n");
  CHECK_THROWS_WITH_AS(readLabeledTsv(d.file("cols.tsv"), "", "label", true),
                       doctest::Contains("cols.tsv' line 3: 3 columns, the header has 2"), Error);
  testutil::writeFile(d.file("label.tsv"), "sentence\tlabel\nok\tpositive\n");
  CHECK_THROWS_WITH_AS(readLabeledTsv(d.file("label.tsv"), "", "label", true),
                       doctest::Contains("line 2: label 'positive'"), Error);
  CHECK_THROWS_WITH_AS(readLabeledTsv(d.file("missing.tsv"), "", "label", true),
                       doctest::Contains("missing.tsv"), Error);
}
