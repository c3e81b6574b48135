#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "test_fixtures.h"
#include "wembed/core/error.h"
#include "wembed/sentiment/train.h"

using namespace wembed;
using testutil::randomNet;
using testutil::separable;

namespace {

NetConfig smallConfig(CellType cell, Pooling pool, bool bidir) { return testutil::netConfig(cell, pool, bidir, 8); }

SentimentTrainArgs smallArgs(int threads) {
  SentimentTrainArgs o;
  o.batch = 16;
  o.epochs = 30;
  o.patience = 30;
  o.lr = 0.02;
  o.dropout = 0.1;
  o.threads = threads;
  return o;
}

}  // namespace

TEST_CASE("sentiment train: metrics") {
  BinaryMetrics m;
  m.add(1, 0.9f);   // tp
  m.add(1, 0.2f);   // fn
  m.add(0, 0.7f);   // fp
  m.add(0, 0.1f);   // tn
  m.add(0, 0.4f);   // tn
  CHECK(m.total() == 5);
  CHECK(m.accuracy() == doctest::Approx(0.6));
  CHECK(m.precision(1) == doctest::Approx(0.5));
  CHECK(m.recall(1) == doctest::Approx(0.5));
  CHECK(m.precision(0) == doctest::Approx(2.0 / 3));
  CHECK(m.recall(0) == doctest::Approx(2.0 / 3));
  CHECK(m.f1(0) == doctest::Approx(2.0 / 3));
  CHECK(m.meanLoss() > 0);
  CHECK(BinaryMetrics().accuracy() == 0);
}

TEST_CASE("sentiment train: GRU and LSTM learn a separable task to 100%") {
  const auto train = separable(300, 1);
  const auto dev = separable(100, 2);
  struct Case {
    CellType cell;
    Pooling pool;
    bool bidir;
    int threads;
  };
  for (const Case& k : {Case{CellType::kGru, Pooling::kMax, false, 2}, Case{CellType::kLstm, Pooling::kMax, true, 1},
                        Case{CellType::kGru, Pooling::kAttention, true, 2},
                        Case{CellType::kLstm, Pooling::kLast, true, 2}}) {
    INFO("cell " << toString(k.cell) << " pooling " << toString(k.pool));
    NetParams<float> P = randomNet(smallConfig(k.cell, k.pool, k.bidir), 3);
    SentimentTrainer t(smallArgs(k.threads), P);
    int epochs_seen = 0;
    t.on_epoch = [&](const EpochStats& s) {
      ++epochs_seen;
      CHECK(s.epoch == epochs_seen);
      CHECK(s.seqs_per_sec > 0);
    };
    const TrainResult r = t.train(train, dev);
    CHECK(r.best_dev.accuracy() == 1.0);
    CHECK(evaluate(P, dev).accuracy() == 1.0);  // the network holds the best epoch's weights
    CHECK(evaluate(P, train).accuracy() == 1.0);
  }
}

TEST_CASE("sentiment train: early stopping, frozen vs fine-tuned embeddings, determinism") {
  const auto train = separable(120, 4);
  const auto dev = separable(40, 5);
  const NetConfig c = smallConfig(CellType::kGru, Pooling::kMean, false);
  SentimentTrainArgs o = smallArgs(1);
  o.epochs = 4;
  o.patience = 1;

  NetParams<float> frozen = randomNet(c, 7);
  const RowMat<float> before = frozen.embeddings;
  SentimentTrainer(o, frozen).train(train, dev);
  CHECK(frozen.embeddings.bottomRows(20) == before.bottomRows(20));  // only the unknown row may move
  CHECK(frozen.embeddings.row(0) != before.row(0));

  NetParams<float> tuned = randomNet(c, 7);
  o.fine_tune = true;
  SentimentTrainer(o, tuned).train(train, dev);
  CHECK(tuned.embeddings.row(1) != before.row(1));

  // One thread, same seed: the same weights.
  NetParams<float> again = randomNet(c, 7);
  SentimentTrainer(o, again).train(train, dev);
  CHECK(again.dense == tuned.dense);
  CHECK(again.embeddings == tuned.embeddings);

  // Early stopping: with dev labels that are noise, no run of 49 improvements happens.
  std::vector<Example> noise = dev;
  std::mt19937_64 rng(3);
  for (auto& e : noise) e.label = static_cast<int>(rng() % 2);
  o.epochs = 50;
  o.patience = 2;
  NetParams<float> es = randomNet(c, 8);
  const TrainResult r = SentimentTrainer(o, es).train(train, noise);
  CHECK(r.epochs_run < 50);
  CHECK(r.epochs_run == r.best_epoch + 2);
}

TEST_CASE("sentiment train: predictions in input order, options checked") {
  const auto data = separable(50, 9);
  const NetParams<float> P = randomNet(smallConfig(CellType::kLstm, Pooling::kMax, true), 2);
  const std::vector<float> all = predictProbabilities(P, data, 2, 7);
  for (size_t i = 0; i < data.size(); i += 7) {
    const std::vector<Example> one{data[i]};
    CHECK(predictProbabilities(P, one, 1)[0] == doctest::Approx(all[i]).epsilon(1e-5));
  }
  SentimentTrainArgs o;
  o.dropout = 1.0;
  CHECK_THROWS_AS(o.validate(), Error);
  o = SentimentTrainArgs();
  o.batch = 0;
  CHECK_THROWS_AS(o.validate(), Error);
  NetParams<float> Q = randomNet(smallConfig(CellType::kGru, Pooling::kMax, false), 2);
  SentimentTrainer t(SentimentTrainArgs(), Q);
  CHECK_THROWS_AS(t.train({}, data), Error);
  std::vector<Example> bad = data;
  bad[3].label = 2;
  CHECK_THROWS_AS(t.train(bad, data), Error);
}
