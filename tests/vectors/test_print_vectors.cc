// `wembed vectors` as library calls: fastText's print-word-vectors and
// print-sentence-vectors on models with and without subwords.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "subword_model.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/print_vectors.h"

using namespace wembed;
using testutil::captured;
using testutil::makeVectors;
using testutil::TempDir;

namespace {

using Rows = std::vector<std::pair<std::string, std::vector<float>>>;
const Rows kRows = {{"king", {0.5f, 1.25f}}, {"queen", {-1, 2e-6f}}, {"zero", {0, 0}}, {"king", {7, 7}}};

}  // namespace

TEST_CASE("print_vectors: fastText's number format, each value followed by a space") {
  const float v[] = {0.5f, 1.25f, -1e-5f, 123456.7f, 0.f, -0.f, 1.f / 3};
  CHECK(formatVector(v, 7) == "0.5 1.25 -1e-05 1.2346e+05 0 -0 0.33333 ");
  CHECK(formatVector(v, 0).empty());
}

TEST_CASE("print_vectors: vocabulary rows as loaded, others composed from n-grams or zero") {
  const WordVectors plain(makeVectors(kRows));
  CHECK_FALSE(plain.hasSubwords());
  AlignedBuffer out(plain.stride());
  CHECK(plain.vector("king", out.data()) == WordSource::kVocabulary);  // the first "king" (gensim's rule)
  CHECK(out.data()[0] == 0.5f);
  CHECK(out.data()[1] == 1.25f);
  CHECK(plain.vector("kingz", out.data()) == WordSource::kNone);
  CHECK(out.data()[0] == 0.f);

  // With subwords: "kingz" is the mean of its 9 n-gram rows (minn 3, maxn 4), 5 of them
  // king's (<ki, <kin, kin, king, ing), each holding king's vector, the other 4 empty.
  const WordVectors sub(testutil::subwordModel(Rows(kRows.begin(), kRows.begin() + 3)));  // one king
  CHECK(sub.hasSubwords());
  CHECK(sub.vector("kingz", out.data()) == WordSource::kComposed);
  CHECK(out.data()[0] == doctest::Approx(0.5 * 5 / 9));
  CHECK(out.data()[1] == doctest::Approx(1.25 * 5 / 9));
  CHECK(sub.vector("queen", out.data()) == WordSource::kVocabulary);
  CHECK(out.data()[0] == -1.f);
  CHECK(sub.vector("</s>", out.data()) == WordSource::kNone);  // no n-gram, no row: zeros, as fastText
}

TEST_CASE("print_vectors: a sentence is the mean of its words' unit vectors, zero ones skipped") {
  const WordVectors v(makeVectors(kRows));
  AlignedBuffer out(v.stride());
  PrintCounts counts;
  // king (0.5, 1.25) / 1.34629..., queen (-1, 2e-6) / 1; "zero" and the unknown word count for nothing.
  sentenceVector(v, "  king\tzero queen nobody\r", out.data(), &counts);
  const double n = std::sqrt(0.25 + 1.5625);
  CHECK(out.data()[0] == doctest::Approx((0.5 / n - 1) / 2).epsilon(1e-6));
  CHECK(out.data()[1] == doctest::Approx((1.25 / n + 2e-6) / 2).epsilon(1e-6));
  CHECK(counts.words == 4);
  CHECK(counts.unknown == 1);
  CHECK(counts.unknown_words == std::vector<std::string>{"nobody"});
  sentenceVector(v, "zero nobody", out.data());
  CHECK(out.data()[0] == 0.f);
  CHECK(out.data()[1] == 0.f);
  sentenceVector(v, "queen", out.data());
  CHECK(out.data()[0] == -1.f);  // 1.0 / norm exactly 1
}

TEST_CASE("print_vectors: words and sentences from a file, one line per word or per line") {
  TempDir d;
  testutil::writeFile(d.file("words.txt"), "king  queen\n\n\tnobody\nking");
  testutil::writeFile(d.file("sentences.txt"), "king queen\n\nnobody\nqueen");
  const WordVectors v(makeVectors(kRows));
  PrintCounts c;
  const std::string words = captured([&](std::FILE* f) { printWordVectorsFrom(v, d.file("words.txt"), f, c); });
  CHECK(words == "king 0.5 1.25 \nqueen -1 2e-06 \nnobody 0 0 \nking 0.5 1.25 \n");
  CHECK(c.words == 4);
  CHECK(c.unknown == 1);
  PrintCounts a;
  CHECK(captured([&](std::FILE* f) { printWordVectors(v, {"queen", "zero"}, f, a); }) ==
        "queen -1 2e-06 \nzero 0 0 \n");
  CHECK(a.unknown == 0);  // a zero row is still a row
  PrintCounts s;
  const std::string sent = captured([&](std::FILE* f) { printSentenceVectors(v, d.file("sentences.txt"), f, s); });
  CHECK(sent == "-0.3143 0.46424 \n0 0 \n0 0 \n-1 2e-06 \n");
  CHECK(s.words == 4);
  CHECK_THROWS_WITH_AS(printSentenceVectors(v, d.file("none.txt"), stdout, s), doctest::Contains("none.txt"), Error);
}
