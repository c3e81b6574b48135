// runCooccur / runGlove / resumeGlove: `wembed cooccur` and `wembed train --model glove` as library calls.
#include <filesystem>

#include "doctest/doctest.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "core/testing_hooks.h"
#include "wembed/core/error.h"
#include "wembed/glove/pipeline.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::TempDir;

namespace {
GloveTrainArgs tinyGlove(const TempDir& d) {
  testutil::writeFile(d.file("c.txt"), testutil::topicsText(200, 6));
  GloveTrainArgs a;
  a.vocab.input = {d.file("c.txt")};
  a.vocab.min_count = 1;
  a.output = d.file("g.txt");
  a.tmp_dir = d.path();
  a.glove.dim = 6;
  a.glove.epochs = 3;
  a.glove.threads = 1;
  a.counting.window = 3;
  a.counting.threads = 1;
  a.counting.memory_gb = 0.01;
  return a;
}
}  // namespace

TEST_CASE("glove pipeline: runCooccur writes the counts and the vocabulary and names the final file") {
  TempDir d;
  testutil::writeFile(d.file("c.txt"), testutil::topicsText(100, 5));
  CooccurRunArgs a;
  a.vocab.input = {d.file("c.txt")};
  a.vocab.min_count = 1;
  a.output = d.file("c.cooc");
  a.save_vocab = d.file("vocab.txt");
  a.counting.threads = 1;
  a.counting.tmp_dir = d.path();
  std::vector<std::string> log;
  Reporter r;
  r.message = [&](const std::string& m) { log.push_back(m); };
  const CooccurStats st = runCooccur(a, r);
  CHECK(st.records > 0);
  CooccurReader reader(a.output);
  CHECK(reader.records() == st.records);
  CHECK(reader.header().vocab_size == Dictionary::load(a.save_vocab).size());
  REQUIRE_FALSE(log.empty());
  CHECK(log.back().find("to " + a.output + " (") != std::string::npos);  // not its temporary name
  a.read_vocab = a.save_vocab;
  CHECK_THROWS_WITH_AS(runCooccur(a), doctest::Contains("--save-vocab only applies"), Error);
}

TEST_CASE("glove pipeline: runGlove counts, trains and writes the vectors") {
  TempDir d;
  const GloveTrainArgs a = tinyGlove(d);
  int epochs = 0;
  GloveHooks hooks;
  hooks.on_epoch = [&](const GloveEpoch&) { ++epochs; };
  const GloveResult r = runGlove(a, {}, hooks);
  CHECK(epochs == 3);
  CHECK(r.stats.epochs.size() == 3);
  const Vectors v = loadVectors(a.output);
  CHECK(v.matrix.cols() == 6);
  CHECK(testutil::listDir(d.path()).size() == 2);  // the corpus and the vectors: no scratch counts left
}

TEST_CASE("glove pipeline: trainGloveModel keeps the vectors the files hold, and may write none") {
  TempDir d;
  GloveTrainArgs a = tinyGlove(d);
  a.vectors = "word";
  a.output = d.file("g.bin");  // exact floats
  a.output_context = d.file("ctx.bin");
  const GloveResult r = trainGloveModel(a);
  REQUIRE(r.model != nullptr);
  CHECK(r.vocab_size == static_cast<int32_t>(r.model->vectors.words.size()));
  CHECK(testutil::sameMatrix(r.model->vectors.matrix, loadVectors(a.output).matrix));
  CHECK(testutil::sameMatrix(r.model->context, loadVectors(a.output_context).matrix));
  CHECK(runGlove(a).model == nullptr);

  TempDir e;
  GloveTrainArgs none = tinyGlove(e);
  none.output.clear();
  const GloveResult m = trainGloveModel(none);
  CHECK(m.output.empty());
  // sum (the default) = W + W~ of the same run (threads 1)
  const Matrix& sum = m.model->vectors.matrix;
  REQUIRE(sum.rows() == r.model->context.rows());
  for (int64_t i = 0; i < sum.rows(); ++i)
    for (int64_t j = 0; j < sum.cols(); ++j)
      CHECK(sum.row(i)[j] == doctest::Approx(r.model->vectors.matrix.row(i)[j] + r.model->context.row(i)[j]));
  CHECK(testutil::listDir(e.path()).size() == 1);  // the corpus only
  CHECK_THROWS_WITH_AS(runGlove(none), doctest::Contains("--output"), Error);
}

TEST_CASE("glove pipeline: resumeGlove finishes a stopped run and removes the counts it kept") {
  TempDir d;
  const GloveTrainArgs a = tinyGlove(d);
  const CheckpointSettings ck{d.file("run.ckpt"), 0, {}};
  {
    testing::StopAfterCheckpoints stop(2);
    REQUIRE(runGlove(a, ck).stats.interrupted);
  }
  CHECK(std::filesystem::exists(ck.path + ".cooccur"));
  CHECK_FALSE(std::filesystem::exists(a.output));
  GloveHooks hooks;
  bool resumed = false;
  hooks.on_setup = [&](const GloveSetup& s) { resumed = s.resumed; };
  const GloveResult r = resumeGlove({ck.path, "", {}}, hooks);
  CHECK(resumed);
  CHECK(r.stats.epochs.size() == 3);
  CHECK(loadVectors(a.output).matrix.cols() == 6);
  CHECK_FALSE(std::filesystem::exists(ck.path + ".cooccur"));
}

TEST_CASE("glove pipeline: --cooccur needs the vocabulary it was counted with") {
  TempDir d;
  GloveTrainArgs a = tinyGlove(d);
  a.cooccur_file = d.file("c.cooc");
  a.vocab.input.clear();
  CHECK_THROWS_WITH_AS(runGlove(a), doctest::Contains("--cooccur needs --read-vocab"), Error);
}
