#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "test_fixtures.h"
#include "test_util.h"

using testutil::checkFailure, testutil::kBin, testutil::q, testutil::runWembed, testutil::TempDir;

namespace {

struct Fixture {
  TempDir d;
  std::string in, out;
  Fixture() {
    in = d.subdir("in");
    out = d.subdir("out");
    testutil::writeFile(in + "/vec.txt", testutil::sentimentVectorsText());
    testutil::writeFile(in + "/train.tsv", testutil::sentimentTsv(200, 1));
    testutil::writeFile(in + "/dev.tsv", testutil::sentimentTsv(60, 2));
  }
  std::string trainArgs(const std::string& model, int epochs = 25) const {
    return "sentiment train --vectors " + q(in + "/vec.txt") + " --train " + q(in + "/train.tsv") + " --dev " +
           q(in + "/dev.tsv") + " --model-file " + q(model) + " --hidden 8 --epochs " + std::to_string(epochs) +
           " --patience 25 --lr 0.02 --dropout 0.1 --batch 16 --threads 2";
  }
};

}  // namespace

TEST_CASE("cli sentiment: help for every subcommand") {
  TempDir d;
  auto r = runWembed("sentiment --help", d);
  CHECK(r.status == 0);
  for (const char* s : {"train", "eval", "predict", "tokenize"}) CHECK(r.out.find(s) != std::string::npos);
  r = runWembed("sentiment train --help", d);
  CHECK(r.status == 0);
  for (const char* opt : {"--vectors", "--train", "--dev", "--model-file", "-o [ --output ]", "old spelling", "--cell", "--hidden", "--layers",
                          "--bidirectional", "--pooling", "--dropout", "--fine-tune", "--max-len", "--epochs",
                          "--patience", "--batch", "--lr", "--clip", "--seed", "--threads", "--text-column",
                          "--label-column", "--plot-loss"}) {
    INFO(opt);
    CHECK(r.out.find(opt) != std::string::npos);
  }
  for (const char* sub : {"eval", "predict", "tokenize"}) {
    r = runWembed(std::string("sentiment ") + sub + " --help", d);
    INFO(sub);
    CHECK(r.status == 0);
    CHECK(r.out.find("usage: wembed sentiment") != std::string::npos);
    if (std::string(sub) != "tokenize") CHECK(r.out.find("--model-file") != std::string::npos);
  }
  r = runWembed("--help", d);
  CHECK(r.out.find("sentiment") != std::string::npos);
  r = runWembed("sentiment", d);
  CHECK(r.status == 1);
  testutil::checkError(runWembed("sentiment frobnicate", d), "sentiment", "'frobnicate'");
}

TEST_CASE("cli sentiment: train, eval, predict, tokenize") {
  Fixture f;
  const std::string model = f.out + "/model.bin";
  auto r = runWembed(f.trainArgs(model) + " --cell lstm --bidirectional --pooling attention", f.d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("epoch 1/25") != std::string::npos);
  CHECK(r.err.find("dev accuracy") != std::string::npos);
  CHECK(r.err.find("seq/s") != std::string::npos);
  CHECK(r.err.find("best dev accuracy 100.00%") != std::string::npos);
  CHECK(testutil::listDir(f.out) == std::vector<std::string>{"model.bin"});

  r = runWembed("sentiment eval --model-file " + q(model) + " --data " + q(f.in + "/dev.tsv"), f.d);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("accuracy: 100.00%") != std::string::npos);
  CHECK(r.out.find("precision") != std::string::npos);
  CHECK(r.out.find("confusion matrix") != std::string::npos);
  r = runWembed("sentiment eval --json --model-file " + q(model) + " --data " + q(f.in + "/dev.tsv"), f.d);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\"accuracy\": 1.000000") != std::string::npos);
  CHECK(r.out.find("\"tp\": 30") != std::string::npos);

  testutil::writeFile(f.in + "/texts.txt", "a GOOD movie\nthe plot was awful\n\nGreat!\n");
  r = runWembed("sentiment predict --model-file " + q(model) + " " + q(f.in + "/texts.txt"), f.d);
  REQUIRE(r.status == 0);
  const auto lines = testutil::nonEmptyLines(r.out);
  REQUIRE(lines.size() == 4);  // one line per input line, the empty one included
  CHECK(lines[0].rfind("1\t", 0) == 0);
  CHECK(lines[1].rfind("0\t", 0) == 0);
  CHECK(lines[3].rfind("1\t", 0) == 0);
  for (const auto& l : lines) {
    const double p = std::stod(l.substr(2));
    CHECK(p >= 0.5);
    CHECK(p <= 1.0);
  }
  r = testutil::run("printf 'so bad\\n' | " + q(kBin) + " sentiment predict --model " + q(model), f.d.path());
  REQUIRE(r.status == 0);
  CHECK(r.out.rfind("0\t", 0) == 0);

  testutil::writeFile(f.in + "/t.tsv", "id\tlabel\ttext\nx\t1\tDon't GO, 10/10!\n");
  r = runWembed("sentiment tokenize --data " + q(f.in + "/t.tsv"), f.d);
  REQUIRE(r.status == 0);
  CHECK(r.out == "1\tdon t go one zero one zero\n");
  r = runWembed("sentiment tokenize --format fasttext --max-len 3 --data " + q(f.in + "/t.tsv"), f.d);
  CHECK(r.out == "__label__1 don t go\n");
  r = runWembed("sentiment tokenize -o " + q(f.out + "/t.txt") + " --data " + q(f.in + "/t.tsv"), f.d);
  REQUIRE(r.status == 0);
  CHECK(r.out.empty());
  CHECK(testutil::readFile(f.out + "/t.txt") == "1\tdon t go one zero one zero\n");
}

TEST_CASE("cli sentiment: --model, the old spelling of --model-file, still works; two spellings are refused") {
  Fixture f;
  const std::string a = f.in + "/a.bin", b = f.in + "/b.bin", c = f.in + "/c.bin";
  REQUIRE(runWembed(f.trainArgs(a, 2) + " --quiet", f.d).status == 0);
  std::string old = f.trainArgs(b, 2) + " --quiet";
  old.replace(old.find("--model-file"), 12, "--model");
  REQUIRE(runWembed(old, f.d).status == 0);
  std::string o = f.trainArgs(c, 2) + " --quiet";
  o.replace(o.find("--model-file"), 12, "-o");
  REQUIRE(runWembed(o, f.d).status == 0);
  CHECK(testutil::readFile(b) == testutil::readFile(a));
  CHECK(testutil::readFile(c) == testutil::readFile(a));
  const std::string dev = q(f.in + "/dev.tsv");
  const auto e1 = runWembed("sentiment eval --model-file " + q(a) + " --data " + dev + " --json", f.d);
  const auto e2 = runWembed("sentiment eval --model " + q(a) + " --data " + dev + " --json", f.d);
  REQUIRE(e1.status == 0);
  CHECK(e2.out.substr(0, e2.out.find("\"seconds\"")) == e1.out.substr(0, e1.out.find("\"seconds\"")));
  testutil::writeFile(f.in + "/texts.txt", "a good film\nawful\n");
  const auto p1 = runWembed("sentiment predict --model-file " + q(a) + " " + q(f.in + "/texts.txt"), f.d);
  const auto p2 = runWembed("sentiment predict --model " + q(a) + " " + q(f.in + "/texts.txt"), f.d);
  REQUIRE(p1.status == 0);
  CHECK(p2.out == p1.out);
  checkFailure(runWembed(f.trainArgs(f.out + "/x.bin") + " --model " + q(f.out + "/y.bin"), f.d), f.out,
               "two model spellings", "give the model file once");
  checkFailure(runWembed("sentiment eval --model " + q(a) + " --model-file " + q(a) + " --data " + dev, f.d), f.out,
               "two model spellings (eval)", "give the model file once");
}

TEST_CASE("cli sentiment: GRU with every pooling trains from the command line") {
  Fixture f;
  for (const char* pool : {"last", "mean", "max"}) {
    const std::string model = f.out + "/m.bin";
    auto r = runWembed(f.trainArgs(model, 3) + " --quiet --layers 2 --pooling " + pool, f.d);
    INFO(pool << ": " << r.err);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    r = runWembed("sentiment eval --model " + q(model) + " --data " + q(f.in + "/dev.tsv"), f.d);
    CHECK(r.status == 0);
  }
}

TEST_CASE("cli sentiment: error paths - one error line, exit 1, no output") {
  Fixture f;
  const std::string m = f.out + "/m.bin";
  const std::string vec = q(f.in + "/vec.txt"), tr = q(f.in + "/train.tsv"), dv = q(f.in + "/dev.tsv");
  checkFailure(runWembed("sentiment train --train " + tr + " --dev " + dv + " --model-file " + q(m), f.d), f.out,
               "no vectors");
  checkFailure(runWembed("sentiment train --vectors " + vec + " --dev " + dv + " --model-file " + q(m), f.d), f.out,
               "no train");
  checkFailure(runWembed("sentiment train --vectors " + vec + " --train " + tr + " --dev " + dv, f.d), f.out,
               "no model", "no --model-file");
  checkFailure(runWembed(f.trainArgs(m) + " --cell rnn", f.d), f.out, "bad cell");
  checkFailure(runWembed(f.trainArgs(m) + " --pooling sum", f.d), f.out, "bad pooling");
  checkFailure(runWembed(f.trainArgs(m) + " --hidden 0", f.d), f.out, "bad hidden");
  checkFailure(runWembed(f.trainArgs(m) + " --dropout 1", f.d), f.out, "bad dropout");
  checkFailure(runWembed(f.trainArgs(m) + " --text-column review", f.d), f.out, "missing column");
  checkFailure(runWembed(f.trainArgs(m) + " --frobnicate", f.d), f.out, "unknown option");
  checkFailure(runWembed(f.trainArgs(m) + " --batch x", f.d), f.out, "bad number");
  checkFailure(runWembed("sentiment train --vectors " + q(f.in + "/none.vec") + " --train " + tr + " --dev " + dv +
                             " --model-file " + q(m),
                         f.d),
               f.out, "missing vectors");
  checkFailure(runWembed("sentiment train --vectors " + vec + " --train " + q(f.in + "/none.tsv") + " --dev " + dv +
                             " --model-file " + q(m),
                         f.d),
               f.out, "missing train");
  checkFailure(runWembed(f.trainArgs(f.out + "/no/dir/m.bin"), f.d), f.out, "unwritable model");
  testutil::writeFile(f.in + "/badlabel.tsv", "sentence\tlabel\ngood\t1\nbad\tneg\n");
  checkFailure(runWembed("sentiment train --vectors " + vec + " --train " + q(f.in + "/badlabel.tsv") + " --dev " +
                             dv + " --model-file " + q(m),
                         f.d),
               f.out, "bad label");
  testutil::writeFile(f.in + "/bad.vec", "2 3\nx 1 2\n");
  checkFailure(runWembed("sentiment train --vectors " + q(f.in + "/bad.vec") + " --train " + tr + " --dev " + dv +
                             " --model-file " + q(m),
                         f.d),
               f.out, "bad vectors");

  // eval / predict with missing or corrupt models and data.
  checkFailure(runWembed("sentiment eval --model-file " + q(f.in + "/none.bin") + " --data " + dv, f.d), f.out,
               "missing model");
  checkFailure(runWembed("sentiment eval --model-file " + vec + " --data " + dv, f.d), f.out, "not a model");
  checkFailure(runWembed("sentiment eval --data " + dv, f.d), f.out, "eval without model", "no --model-file given");
  checkFailure(runWembed("sentiment predict --model-file " + vec + " " + dv, f.d), f.out, "predict with a non-model");
  REQUIRE(runWembed(f.trainArgs(f.in + "/good.bin", 1) + " --quiet", f.d).status == 0);
  std::string bytes = testutil::readFile(f.in + "/good.bin");
  bytes[bytes.size() / 2] ^= 1;
  testutil::writeFile(f.in + "/corrupt.bin", bytes);
  const auto r = runWembed("sentiment eval --model-file " + q(f.in + "/corrupt.bin") + " --data " + dv, f.d);
  checkFailure(r, f.out, "corrupt model");
  CHECK(r.err.find("checksum") != std::string::npos);
  checkFailure(runWembed("sentiment eval --model-file " + q(f.in + "/good.bin") + " --data " + q(f.in + "/none.tsv"), f.d),
               f.out, "missing data");
  checkFailure(runWembed("sentiment tokenize --data " + dv + " --format xml", f.d), f.out, "bad tokenize format");
}

TEST_CASE("cli sentiment: --plot-loss draws the loss and the dev accuracy per epoch; bad names fail before training") {
  Fixture f;
  const std::string model = f.out + "/m.bin", svg = f.out + "/run.svg", png = f.out + "/run.png";
  auto r = runWembed(f.trainArgs(model, 5) + " --plot-loss " + q(svg), f.d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("wrote the run's plot") != std::string::npos);
  const std::string pic = testutil::readFile(svg);
  CHECK(pic.rfind("<?xml", 0) == 0);
  CHECK(pic.find("<polyline class=\"loss\"") != std::string::npos);
  size_t markers = 0;
  for (size_t p = pic.find("<circle class=\"dev-accuracy\""); p != std::string::npos;
       p = pic.find("<circle class=\"dev-accuracy\"", p + 1))
    ++markers;
  CHECK(markers == 5);  // one per epoch
  CHECK(pic.find(">dev accuracy</text>") != std::string::npos);
  CHECK(pic.find("sentiment train: gru, hidden 8") != std::string::npos);
  CHECK(pic.find("learning rate 0.02 (constant)") != std::string::npos);

  REQUIRE(runWembed(f.trainArgs(model, 2) + " --quiet --plot-loss " + q(png), f.d).status == 0);
  CHECK(testutil::readFile(png).compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(testutil::listDir(f.out) == std::vector<std::string>{"m.bin", "run.png", "run.svg"});

  // A finished run resumed from its checkpoint still draws (from where it resumed: no new epoch).
  const std::string ckpt = f.out + "/run.ckpt", again = f.out + "/again.svg";
  REQUIRE(runWembed(f.trainArgs(model, 2) + " --quiet --checkpoint-every 1e-9 --checkpoint " + q(ckpt), f.d).status == 0);
  r = runWembed("sentiment train --quiet --resume " + q(ckpt) + " --plot-loss " + q(again), f.d);
  REQUIRE(r.status == 0);
  CHECK(testutil::readFile(again).find("(resumed)") != std::string::npos);

  // Refused before anything is trained or written.
  const std::string empty = f.d.subdir("empty");
  checkFailure(runWembed(f.trainArgs(empty + "/m.bin") + " --plot-loss " + q(empty + "/run.pdf"), f.d), empty,
               "bad plot extension", "--plot-loss: cannot tell the picture format");
  checkFailure(runWembed(f.trainArgs(empty + "/m.bin") + " --plot-loss " + q(empty + "/no/dir/run.svg"), f.d), empty,
               "plot in a missing directory", "does not exist");
  // The same file as the model or an input (a picture name is needed to get that far).
  checkFailure(runWembed(f.trainArgs(empty + "/m.svg") + " --plot-loss " + q(empty + "/m.svg"), f.d), empty,
               "plot over the model", "name the same file");
  testutil::writeFile(f.in + "/dev.svg", testutil::readFile(f.in + "/dev.tsv"));
  checkFailure(runWembed("sentiment train --vectors " + q(f.in + "/vec.txt") + " --train " + q(f.in + "/train.tsv") +
                             " --dev " + q(f.in + "/dev.svg") + " --model-file " + q(empty + "/m.bin") +
                             " --plot-loss " + q(f.in + "/dev.svg"),
                         f.d),
               empty, "plot over an input", "is also an input");
}
