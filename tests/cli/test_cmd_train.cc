// wembed train's own flags (tools/cmd_train.cc) not covered by test_cli.cc:
// the learning-rate floor --min-alpha and the --lr-schedule.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "test_util.h"

using testutil::TempDir;

namespace {

const std::string kBin = WEMBED_BIN;

testutil::RunResult train(const std::string& args, const TempDir& d) {
  return testutil::run("cd '" + d.path() + "' && '" + kBin + "' train --input corpus.txt --min-count 1 --dim 8 --threads 1 " + args,
                       d.path());
}

// The learning rate the last progress line shows (the run's final rate).
double finalLr(const std::string& err) {
  const auto at = err.rfind("lr: ");
  REQUIRE(at != std::string::npos);
  return std::strtod(err.c_str() + at + 4, nullptr);
}

std::string corpus() {
  std::string s;
  for (int i = 0; i < 300; ++i) s += "the cat sat on the mat and the dog sat on the log\n";
  return s;
}

}  // namespace

TEST_CASE("train --min-alpha: the linear decay ends at the given rate") {
  TempDir d;
  testutil::writeFile(d.path() + "/corpus.txt", corpus());
  for (const char* model : {"skipgram", "cbow"}) {
    INFO(std::string(model));
    auto r = train(std::string("--model ") + model + " --alpha 0.04 --min-alpha 0.004 --output v.txt", d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(finalLr(r.err) == doctest::Approx(0.004).epsilon(1e-3));
    // The default floor is word2vec.c's: alpha * 1e-4.
    r = train(std::string("--model ") + model + " --alpha 0.04 --output v.txt", d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(finalLr(r.err) == doctest::Approx(0.000004).epsilon(1e-2));
    // With no --alpha, the floor is taken against the model's default rate.
    r = train(std::string("--model ") + model + " --min-alpha 0.001 --output v.txt", d);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(finalLr(r.err) == doctest::Approx(0.001).epsilon(1e-3));
  }
}

TEST_CASE("train --min-alpha: out of range or with glove is one error line") {
  TempDir d;
  testutil::writeFile(d.path() + "/corpus.txt", corpus());
  for (const char* bad : {"--min-alpha -0.1", "--min-alpha 0.1 --alpha 0.05", "--min-alpha nan",
                          "--model cbow --min-alpha 0.06", "--model glove --min-alpha 0.001"}) {
    INFO(std::string(bad));
    const auto r = train(std::string(bad) + " --output v.txt", d);
    CHECK(r.status == 1);
    const auto lines = testutil::nonEmptyLines(r.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("--min-alpha") != std::string::npos);
    CHECK(access((d.path() + "/v.txt").c_str(), F_OK) != 0);
  }
}

TEST_CASE("train --lr-schedule per-thread: gensim's corpus_file decay") {
  TempDir d;
  testutil::writeFile(d.path() + "/corpus.txt", corpus());
  // Two threads, 5 epochs: each thread's progress through an epoch counts
  // against the whole epoch, so every epoch decays halfway and the run ends
  // at alpha * (1 - 4.5 / 5).
  auto r = testutil::run("cd '" + d.path() + "' && '" + kBin +
                             "' train --input corpus.txt --min-count 1 --dim 8 --threads 2 --alpha 0.04 "
                             "--lr-schedule per-thread --output v2.txt",
                         d.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(finalLr(r.err) == doctest::Approx(0.004).epsilon(1e-3));
  // One thread reads the whole epoch itself: the same schedule as the global
  // one, so the same vectors bit for bit.
  r = train("--alpha 0.04 --lr-schedule per-thread --output a.txt", d);
  REQUIRE(r.status == 0);
  r = train("--alpha 0.04 --output b.txt", d);
  REQUIRE(r.status == 0);
  CHECK(testutil::readFile(d.path() + "/a.txt") == testutil::readFile(d.path() + "/b.txt"));
  for (const char* bad : {"--lr-schedule linear", "--model glove --lr-schedule per-thread"}) {
    INFO(std::string(bad));
    r = train(std::string(bad) + " --output v.txt", d);
    CHECK(r.status == 1);
    const auto lines = testutil::nonEmptyLines(r.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("--lr-schedule") != std::string::npos);
    CHECK(access((d.path() + "/v.txt").c_str(), F_OK) != 0);
    CHECK(access((d.path() + "/c.ckpt").c_str(), F_OK) != 0);
  }
}

TEST_CASE("train --lr-schedule auto (the default): per-thread for cbow, global for skipgram") {
  TempDir d;
  testutil::writeFile(d.path() + "/corpus.txt", corpus());
  auto two = [&](const std::string& args) {
    return testutil::run("cd '" + d.path() + "' && '" + kBin +
                             "' train --input corpus.txt --min-count 1 --dim 8 --threads 2 --alpha 0.04 " + args,
                         d.path());
  };
  struct Case {
    const char* args;
    const char* decay;
    double final_lr;
  };
  for (const Case& c : {Case{"--model cbow", "per-thread", 0.004}, Case{"--model skipgram", "global", 0.000004},
                        Case{"--model cbow --lr-schedule global", "global", 0.000004},
                        Case{"--model skipgram --lr-schedule per-thread", "per-thread", 0.004},
                        Case{"--model cbow --loss hs --lr-schedule auto", "per-thread", 0.004}}) {
    INFO(c.args);
    auto r = two(std::string(c.args) + " --output v.txt");
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.find(std::string("alpha 0.04 (") + c.decay + " decay)") != std::string::npos);
    CHECK(finalLr(r.err) == doctest::Approx(c.final_lr).epsilon(1e-2));
  }
  // The per-thread schedule can be checkpointed (test_checkpoint.cc resumes it).
  auto r = two("--model cbow --checkpoint c.ckpt --output v.txt");
  INFO(r.err);
  CHECK(r.status == 0);
}

TEST_CASE("train: the summary line counts the words read, not the vocabulary's counts") {
  TempDir d;
  testutil::writeFile(d.path() + "/corpus.txt", corpus());  // 300 lines of 13 words
  // A vocabulary counted on a corpus ten times larger, plus a word this one lacks.
  testutil::writeFile(d.path() + "/big.vocab", "the 12000\nsat 6000\non 6000\ncat 3000\nmat 3000\nand 3000\n"
                                               "dog 3000\nlog 3000\nabsent 500\n");
  auto r = train("--read-vocab big.vocab --epochs 2 --output v.txt", d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("train: 3900 words x 2 epochs") != std::string::npos);
}

TEST_CASE("train --plot-loss: word2vec and GloVe runs drawn once they end; bad names refused before training") {
  TempDir d;
  testutil::writeFile(d.path() + "/corpus.txt", corpus());
  auto r = train("--alpha 0.04 --epochs 3 --output v.txt --plot-loss run.svg", d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("train: wrote the run's plot run.svg") != std::string::npos);
  std::string pic = testutil::readFile(d.path() + "/run.svg");
  CHECK(pic.rfind("<?xml", 0) == 0);
  CHECK(pic.find("train: skipgram-ns, dim 8, window 5, 8 words, alpha 0.04") != std::string::npos);
  CHECK(pic.find("class=\"loss\"") != std::string::npos);

  // GloVe: a point at the end of every epoch at least (its cost), a constant rate named in the legend.
  r = train("--model glove --epochs 4 --output g.txt --plot-loss g.svg --quiet", d);
  REQUIRE(r.status == 0);
  pic = testutil::readFile(d.path() + "/g.svg");
  CHECK(pic.find("train: glove, dim 8, 8 words, x_max 100, eta 0.15") != std::string::npos);
  CHECK(pic.find("learning rate 0.15 (constant)") != std::string::npos);
  const auto line = pic.find("<polyline class=\"loss\" points=\"");
  REQUIRE(line != std::string::npos);
  const std::string points = pic.substr(line, pic.find('"', line + 31) - line);
  CHECK(std::count(points.begin(), points.end(), ',') >= 4);

  // A resumed run is drawn from where it resumed, and says so.
  REQUIRE(train("--epochs 2 --checkpoint c.ckpt --checkpoint-every 1e-9 --output v.txt --quiet", d).status == 0);
  r = testutil::run("cd '" + d.path() + "' && '" + kBin + "' train --resume c.ckpt --quiet --plot-loss again.png",
                    d.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(testutil::readFile(d.path() + "/again.png").compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);

  // Refused before anything is trained or written.
  for (const char* bad : {"--plot-loss run.pdf", "--plot-loss no/dir/run.svg", "--plot-loss out.svg --output out.svg",
                          "--plot-loss corpus.txt", "--model glove --plot-loss v.svg --save-cooccur v.svg"}) {
    INFO(std::string(bad));
    const std::string args = std::string(bad).find("--output") == std::string::npos ? " --output new.txt" : "";
    r = train(std::string(bad) + args, d);
    CHECK(r.status == 1);
    const auto lines = testutil::nonEmptyLines(r.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("--plot-loss") != std::string::npos);
    CHECK(access((d.path() + "/new.txt").c_str(), F_OK) != 0);
    CHECK(access((d.path() + "/out.svg").c_str(), F_OK) != 0);
  }
}

TEST_CASE("train --minn/--maxn/--bucket: bad settings, and a bucket matrix that cannot fit, are one error line") {
  TempDir d;
  testutil::writeFile(d.path() + "/corpus.txt", corpus());
  const std::pair<const char*, const char*> cases[] = {
      {"--minn 7 --maxn 6", "--minn"},
      {"--minn 3 --maxn 21", "--maxn"},
      {"--minn 3 --maxn 6 --bucket 0", "--bucket"},
      {"--minn 3 --maxn 6 --bucket -5", "--bucket"},
  };
  for (const auto& [bad, flag] : cases) {
    INFO(std::string(bad));
    const auto r = train(std::string(bad) + " --output v.txt", d);
    CHECK(r.status == 1);
    const auto lines = testutil::nonEmptyLines(r.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find(flag) != std::string::npos);
    CHECK(access((d.path() + "/v.txt").c_str(), F_OK) != 0);
  }
  // 2^31 - 1 rows of 10,000 floats: 86 TB, refused before anything is allocated.
  const auto r = testutil::run("cd '" + d.path() + "' && '" + kBin + "' train --input corpus.txt --min-count 1 " +
                               "--dim 10000 --minn 3 --maxn 6 --bucket 2147483647 --output v.txt", d.path());
  CHECK(r.status == 1);
  const auto lines = testutil::nonEmptyLines(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("--bucket 2147483647 with --dim 10000 needs") != std::string::npos);
}

TEST_CASE("train --minn 3 --maxn 6: a subword model says so and writes the composed vectors") {
  TempDir d;
  testutil::writeFile(d.path() + "/corpus.txt", corpus());
  const auto r = train("--minn 3 --maxn 6 --bucket 1000 --output v.txt", d);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("subwords: character 3- to 6-grams in 1000 buckets") != std::string::npos);
  const std::string v = testutil::readFile(d.path() + "/v.txt");
  CHECK(v.rfind("8 8\n", 0) == 0);  // 8 words, dim 8
}
