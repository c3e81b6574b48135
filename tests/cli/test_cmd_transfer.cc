// wembed train --init-vectors, --save-model, --init, --freeze-old: pretrained
// vectors and continued training from the command line.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "test_util.h"

using testutil::q;
using testutil::runWembed;
using testutil::TempDir;

namespace {

// Lines alternating between the topics 'a' and 'b', words {lo..hi-1}.
std::string topicLines(int lines, int lo, int hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (int s = 0; s < lines; ++s) {
    for (int i = 0; i < 12; ++i)
      text += std::string(1, s % 2 ? 'a' : 'b') + std::to_string(lo + static_cast<int>(rng() % (hi - lo))) + " ";
    text += "\n";
  }
  return text;
}

const std::string kTrain = "train --min-count 1 --dim 8 --threads 1 --epochs 2 ";

// `wembed ARGS` run in directory d (relative names are d's files).
testutil::RunResult wembedIn(const std::string& args, const TempDir& d) {
  return testutil::run("cd " + q(d.path()) + " && " + q(testutil::kBin) + " " + args, d.path());
}

}  // namespace

TEST_CASE("train --init-vectors: the words found start from a gensim text file; a bad file is one error line") {
  TempDir d, out;
  testutil::writeFile(d.file("A.txt"), topicLines(300, 0, 6, 1));
  testutil::writeFile(d.file("pre.txt"), "2 8\na1 1 2 3 4 5 6 7 8\nzz 1 1 1 1 1 1 1 1\n");
  auto r = runWembed(kTrain + "--input " + q(d.file("A.txt")) + " --output " + q(out.file("v.bin")) +
                         " --init-vectors " + q(d.file("pre.txt")),
                     d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("train: initialised 1 of 12 vocabulary words from --init-vectors") != std::string::npos);
  std::remove(out.file("v.bin").c_str());
  testutil::writeFile(d.file("pre3.txt"), "1 3\na1 1 2 3\n");
  r = runWembed(kTrain + "--input " + q(d.file("A.txt")) + " --output " + q(out.file("v.bin")) + " --init-vectors " +
                    q(d.file("pre3.txt")),
                d);
  testutil::checkFailure(r, out.path(), "dimension", "--init-vectors '" + d.file("pre3.txt") + "' has 3 dimensions but --dim is 8");
  testutil::writeFile(d.file("cut.txt"), "2 8\na1 1 2 3 4 5 6 7 8\n");
  r = runWembed(kTrain + "--input " + q(d.file("A.txt")) + " --output " + q(out.file("v.bin")) + " --init-vectors " +
                    q(d.file("cut.txt")),
                d);
  testutil::checkFailure(r, out.path(), "damaged", "--init-vectors");
  r = runWembed("train --model glove --min-count 1 --dim 8 --threads 1 --input " + q(d.file("A.txt")) + " --output " +
                    q(out.file("g.txt")) + " --init-vectors " + q(d.file("pre3.txt")),
                d);
  testutil::checkFailure(r, out.path(), "glove dimension", "--init-vectors");
}

TEST_CASE("train --save-model / --init: a model continued on new text; the query commands read the model") {
  TempDir d;
  testutil::writeFile(d.file("A.txt"), topicLines(400, 0, 6, 1));
  testutil::writeFile(d.file("B.txt"), topicLines(400, 0, 10, 2));
  auto r = wembedIn(kTrain + "--input A.txt --output v1.bin --save-model run.model", d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  r = wembedIn("neighbors run.model a1 -k 3", d);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("a") != std::string::npos);
  r = wembedIn("train --input B.txt --min-count 1 --threads 1 --init run.model --output v2.bin --save-model run2.model "
                "--alpha 0.0125",
                d);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("continuing 'run.model': 12 words of the model, 8 new ones") != std::string::npos);
  CHECK(r.err.find("dim 8") != std::string::npos);  // the model's dimension, not the default 100
  r = wembedIn("train --input B.txt --init run.model --output v3.bin --loss hs", d);
  testutil::checkError(r, "train", "--loss hs conflicts with the model --init 'run.model'");
  r = wembedIn("train --input B.txt --init v1.bin --output v3.bin", d);
  testutil::checkError(r, "train", "not a full model");
  r = wembedIn("train --input B.txt --freeze-old --output v3.bin", d);
  testutil::checkError(r, "train", "--freeze-old needs --init");
  r = wembedIn("train --model glove --input B.txt --init run.model --output v3.txt", d);
  testutil::checkError(r, "train", "--init does not apply to --model glove");
  r = wembedIn("train --help", d);
  CHECK(r.out.find("smaller than the first run's") != std::string::npos);
}
