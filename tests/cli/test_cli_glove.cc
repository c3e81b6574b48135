// The `wembed cooccur` and `wembed train --model glove` front ends.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/glove/cooccur.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/vectors/vectors.h"

using testutil::checkFailure, testutil::kBin, testutil::q, testutil::runWembed, testutil::TempDir;

namespace {

const char* kCorpus = "a b z c a b\nc a\n";

std::string corpus(int lines) {
  std::string s;
  unsigned x = 12345;
  for (int l = 0; l < lines; ++l) {
    const char topic = (l % 2) ? 'p' : 'q';
    for (int i = 0; i < 12; ++i) {
      x = x * 1103515245u + 12345u;
      s += (i ? " " : "") + std::string(1, topic) + std::to_string((x >> 16) % 9);
    }
    s += "\n";
  }
  return s;
}


}  // namespace

TEST_CASE("cli glove: cooccur --help and usage") {
  TempDir d;
  auto r = runWembed("cooccur --help", d);
  CHECK(r.status == 0);
  for (const char* opt : {"--input", "--output", "--vocab", "--save-vocab", "--window", "--min-count", "--memory",
                          "--max-open", "--asymmetric", "--cross-sentences", "--tmp-dir", "--threads"}) {
    INFO(opt);
    CHECK(r.out.find(opt) != std::string::npos);
  }
  r = runWembed("train --help", d);
  for (const char* opt : {"glove", "--cooccur", "--x-max", "--alpha-weight", "--eta", "--grad-clip", "--glove-vectors",
                          "--memory", "--save-cooccur"}) {
    INFO(opt);
    CHECK(r.out.find(opt) != std::string::npos);
  }
  r = runWembed("--help", d);
  CHECK(r.out.find("cooccur") != std::string::npos);
}

TEST_CASE("cli glove: cooccur writes the counts; stdin and --vocab give the same file") {
  TempDir d;
  const std::string in = d.subdir("in"), out = d.subdir("out"), tmp = d.subdir("tmp");
  testutil::writeFile(in + "/c.txt", kCorpus);
  auto r = runWembed("cooccur " + q(in + "/c.txt") + " -o " + q(out + "/c.bin") + " --save-vocab " +
                         q(out + "/v.txt") + " --min-count 2 --window 3 --tmp-dir " + q(tmp),
                     d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("wrote 8 records to " + out + "/c.bin (") != std::string::npos);  // the final name
  wembed::CooccurReader rd(out + "/c.bin");
  CHECK(rd.records() == 8);
  CHECK(rd.header().vocab_size == 3);
  CHECK(rd.header().window == 3);
  CHECK(testutil::readFile(out + "/v.txt") == "a 3\nb 2\nc 2\n");
  const std::string bytes = testutil::readFile(out + "/c.bin");

  r = testutil::run("cat " + q(in + "/c.txt") + " | " + q(kBin) + " cooccur --input - -o " + q(out + "/s.bin") +
                        " --min-count 2 --window 3 --quiet --tmp-dir " + q(tmp),
                    d.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK(testutil::readFile(out + "/s.bin") == bytes);

  testutil::writeGzip(in + "/c.txt.gz", kCorpus);
  r = runWembed("cooccur " + q(in + "/c.txt.gz") + " -o " + q(out + "/g.bin") + " --vocab " + q(out + "/v.txt") +
                    " --window 3 --min-count 2 --quiet --tmp-dir " + q(tmp),
                d);
  REQUIRE(r.status == 0);
  CHECK(testutil::readFile(out + "/g.bin") == bytes);
  CHECK(testutil::listDir(tmp).empty());
  // --read-vocab (as train spells it) and --input/--output in full are the same.
  r = runWembed("cooccur --input " + q(in + "/c.txt") + " --output " + q(out + "/r.bin") + " --read-vocab " +
                    q(out + "/v.txt") + " --window 3 --min-count 2 --quiet --tmp-dir " + q(tmp),
                d);
  REQUIRE(r.status == 0);
  CHECK(testutil::readFile(out + "/r.bin") == bytes);
  r = runWembed("cooccur -i " + q(in + "/c.txt") + " -o " + q(out + "/x.bin") + " --vocab " + q(out + "/v.txt") +
                    " --read-vocab " + q(out + "/v.txt") + " --quiet",
                d);
  CHECK(r.status == 1);
  CHECK(r.err.find("--vocab or --read-vocab, not both") != std::string::npos);

  r = runWembed("cooccur " + q(in + "/c.txt") + " -o " + q(out + "/a.bin") +
                    " --min-count 2 --window 3 --asymmetric --cross-sentences --quiet --threads 2 --memory 0.00002 "
                    "--max-open 2 --tmp-dir " + q(tmp),
                d);
  REQUIRE(r.status == 0);
  wembed::CooccurReader ra(out + "/a.bin");
  CHECK((ra.header().flags & wembed::kCooccurSymmetric) == 0);
  CHECK((ra.header().flags & wembed::kCooccurCrossSentences) != 0);
  CHECK(testutil::listDir(tmp).empty());
}

TEST_CASE("cli glove: cooccur errors - one line, exit 1, nothing left behind") {
  TempDir d;
  const std::string in = d.subdir("in"), out = d.subdir("out"), tmp = d.subdir("tmp");
  testutil::writeFile(in + "/c.txt", kCorpus);
  const std::string c = q(in + "/c.txt"), o = " -o " + q(out + "/c.bin"), t = " --tmp-dir " + q(tmp);
  checkFailure(runWembed("cooccur " + c + t, d), {out, tmp}, "no output", "--output");
  checkFailure(runWembed("cooccur" + o + t, d), {out, tmp}, "no input", "--input");
  checkFailure(runWembed("cooccur " + q(in + "/missing.txt") + o + t, d), {out, tmp}, "missing input", "missing.txt");
  checkFailure(runWembed("cooccur " + c + o + t + " --window 0", d), {out, tmp}, "window 0", "--window");
  checkFailure(runWembed("cooccur " + c + o + t + " --memory 0", d), {out, tmp}, "memory 0", "--memory");
  checkFailure(runWembed("cooccur " + c + o + t + " --max-open 1", d), {out, tmp}, "max-open 1", "--max-open");
  checkFailure(runWembed("cooccur " + c + o + t + " --min-count 100", d), {out, tmp}, "nothing reaches min-count",
               "min-count");
  checkFailure(runWembed("cooccur " + c + " -o " + q(out + "/no/c.bin") + t, d), {out, tmp}, "output dir missing",
               "does not exist");
  checkFailure(runWembed("cooccur " + c + o + " --tmp-dir " + q(d.file("nowhere")), d), {out, tmp},
               "tmp dir missing", "nowhere");
  checkFailure(runWembed("cooccur " + c + o + t + " --vocab " + q(in + "/none.txt"), d), {out, tmp},
               "vocab missing", "none.txt");
  checkFailure(runWembed("cooccur " + c + o + t + " --vocab " + q(in + "/c.txt") + " --save-vocab " +
                             q(out + "/v.txt"),
                         d),
               {out, tmp}, "vocab and save-vocab", "--save-vocab");
}

TEST_CASE("cli glove: train --model glove from a corpus and from a co-occurrence file") {
  TempDir d;
  const std::string in = d.subdir("in"), out = d.subdir("out"), tmp = d.subdir("tmp");
  testutil::writeFile(in + "/c.txt", corpus(200));
  const std::string common = " --dim 8 --epochs 4 --min-count 1 --threads 1 --x-max 10 --tmp-dir " + q(tmp);

  auto r = runWembed("train --model glove --input " + q(in + "/c.txt") + " --output " + q(out + "/v.txt") +
                         " --save-vocab " + q(out + "/vocab.txt") + " --save-cooccur " + q(out + "/c.bin") +
                         " --output-context " + q(out + "/ctx.txt") + common,
                     d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("epoch 4/4") != std::string::npos);
  CHECK(testutil::listDir(tmp).empty());
  const wembed::Vectors v = wembed::loadWord2vec(out + "/v.txt");
  CHECK(v.words.size() == 18);
  CHECK(v.matrix.cols() == 8);
  const wembed::Vectors ctx = wembed::loadWord2vec(out + "/ctx.txt");
  CHECK(ctx.words == v.words);

  // The same counts from the file, the same seed: the same vectors.
  r = runWembed("train --model glove --cooccur " + q(out + "/c.bin") + " --read-vocab " + q(out + "/vocab.txt") +
                    " --output " + q(out + "/v2.txt") + common,
                d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(testutil::readFile(out + "/v2.txt") == testutil::readFile(out + "/v.txt"));

  // W alone, binary output.
  r = runWembed("train --model glove --cooccur " + q(out + "/c.bin") + " --read-vocab " + q(out + "/vocab.txt") +
                    " --output " + q(out + "/w.bin") + " --glove-vectors word --quiet" + common,
                d);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const wembed::Vectors w = wembed::loadWord2vec(out + "/w.bin");
  REQUIRE(w.words == v.words);
  // v = W + W~ and ctx = W~, so v - ctx = W.
  for (size_t i = 0; i < w.words.size(); ++i)
    for (int k = 0; k < 8; ++k)
      CHECK(w.matrix.row(i)[k] == doctest::Approx(v.matrix.row(i)[k] - ctx.matrix.row(i)[k]).epsilon(1e-4));

  // Every output format train writes: .wev is the native format, with the counts.
  r = runWembed("train --model glove --cooccur " + q(out + "/c.bin") + " --read-vocab " + q(out + "/vocab.txt") +
                    " --output " + q(out + "/v.wev") + " --quiet" + common,
                d);
  REQUIRE(r.status == 0);
  CHECK((wembed::detectVectorFormat(out + "/v.wev") == wembed::VectorFormat::kNative));
  const wembed::Vectors nat = wembed::loadVectors(out + "/v.wev");
  CHECK(nat.words == v.words);
  CHECK(nat.counts.size() == v.words.size());
  CHECK(testutil::readFile(out + "/v.wev") != testutil::readFile(out + "/v.txt"));
}

TEST_CASE("cli glove: train --model glove errors") {
  TempDir d;
  const std::string in = d.subdir("in"), out = d.subdir("out"), tmp = d.subdir("tmp"), keep = d.subdir("keep");
  testutil::writeFile(in + "/c.txt", corpus(50));
  const std::string c = " --input " + q(in + "/c.txt"), o = " --output " + q(out + "/v.txt"),
                    t = " --tmp-dir " + q(tmp) + " --min-count 1 --dim 4 --epochs 1";
  REQUIRE(runWembed("cooccur" + c + " -o " + q(keep + "/c.bin") + " --save-vocab " + q(keep + "/v.txt") +
                        " --min-count 1 --quiet",
                    d)
              .status == 0);
  const std::string cf = " --cooccur " + q(keep + "/c.bin"), vf = " --read-vocab " + q(keep + "/v.txt");
  checkFailure(runWembed("train --model glove" + cf + o + t, d), {out, tmp}, "cooccur without vocab", "--read-vocab");
  checkFailure(runWembed("train --model glove" + cf + vf + c + o + t, d), {out, tmp}, "cooccur and input", "either");
  checkFailure(runWembed("train --model glove" + cf + vf + o + t + " --max-vocab 3", d), {out, tmp},
               "vocabulary mismatch", "was counted over");
  checkFailure(runWembed("train --model glove" + c + o + t + " --alpha 0.1", d), {out, tmp}, "alpha", "--eta");
  checkFailure(runWembed("train --model glove" + c + o + t + " --negative 3", d), {out, tmp}, "negative",
               "--negative");
  checkFailure(runWembed("train --model skipgram" + c + o + t + " --x-max 5", d), {out, tmp}, "x-max for skipgram",
               "--x-max");
  checkFailure(runWembed("train --model glove" + c + o + t + " --glove-vectors both", d), {out, tmp},
               "glove-vectors", "both");
  checkFailure(runWembed("train --model glove" + c + o + t + " --eta 0", d), {out, tmp}, "eta 0", "--eta");
  checkFailure(runWembed("train --model glove" + c + o + t + " --x-max -1", d), {out, tmp}, "x-max", "--x-max");
  testutil::writeFile(keep + "/trunc.bin", testutil::readFile(keep + "/c.bin").substr(0, 50));
  checkFailure(runWembed("train --model glove --cooccur " + q(keep + "/trunc.bin") + vf + o + t, d), {out, tmp},
               "truncated cooccur", "trunc.bin");
  checkFailure(runWembed("train --model glove --cooccur " + q(keep + "/v.txt") + vf + o + t, d), {out, tmp},
               "not a cooccur file", "wrong magic");
}
