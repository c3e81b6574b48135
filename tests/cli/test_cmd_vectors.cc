// The `wembed vectors` command: fastText's print-word-vectors and
// print-sentence-vectors for any vector file.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::checkError;
using testutil::q;
using testutil::runWembed;
using testutil::TempDir;

namespace {

std::string writeVectors(const TempDir& d) {
  saveVectors(d.file("v.txt"), testutil::makeVectors({{"king", {0.5f, 1.25f}}, {"queen", {-1, 2e-6f}}}),
              VectorFormat::kWord2vecText);
  return q(d.file("v.txt"));
}

}  // namespace

TEST_CASE("cmd vectors: words from the command line or standard input, one line each") {
  TempDir d;
  const std::string v = writeVectors(d);
  auto r = runWembed("vectors " + v + " king queen", d);
  CHECK(r.status == 0);
  CHECK(r.out == "king 0.5 1.25 \nqueen -1 2e-06 \n");
  CHECK(r.err.empty());
  // An unknown word: a zero vector, as fastText prints it, and a note on stderr.
  r = runWembed("vectors " + v + " nobody king", d);
  CHECK(r.status == 0);
  CHECK(r.out == "nobody 0 0 \nking 0.5 1.25 \n");
  CHECK(r.err == "wembed vectors: note: 1 of 2 words not in the vocabulary (the model has no subwords), printed as "
                 "zero vectors: 'nobody'\n");
  // Standard input: whitespace-separated words, across lines.
  testutil::writeFile(d.file("w.txt"), "queen\tking\n\nking\n");
  r = runWembed("vectors " + v + " < " + q(d.file("w.txt")), d);
  CHECK(r.status == 0);
  CHECK(r.out == "queen -1 2e-06 \nking 0.5 1.25 \nking 0.5 1.25 \n");
  // -i: every positional argument is a word.
  r = runWembed("vectors -i " + v + " queen", d);
  CHECK(r.out == "queen -1 2e-06 \n");
}

TEST_CASE("cmd vectors: --sentences prints one vector per line of standard input") {
  TempDir d;
  const std::string v = writeVectors(d);
  testutil::writeFile(d.file("s.txt"), "king queen\n\nnobody\n");
  const auto r = runWembed("vectors " + v + " --sentences < " + q(d.file("s.txt")), d);
  CHECK(r.status == 0);
  // (unit(king) + unit(queen)) / 2; an empty line and a line of unknown words: zero vectors.
  CHECK(r.out == "-0.3143 0.46424 \n0 0 \n0 0 \n");
  CHECK(r.err.find("left out of the sentence vectors: 'nobody'") != std::string::npos);
}

TEST_CASE("cmd vectors: help, usage and one-line errors") {
  TempDir d;
  const std::string v = writeVectors(d);
  auto r = runWembed("help vectors", d);
  CHECK(r.status == 0);
  CHECK(r.out.find("usage: wembed vectors VECTORS [WORD...] [--sentences]") == 0);
  r = runWembed("--help", d);
  CHECK(r.out.find("  vectors    print the vectors of words or sentences") != std::string::npos);
  checkError(runWembed("vectors", d), "vectors", "no vector file given");
  checkError(runWembed("vectors " + v + " king --sentences", d), "vectors", "give no words");
  checkError(runWembed("vectors - < " + v, d), "vectors", "cannot both come from standard input");
  checkError(runWembed("vectors " + q(d.file("none.txt")) + " king", d), "vectors", "none.txt");
  checkError(runWembed("vectors " + v + " king --limit -1", d), "vectors", "--limit");
  checkError(runWembed("vectors " + v + " king --format foo", d), "vectors", "foo");
}
