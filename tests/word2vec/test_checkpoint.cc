// Checkpoints: file round trip and corruption, exact resumption with one
// thread, and a real SIGKILL-and-resume of the CLI.
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#include "doctest/doctest.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/core/error.h"
#include "wembed/word2vec/trainer.h"
#include "wembed/vectors/vectors.h"
#include "core/testing_hooks.h"

using namespace wembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

Matrix filled(int64_t rows, int cols, float base) {
  Matrix m(rows, cols);
  for (int64_t r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m.row(r)[c] = base + static_cast<float>(r * cols + c) * 0.25f;
  return m;
}

Word2VecCheckpoint sample(const std::string& corpus) {
  Word2VecCheckpoint c;
  c.args.vocab.input = {corpus};
  c.args.output = "out.bin";
  c.args.output_context = "ctx.bin";
  c.args.model = ModelType::kCbow;
  c.args.loss = LossType::kNegativeSampling;
  c.args.update = UpdateMode::kPair;
  c.args.dim = 3;
  c.args.window = 4;
  c.args.negative = 2;
  c.args.epochs = 2;
  c.args.sample = 1e-3;
  c.args.alpha = 0.05;
  c.args.ns_exponent = 0.6;
  c.args.threads = 2;
  c.args.seed = 77;
  c.args.lr_schedule = LrSchedule::kPerThread;
  c.files = {corpus};
  c.inputs = {{1234, 0x0123456789abcdefull}};
  c.vocab = {{"the", 10}, {"ünïcode", 3}};
  c.in = filled(2, 3, 1.f);
  c.out = filled(2, 3, -1.f);
  c.words_done = 99;
  c.epoch_words = {13, 0};
  Word2VecThreadPosition p;
  p.epoch = 1;
  p.segment = 0;
  p.offset = 456;
  p.rng = 0xDEADBEEFull;
  p.negs = {1, 0};
  p.epoch_words = 4321;
  c.threads = {p, p};
  c.threads[1].epoch = 2;
  c.seconds = 12.5;
  return c;
}

// A checkpoint file's bytes relabelled as version v (the checksum made good again).
void setVersion(std::string& bytes, uint32_t v) {
  std::memcpy(&bytes[8], &v, 4);
  testutil::fixCheckpointChecksum(bytes);
}
}  // namespace

TEST_CASE("checkpoint: save and load round trip every field") {
  TempDir d;
  Word2VecCheckpoint c = sample(d.file("corpus.txt"));
  saveWord2VecCheckpoint(d.file("c.ckpt"), c, c.in, c.out);
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
  Word2VecCheckpoint r = loadWord2VecCheckpoint(d.file("c.ckpt"));
  CHECK((r.args.model == ModelType::kCbow));
  CHECK((r.args.update == UpdateMode::kPair));
  CHECK(r.args.dim == 3);
  CHECK(r.args.window == 4);
  CHECK(r.args.negative == 2);
  CHECK(r.args.epochs == 2);
  CHECK(r.args.sample == 1e-3);
  CHECK(r.args.alpha == 0.05);
  CHECK(r.args.ns_exponent == 0.6);
  CHECK(r.args.threads == 2);
  CHECK(r.args.seed == 77);
  CHECK((r.args.lr_schedule == LrSchedule::kPerThread));
  CHECK(r.args.output == "out.bin");
  CHECK(r.args.output_context == "ctx.bin");
  CHECK(r.files == c.files);
  CHECK(r.inputs == c.inputs);
  REQUIRE(r.vocab.size() == 2);
  CHECK(r.vocab[1].word == "ünïcode");
  CHECK(r.vocab[1].count == 3);
  CHECK(sameMatrix(r.in, c.in));
  CHECK(sameMatrix(r.out, c.out));
  CHECK(r.words_done == 99);
  CHECK(r.epoch_words == c.epoch_words);
  REQUIRE(r.threads.size() == 2);
  CHECK(r.threads[0].offset == 456);
  CHECK(r.threads[0].rng == 0xDEADBEEFull);
  CHECK(r.threads[0].negs == std::vector<int32_t>{1, 0});
  CHECK(r.threads[1].epoch == 2);
  CHECK(r.threads[1].epoch_words == 4321);
  CHECK(r.seconds == 12.5);
}

TEST_CASE("checkpoint: the subword settings round trip; versions 3 to 6 are read with their defaults") {
  TempDir d;
  Word2VecCheckpoint c = sample(d.file("corpus.txt"));
  c.args.subwords = SubwordArgs{3, 5, 4};
  c.in = filled(2 + 4, 3, 1.f);
  saveWord2VecCheckpoint(d.file("c.ckpt"), c, c.in, c.out);
  Word2VecCheckpoint r = loadWord2VecCheckpoint(d.file("c.ckpt"));
  CHECK(r.args.subwords.minn == 3);
  CHECK(r.args.subwords.maxn == 5);
  CHECK(r.args.subwords.bucket == 4);
  CHECK(sameMatrix(r.in, c.in));

  // Versions 3 and 4: the same body without the negative-sampling exponent
  // (8 bytes after the subword fields, which version 3 lacks as well) and
  // without version 6's words per epoch (the 8 bytes before the checksum).
  Word2VecCheckpoint plain = sample(d.file("corpus.txt"));
  plain.words_per_epoch = 1234;
  saveWord2VecCheckpoint(d.file("p.ckpt"), plain, plain.in, plain.out);
  const std::string v7 = testutil::readFile(d.file("p.ckpt"));
  CHECK(loadWord2VecCheckpoint(d.file("p.ckpt")).words_per_epoch == 1234);
  // Version 6: without version 7's ranks and synchronisation settings (the
  // 24 bytes before the checksum): one process, the default settings.
  std::string v6 = v7.substr(0, v7.size() - 32) + v7.substr(v7.size() - 8);
  setVersion(v6, 6);
  testutil::writeFile(d.file("v6.ckpt"), v6);
  const Word2VecCheckpoint old6 = loadWord2VecCheckpoint(d.file("v6.ckpt"));
  CHECK(old6.words_per_epoch == 1234);
  CHECK(old6.ranks == 1);
  CHECK(old6.args.sync_seconds == TrainArgs{}.sync_seconds);
  std::string v5 = v6.substr(0, v6.size() - 16) + v6.substr(v6.size() - 8);
  setVersion(v5, 5);
  testutil::writeFile(d.file("v5.ckpt"), v5);
  const Word2VecCheckpoint old5 = loadWord2VecCheckpoint(d.file("v5.ckpt"));
  CHECK(old5.words_per_epoch == 0);  // the vocabulary's total, as version 5 trained
  CHECK(old5.args.ns_exponent == 0.6);
  const size_t at = v5.find(std::string("\0\0\0\0\0\0\0\0\x80\x84\x1e\0\0\0\0\0", 16));  // minn 0, maxn 0, bucket 2e6
  REQUIRE(at != std::string::npos);
  double exponent = 0;
  std::memcpy(&exponent, &v5[at + 16], 8);
  REQUIRE(exponent == 0.6);
  std::string v4 = v5.substr(0, at + 16) + v5.substr(at + 24);
  setVersion(v4, 4);
  testutil::writeFile(d.file("v4.ckpt"), v4);
  Word2VecCheckpoint old4 = loadWord2VecCheckpoint(d.file("v4.ckpt"));
  CHECK(old4.args.ns_exponent == 0.75);
  CHECK(old4.words_done == plain.words_done);
  CHECK(sameMatrix(old4.in, plain.in));

  std::string v3 = v5.substr(0, at) + v5.substr(at + 24);
  setVersion(v3, 3);
  testutil::writeFile(d.file("v3.ckpt"), v3);
  Word2VecCheckpoint old = loadWord2VecCheckpoint(d.file("v3.ckpt"));
  CHECK_FALSE(old.args.subwords.enabled());
  CHECK(old.args.ns_exponent == 0.75);
  CHECK(old.words_done == plain.words_done);
  CHECK(sameMatrix(old.in, plain.in));
}

TEST_CASE("checkpoint: a distributed run's ranks and synchronisation settings round trip") {
  TempDir d;
  Word2VecCheckpoint c = sample(d.file("corpus.txt"));
  c.args.threads = 1;  // its 2 positions: 2 ranks x 1 thread
  c.ranks = 2;
  c.args.sync_seconds = 2.5;
  c.args.sync_words = 5000;
  c.args.sync_mean = true;
  saveWord2VecCheckpoint(d.file("c.ckpt"), c, c.in, c.out);
  const Word2VecCheckpoint r = loadWord2VecCheckpoint(d.file("c.ckpt"));
  CHECK(r.ranks == 2);
  CHECK(r.threads.size() == 2);
  CHECK(r.args.sync_seconds == 2.5);
  CHECK(r.args.sync_words == 5000);
  CHECK(r.args.sync_mean);
  // Positions that do not make ranks x threads: refused.
  c.ranks = 3;
  saveWord2VecCheckpoint(d.file("bad.ckpt"), c, c.in, c.out);
  CHECK_THROWS_WITH_AS(loadWord2VecCheckpoint(d.file("bad.ckpt")),
                       ("checkpoint '" + d.file("bad.ckpt") + "' is unusable: inconsistent contents").c_str(), Error);
}

TEST_CASE("checkpoint: versions 1 and 2 (inputs recorded by size only) are refused: start the run again") {
  TempDir d;
  Word2VecCheckpoint c = sample(d.file("corpus.txt"));
  saveWord2VecCheckpoint(d.file("c.ckpt"), c, c.in, c.out);
  const std::string good = testutil::readFile(d.file("c.ckpt"));
  for (uint32_t v : {1u, 2u}) {
    std::string old = good;
    setVersion(old, v);
    testutil::writeFile(d.file("old.ckpt"), old);
    CHECK_THROWS_WITH_AS(loadWord2VecCheckpoint(d.file("old.ckpt")),
                         ("checkpoint '" + d.file("old.ckpt") + "' is unusable: version " + std::to_string(v) +
                          ", written by an older wembed (this wembed reads version 3 to 7): start the run again")
                             .c_str(),
                         Error);
  }
}

TEST_CASE("checkpoint: truncated, corrupted and foreign files are refused with the file named") {
  TempDir d;
  Word2VecCheckpoint c = sample(d.file("corpus.txt"));
  const std::string path = d.file("c.ckpt");
  saveWord2VecCheckpoint(path, c, c.in, c.out);
  const std::string good = testutil::readFile(path);
  const testutil::DamagedFile bad{[](const std::string& p) { loadWord2VecCheckpoint(p); }, d.file("bad.ckpt")};
  bad.checkEveryCorruption(good, 0x40);
  std::string magic = good;
  magic[0] = 'X';
  CHECK(bad.refused(magic, "bad magic"));
  std::string version = good;
  version[8] = 9;
  CHECK(bad.refused(version, "version 9"));
  CHECK(bad.refused(good + "x", "trailing"));
  CHECK_THROWS_AS(loadWord2VecCheckpoint(d.file("missing.ckpt")), Error);
}

TEST_CASE("checkpoint: consistent files with values the trainer cannot use are refused") {
  TempDir d;
  auto refused = [&](const std::function<void(Word2VecCheckpoint&)>& change, const char* why) {
    Word2VecCheckpoint c = sample(d.file("corpus.txt"));
    change(c);
    saveWord2VecCheckpoint(d.file("c.ckpt"), c, c.in, c.out);  // a valid checksum
    try {
      loadWord2VecCheckpoint(d.file("c.ckpt"));
    } catch (const Error& e) {
      CHECK_MESSAGE(std::string(e.what()).find(why) != std::string::npos, e.what());
      return true;
    }
    return false;
  };
  CHECK_FALSE(refused([](Word2VecCheckpoint&) {}, ""));
  CHECK(refused([](Word2VecCheckpoint& c) { c.threads[0].negs = {2, 0}; }, "negative sample (2)"));
  CHECK(refused([](Word2VecCheckpoint& c) { c.threads[1].negs = {-1}; }, "negative sample (-1)"));
  CHECK(refused([](Word2VecCheckpoint& c) { c.vocab[1].count = 0; }, "count below 1"));
  CHECK(refused([](Word2VecCheckpoint& c) { c.vocab[1].word = "the"; }, "twice"));
  CHECK(refused([](Word2VecCheckpoint& c) { c.words_done = -1; }, "negative progress"));
  CHECK(refused([](Word2VecCheckpoint& c) { c.epoch_words[1] = -3; }, "negative word count"));
  CHECK(refused([](Word2VecCheckpoint& c) { c.seconds = -1; }, "training time"));
  CHECK(refused([](Word2VecCheckpoint& c) { c.out.row(1)[2] = std::numeric_limits<float>::infinity(); }, "NaN or Inf"));
}

TEST_CASE("checkpoint: one thread, interrupted and resumed, gives the same vectors bit for bit") {
  TempDir d;
  std::mt19937 rng(3);
  std::string text;
  for (int l = 0; l < 60; ++l) {
    for (int i = 0; i < 5 + static_cast<int>(rng() % 40); ++i) text += "w" + std::to_string(rng() % 50) + " ";
    text += "\n";
  }
  testutil::writeFile(d.file("c.txt"), text);
  struct Config {
    ModelType model;
    LossType loss;
    bool per_thread;  // --lr-schedule auto on cbow (per-thread): the thread's words in its epoch must be restored
    bool subwords = false;
  };
  for (auto [model, loss, per_thread, subwords] :
       {Config{ModelType::kSkipGram, LossType::kNegativeSampling, false},
        Config{ModelType::kCbow, LossType::kNegativeSampling, false},
        Config{ModelType::kSkipGram, LossType::kHierarchicalSoftmax, false},
        Config{ModelType::kCbow, LossType::kNegativeSampling, true},
        Config{ModelType::kSkipGram, LossType::kNegativeSampling, false, true},
        Config{ModelType::kCbow, LossType::kHierarchicalSoftmax, false, true}}) {
    INFO(toString(model) << "-" << toString(loss) << (per_thread ? " per-thread" : "") << (subwords ? " subwords" : ""));
    TrainArgs a;
    a.vocab.input = {d.file("c.txt")};
    a.vocab.min_count = 1;
    a.output = d.file("v.bin");
    a.model = model;
    a.loss = loss;
    a.dim = 8;
    a.window = 3;
    a.negative = 3;
    a.epochs = 3;
    a.sample = 1e-2;
    a.threads = 1;
    a.seed = 5;
    a.lr_schedule = per_thread ? LrSchedule::kAuto : LrSchedule::kGlobal;
    if (subwords) a.subwords = SubwordArgs{2, 4, 300};
    const Dictionary dict = buildVocabulary(a.vocab, nullptr);

    Word2VecTrainer full(a, dict);
    const Word2VecStats fs = full.train(a.vocab.input);

    // The checkpoints of a whole run (every_seconds 0: at every sentence
    // boundary; CBOW's blocks take them only between groups of short sentences).
    int total = 0;
    {
      Word2VecTrainer counting(a, dict);
      counting.checkpointing.path = d.file("count.ckpt");
      counting.checkpointing.every_seconds = 0;
      constexpr int kMany = 1 << 30;
      testing::StopAfterCheckpoints count_hook(kMany);
      CHECK_FALSE(counting.train(a.vocab.input).interrupted);
      total = kMany - testing::stopAfterCheckpoints().load();
    }
    REQUIRE(total >= 6);
    for (int stop_at : {1, total / 3, total * 5 / 6}) {  // early in epoch 1, in epoch 1 or 2, in epoch 3
      INFO("stopped after checkpoint " << stop_at);
      Word2VecTrainer first(a, dict);
      first.checkpointing.path = d.file("t.ckpt");
      first.checkpointing.every_seconds = 0;  // at every sentence boundary
      testing::StopAfterCheckpoints stop_hook(stop_at);
      const Word2VecStats s1 = first.train(a.vocab.input);
      REQUIRE(s1.interrupted);
      CHECK_FALSE(sameMatrix(first.input(), full.input()));

      Word2VecCheckpoint c = loadWord2VecCheckpoint(d.file("t.ckpt"));
      CHECK((c.args.lr_schedule == (per_thread ? LrSchedule::kPerThread : LrSchedule::kGlobal)));  // resolved
      Word2VecTrainer second(a, dict);
      second.restore(std::move(c));
      const Word2VecStats s2 = second.train(a.vocab.input);
      CHECK_FALSE(s2.interrupted);
      CHECK(sameMatrix(second.input(), full.input()));
      CHECK(sameMatrix(second.output(), full.output()));
      CHECK(s2.words_in_epoch == fs.words_in_epoch);
    }
  }
}

TEST_CASE("checkpoint: a resumed run refuses changed input") {
  TempDir d;
  testutil::writeFile(d.file("c.txt"), "a b c a b c\na b\n");
  TrainArgs a;
  a.vocab.input = {d.file("c.txt")};
  a.vocab.min_count = 1;
  a.output = d.file("v.bin");
  a.dim = 4;
  a.threads = 1;
  a.epochs = 3;
  const Dictionary dict = buildVocabulary(a.vocab, nullptr);
  Word2VecTrainer first(a, dict);
  first.checkpointing.path = d.file("t.ckpt");
  first.checkpointing.every_seconds = 0;
  testing::StopAfterCheckpoints stop_hook(1);
  REQUIRE(first.train(a.vocab.input).interrupted);
  const std::string saved = testutil::readFile(d.file("t.ckpt"));
  // Another size, then the same size with other words (an edit in place).
  for (const char* text : {"a b c a b c\na b c\n", "a b c a b c\nb a\n"}) {
    INFO(text);
    testutil::writeFile(d.file("c.txt"), text);
    Word2VecTrainer second(a, dict);
    second.restore(loadWord2VecCheckpoint(d.file("t.ckpt")));
    CHECK_THROWS_WITH_AS(second.train(a.vocab.input), doctest::Contains("changed since the checkpoint was written"),
                         Error);
  }
  CHECK(testutil::readFile(d.file("t.ckpt")) == saved);
  // Put back as it was, the corpus resumes.
  testutil::writeFile(d.file("c.txt"), "a b c a b c\na b\n");
  Word2VecTrainer third(a, dict);
  third.restore(loadWord2VecCheckpoint(d.file("t.ckpt")));
  CHECK_FALSE(third.train(a.vocab.input).interrupted);
}

TEST_CASE("checkpoint: wembed train killed with SIGKILL resumes and finishes with good vectors") {
  TempDir d;
  // Two disjoint topics; enough text and epochs that training takes a while.
  testutil::writeFile(d.file("topics.txt"), testutil::topicsText(4000, 20));
  const std::string ckpt = d.file("run.ckpt"), out = d.file("vectors.bin");
  const auto killed = testutil::runUntilFileThenKill(
      testutil::kBin,
      {"train", "--input", d.file("topics.txt"), "--output", out, "--dim", "100", "--min-count", "1", "--epochs", "150",
       "--threads", "2", "--quiet", "--checkpoint", ckpt, "--checkpoint-every", "0.3"},
      ckpt);  // the run takes seconds; the first checkpoint comes after 0.3 s
  REQUIRE(killed.ready);
  REQUIRE(WIFSIGNALED(killed.status));
  CHECK(access(out.c_str(), F_OK) != 0);       // no half-written vectors

  const auto r = testutil::runWembed("train --resume " + testutil::q(ckpt) + " --quiet", d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  Vectors v = loadWord2vec(out);
  REQUIRE(v.words.size() == 40);
  CHECK(testutil::topicalWords(std::move(v)) >= 38);

  // Settings come from the checkpoint: changing one is an error, not silently ignored.
  const auto bad = testutil::runWembed("train --resume " + testutil::q(ckpt) + " --dim 50", d);
  testutil::checkError(bad, "train", "--dim");
}
