// runWord2Vec / resumeWord2Vec: the whole `wembed train` pipeline as a library call.
#include <filesystem>

#include "doctest/doctest.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "core/testing_hooks.h"
#include "wembed/core/error.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/vectors/vectors.h"
#include "wembed/word2vec/pipeline.h"

using namespace wembed;
using testutil::TempDir;

namespace {
TrainArgs tinyRun(const TempDir& d) {
  testutil::writeFile(d.file("c.txt"), testutil::topicsText(200, 6));
  TrainArgs a;
  a.vocab.input = {d.file("c.txt")};
  a.vocab.min_count = 1;
  a.output = d.file("v.bin");
  a.save_vocab = d.file("vocab.txt");
  a.dim = 8;
  a.window = 2;
  a.epochs = 2;
  a.threads = 1;
  return a;
}
}  // namespace

TEST_CASE("word2vec pipeline: runWord2Vec writes the vectors and the vocabulary, and reports through its hooks") {
  TempDir d;
  const TrainArgs a = tinyRun(d);
  Word2VecHooks hooks;
  std::vector<std::string> log;
  int setups = 0;
  hooks.log.message = [&](const std::string& m) { log.push_back(m); };
  hooks.on_setup = [&](const Word2VecSetup& s) {
    ++setups;
    CHECK(s.vocab_size > 0);
    CHECK_FALSE(s.resumed);
  };
  const Word2VecResult r = runWord2Vec(a, {}, hooks);
  CHECK(setups == 1);
  CHECK(r.output == a.output);
  REQUIRE(r.stats.words_in_epoch.size() == 2);
  CHECK(r.stats.words_in_epoch[0] > 0);
  const Vectors v = loadVectors(a.output);
  CHECK(static_cast<int32_t>(v.words.size()) == r.vocab_size);
  CHECK(v.matrix.cols() == 8);
  const Dictionary vocab = Dictionary::load(a.save_vocab);
  CHECK(vocab.size() == r.vocab_size);
  REQUIRE_FALSE(log.empty());  // the vocabulary's counting, through the Reporter
  CHECK(log.back().rfind("vocab: ", 0) == 0);
}

TEST_CASE("word2vec pipeline: trainWord2VecModel keeps the model the files hold, and may write none") {
  TempDir d;
  TrainArgs a = tinyRun(d);
  a.output_context = d.file("ctx.bin");
  const Word2VecResult r = trainWord2VecModel(a);
  REQUIRE(r.model != nullptr);
  CHECK(testutil::sameMatrix(r.model->vectors.matrix, loadVectors(a.output).matrix));
  CHECK(testutil::sameMatrix(r.model->outputLayer(), loadVectors(a.output_context).matrix));
  CHECK(r.model->vectors.words == loadVectors(a.output).words);
  CHECK(runWord2Vec(a).model == nullptr);  // the CLI's entry does not keep it

  TempDir e;
  TrainArgs none = tinyRun(e);
  none.output.clear();
  none.save_vocab.clear();
  const Word2VecResult m = trainWord2VecModel(none);
  CHECK(m.output.empty());
  CHECK(testutil::sameMatrix(m.model->vectors.matrix, r.model->vectors.matrix));  // threads 1: same run
  CHECK(testutil::listDir(e.path()).size() == 1);  // the corpus only
  CHECK_THROWS_WITH_AS(runWord2Vec(none), doctest::Contains("--output"), Error);
}

TEST_CASE("word2vec pipeline: stdin/.gz input is spooled, but cannot be checkpointed") {
  TempDir d;
  TrainArgs a = tinyRun(d);
  testutil::writeGzip(d.file("c.txt.gz"), testutil::readFile(d.file("c.txt")));
  a.vocab.input = {d.file("c.txt.gz")};
  a.tmp_dir = d.path();
  CHECK(runWord2Vec(a).vocab_size > 0);
  CHECK_THROWS_WITH_AS(runWord2Vec(a, {d.file("run.ckpt"), 600, {}}), doctest::Contains("plain input files"), Error);
}

TEST_CASE("word2vec pipeline: outputs are checked before training") {
  TempDir d;
  TrainArgs a = tinyRun(d);
  a.save_vocab = a.output;
  CHECK_THROWS_WITH_AS(runWord2Vec(a), doctest::Contains("name the same file"), Error);
  a = tinyRun(d);
  a.output = a.vocab.input[0];
  CHECK_THROWS_WITH_AS(runWord2Vec(a), doctest::Contains("is also an input"), Error);
}

TEST_CASE("word2vec pipeline: resumeWord2Vec finishes a stopped run, and refuses a changed corpus") {
  TempDir d;
  TrainArgs a = tinyRun(d);
  const CheckpointSettings ck{d.file("run.ckpt"), 0, {}};
  {
    testing::StopAfterCheckpoints stop(2);
    const Word2VecResult first = runWord2Vec(a, ck);
    REQUIRE(first.stats.interrupted);
  }
  CHECK_FALSE(std::filesystem::exists(a.output));

  std::vector<Word2VecSetup> setups;
  Word2VecHooks hooks;
  hooks.on_setup = [&](const Word2VecSetup& s) { setups.push_back(s); };
  const std::string other = d.file("resumed.bin");
  const Word2VecResult r = resumeWord2Vec({ck.path, other, {}}, hooks);
  REQUIRE(setups.size() == 1);
  CHECK(setups[0].resumed);
  CHECK(r.output == other);
  CHECK(loadVectors(other).matrix.cols() == 8);
  {  // --save-model is given again with --resume (checkpoints do not keep it)
    testing::StopAfterCheckpoints stop(1);
    REQUIRE(runWord2Vec(a, ck).stats.interrupted);
  }
  ResumeArgs with_model{ck.path, other, {}, d.file("run.model")};
  resumeWord2Vec(with_model);
  const Vectors model = loadVectors(d.file("run.model"));
  REQUIRE(model.model);
  CHECK(testutil::sameMatrix(model.matrix, loadVectors(other).matrix));

  // Stopped again, then the corpus changes: the checkpoint no longer fits it.
  {
    testing::StopAfterCheckpoints stop(1);
    REQUIRE(runWord2Vec(a, ck).stats.interrupted);
  }
  testutil::writeFile(a.vocab.input[0], testutil::readFile(a.vocab.input[0]) + "one more line\n");
  CHECK_THROWS_WITH_AS(resumeWord2Vec({ck.path, "", {}}), doctest::Contains("cannot resume from"), Error);
}
