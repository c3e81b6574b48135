// runWord2Vec / resumeWord2Vec: the whole `wembed train` pipeline as a library call.
#include <algorithm>
#include <filesystem>

#include "doctest/doctest.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "core/testing_hooks.h"
#include "wembed/core/error.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/phrases/phrases.h"
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

// --- --phrases ----------------------------------------------------------------

namespace {
// 4000 lines of 12 random words from 300, with "new york" planted in every
// 5th line (half of them "new york times") and "bank of america" in every 7th.
std::string phrasedCorpus() {
  std::string s;
  uint32_t x = 88172645u;
  auto rnd = [&x](uint32_t n) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    return x % n;
  };
  for (int l = 0; l < 4000; ++l) {
    for (int i = 0; i < 12; ++i) {
      if (i == 5 && l % 5 == 0) s += l % 10 == 0 ? "new york times " : "new york ";
      if (i == 3 && l % 7 == 0) s += "bank of america ";
      s += "w" + std::to_string(rnd(300)) + (i < 11 ? " " : "\n");
    }
  }
  return s;
}

TrainArgs phrasesRun(const TempDir& d, const std::string& input, const std::string& out) {
  TrainArgs a;
  a.vocab.input = {input};
  a.vocab.min_count = 3;
  a.output = d.file(out + ".bin");
  a.save_vocab = d.file(out + ".vocab");
  a.dim = 10;
  a.window = 3;
  a.epochs = 2;
  a.threads = 1;
  return a;
}
}  // namespace

TEST_CASE("word2vec pipeline: --phrases trains on the text 'wembed phrases --phrases' writes, without writing it") {
  TempDir d;
  testutil::writeFile(d.file("c.txt"), phrasedCorpus());
  PhrasesArgs p;
  p.input = {d.file("c.txt")};
  p.output = d.file("phrased.txt");
  p.save_phrases = d.file("table.tsv");
  p.passes = 2;
  p.settings.connector_words = {"of"};
  p.settings.threshold = 5;
  runPhrases(p);
  const std::string table = testutil::readFile(d.file("table.tsv"));
  REQUIRE(table.find("new_york_times\t") != std::string::npos);
  REQUIRE(table.find("bank_of_america\t") != std::string::npos);
  // The same vocabulary and, on one thread, the same vectors bit for bit.
  TrainArgs on_file = phrasesRun(d, d.file("phrased.txt"), "file");
  runWord2Vec(on_file);
  TrainArgs fly = phrasesRun(d, d.file("c.txt"), "fly");
  fly.phrases = d.file("table.tsv");
  std::vector<std::string> log;
  Word2VecHooks h;
  h.log.message = [&](const std::string& m) { log.push_back(m); };
  runWord2Vec(fly, {}, h);
  const std::string vocab = testutil::readFile(on_file.save_vocab);
  CHECK(vocab.find("new_york_times ") != std::string::npos);
  CHECK(vocab.find("bank_of_america ") != std::string::npos);
  CHECK(testutil::readFile(fly.save_vocab) == vocab);
  CHECK(testutil::sameMatrix(loadVectors(fly.output).matrix, loadVectors(on_file.output).matrix));
  CHECK(std::find_if(log.begin(), log.end(), [](const std::string& m) {
          return m.rfind("train: joining ", 0) == 0 && m.find("(2 passes) from --phrases") != std::string::npos;
        }) != log.end());
  // Two threads count and train on whole lines: the vocabulary is still the phrased text's.
  fly.threads = on_file.threads = 2;
  fly.vocab.min_bytes_per_thread = on_file.vocab.min_bytes_per_thread = 1;
  runWord2Vec(fly);
  CHECK(testutil::readFile(fly.save_vocab) == vocab);
}

TEST_CASE("word2vec pipeline: --phrases with a missing or damaged table, or with --checkpoint, is one error and no output") {
  TempDir d;
  testutil::writeFile(d.file("c.txt"), phrasedCorpus());
  testutil::writeFile(d.file("bad.tsv"), "new york\t12\n");
  TrainArgs a = phrasesRun(d, d.file("c.txt"), "out");
  a.phrases = d.file("missing.tsv");
  CHECK_THROWS_WITH_AS(runWord2Vec(a), doctest::Contains(("--phrases: cannot open '" + a.phrases + "'").c_str()), Error);
  a.phrases = d.file("bad.tsv");
  CHECK_THROWS_WITH_AS(runWord2Vec(a), doctest::Contains(("--phrases '" + a.phrases + "': line 1").c_str()), Error);
  testutil::writeFile(d.file("good.tsv"), "new_york\t12\n");
  a.phrases = d.file("good.tsv");
  CHECK_THROWS_WITH_AS(runWord2Vec(a, {d.file("c.ckpt"), 600, {}}), doctest::Contains("--phrases cannot be checkpointed"),
                       Error);
  CHECK_FALSE(std::filesystem::exists(a.output));
  CHECK_FALSE(std::filesystem::exists(a.save_vocab));
  CHECK_FALSE(std::filesystem::exists(d.file("c.ckpt")));
}
