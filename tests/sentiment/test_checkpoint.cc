// Sentiment classifier checkpoints: file round trip and corruption, exact
// resumption (between minibatches and at epoch ends), and a real
// SIGKILL-and-resume of `wembed sentiment train`.
#include <sys/wait.h>

#include <cstring>
#include <random>
#include <utility>
#include <sstream>

#include "checksums.h"
#include "doctest/doctest.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/sentiment/checkpoint.h"
#include "wembed/sentiment/train.h"
#include "core/testing_hooks.h"

using namespace wembed;
using testutil::randomNet;
using testutil::separable;
using testutil::TempDir;

namespace {

NetConfig smallConfig() { return testutil::netConfig(CellType::kGru, Pooling::kMax, false, 6); }

SentimentTrainArgs smallArgs(int threads) {
  SentimentTrainArgs o;
  o.batch = 16;
  o.epochs = 4;
  o.patience = 4;
  o.lr = 0.02;
  o.dropout = 0.3;
  o.threads = threads;
  o.bucket = 2;
  return o;
}

bool sameMetrics(const BinaryMetrics& a, const BinaryMetrics& b) {
  return a.tp == b.tp && a.fp == b.fp && a.tn == b.tn && a.fn == b.fn && a.loss == b.loss;
}

// A checkpoint of a short real run (so every field holds something).
SentimentCheckpoint realCheckpoint(const TempDir& d, bool fine_tune) {
  const auto train = separable(64, 1), dev = separable(20, 2);  // 4 batches of 16
  NetParams<float> P = randomNet(smallConfig(), 4);
  SentimentTrainArgs o = smallArgs(1);
  o.fine_tune = fine_tune;
  SentimentTrainer t(o, P);
  auto run = std::make_shared<SentimentRun>();
  run->vectors = "vec.txt";
  run->train = "train.tsv";
  run->dev = "dev.tsv";
  run->model = "model.bin";
  run->vectors_id = {11, 0x1111};
  run->train_id = {22, 0x2222};
  run->dev_id = {33, 0x3333};
  run->text_column = "sentence";
  run->label_column = "label";
  run->max_len = 50;
  run->max_vocab = 7;
  t.checkpoint_run = run;
  t.checkpointing.path = d.file("s.ckpt");
  t.checkpointing.every_seconds = 0;
  testing::StopAfterCheckpoints stop_hook(6);  // after batches 1-3, epoch 1's evaluation, batches 1-2 of epoch 2
  REQUIRE(t.train(train, dev).interrupted);
  return loadSentimentCheckpoint(d.file("s.ckpt"));
}

}  // namespace

TEST_CASE("sentiment checkpoint: save and load round trip every field") {
  TempDir d;
  const SentimentCheckpoint c = realCheckpoint(d, true);
  CHECK(c.args.fine_tune);
  CHECK(c.args.batch == 16);
  CHECK(c.args.epochs == 4);
  CHECK(c.args.lr == 0.02);
  CHECK(c.args.dropout == 0.3);
  CHECK(c.args.threads == 1);
  CHECK(c.args.bucket == 2);
  CHECK(c.config.embed_dim == 6);
  CHECK(c.config.hidden == 6);
  CHECK((c.config.pooling == Pooling::kMax));
  CHECK(c.run.vectors == "vec.txt");
  CHECK(c.run.train == "train.tsv");
  CHECK(c.run.dev == "dev.tsv");
  CHECK(c.run.model == "model.bin");
  CHECK(c.run.vectors_id == FileIdentity{11, 0x1111});
  CHECK(c.run.train_id == FileIdentity{22, 0x2222});
  CHECK(c.run.dev_id == FileIdentity{33, 0x3333});
  CHECK(c.run.text_column == "sentence");
  CHECK(c.run.label_column == "label");
  CHECK(c.run.max_len == 50);
  CHECK(c.run.max_vocab == 7);
  CHECK(c.embedding_rows == 21);
  CHECK(c.train_examples == 64);
  CHECK(c.dev_examples == 20);
  // Checkpoints after batches 1-3 of epoch 1, after epoch 1's evaluation, after batches 1-2 of epoch 2.
  CHECK(c.epoch == 2);
  CHECK(c.batch == 2);
  CHECK(c.step == 6);
  CHECK(c.adam.t == 6);
  CHECK(c.seen == 32);
  CHECK(c.loss_sum > 0);
  CHECK(c.result.epochs_run == 1);
  CHECK(c.result.best_epoch == 1);
  CHECK(c.result.best_dev.total() == 20);
  CHECK(c.best_acc == c.result.best_dev.accuracy());
  CHECK(c.since_best == 0);
  CHECK(c.rows.rows() == 21);  // fine-tuning: the whole table trains
  CHECK(c.adam.tm.rows() == 21);
  CHECK(c.best_rows.rows() == 21);
  CHECK(c.dense.size() == NetLayout(smallConfig()).size);

  // Saving what was loaded gives the same bytes.
  const std::string first = testutil::readFile(d.file("s.ckpt"));
  SentimentArrays a{c.dense.data(), c.rows.data(), c.adam.m.data(), c.adam.v.data(), c.adam.tm.data(),
                    c.adam.tv.data(), c.best_dense.data(), c.best_rows.data(), c.dense.size(), c.rows.rows(),
                    c.adam.t};
  saveSentimentCheckpoint(d.file("again.ckpt"), c, a);
  CHECK(testutil::readFile(d.file("again.ckpt")) == first);

  const SentimentCheckpoint frozen = realCheckpoint(d, false);
  CHECK(frozen.rows.rows() == 1);  // frozen: only the unknown-word row trains
  CHECK(frozen.adam.tm.rows() == 1);
}

TEST_CASE("sentiment checkpoint: truncated, corrupted and foreign files are refused with the file named") {
  TempDir d;
  realCheckpoint(d, false);
  const std::string good = testutil::readFile(d.file("s.ckpt"));
  const testutil::DamagedFile bad{[](const std::string& p) { loadSentimentCheckpoint(p); }, d.file("bad.ckpt")};
  // Every cut of the first 200 bytes, then every 7th; every byte of the
  // header after the magic flipped, then every 11th.
  bad.checkEveryCorruption(good, 0x20, 8, testutil::Sweep{200, 7}, testutil::Sweep{600, 11});
  std::string body = good;
  body[good.size() - 100] ^= 1;
  CHECK(bad.refused(body, "checksum mismatch"));
  std::string version = good;
  version[8] = 9;
  CHECK(bad.refused(version, "version 9"));
  version[8] = 1;  // before the inputs' hashes were recorded
  testutil::fixCheckpointChecksum(version);
  CHECK(bad.refused(version, "version 1, written by an older wembed (this wembed reads version 2): start the run again"));
  CHECK(bad.refused(good + "x", "trailing"));
  CHECK(bad.refused(good.substr(0, good.size() - 1), "truncated"));
  std::string magic = good;
  magic[5] = 'K';
  magic[6] = 'G';
  magic[7] = 'V';  // WEMBCKGV: a GloVe checkpoint's magic
  CHECK(bad.refused(magic, "is a GloVe checkpoint"));
}

TEST_CASE("sentiment checkpoint: a network larger than the file holds is refused before anything is allocated") {
  // Found by fuzz/sentiment_checkpoint: a checkpoint whose (checksummed)
  // configuration asked for a huge network made the loader size ~100 GB of
  // weights before finding the file too short.
  TempDir d;
  realCheckpoint(d, false);
  const std::string good = testutil::readFile(d.file("s.ckpt"));
  const SentimentCheckpoint c = loadSentimentCheckpoint(d.file("s.ckpt"));
  // The network's sizes sit after the magic, the version and the options
  // (see saveSentimentCheckpoint): embed_dim at byte 70, hidden at 74, layers at 78.
  int32_t embed = 0, hidden = 0, layers = 0;
  std::memcpy(&embed, &good[70], 4);
  std::memcpy(&hidden, &good[74], 4);
  std::memcpy(&layers, &good[78], 4);
  REQUIRE(embed == c.config.embed_dim);
  REQUIRE(hidden == c.config.hidden);
  REQUIRE(layers == c.config.layers);
  const testutil::DamagedFile bad{[](const std::string& p) { loadSentimentCheckpoint(p); }, d.file("bad.ckpt")};
  // The largest network the options allow (8192 units, 16 layers) needs ~50 GB per weight array.
  for (const auto& [h, l] : {std::pair<int32_t, int32_t>{8192, 16}, {8192, 1}, {hidden, 16}}) {
    INFO("hidden " << h << ", layers " << l);
    std::string big = good;
    std::memcpy(&big[74], &h, 4);
    std::memcpy(&big[78], &l, 4);
    testutil::fixCheckpointChecksum(big);
    CHECK(bad.refused(big));
  }
}

TEST_CASE("sentiment checkpoint: interrupted between minibatches or after an epoch and resumed, the same model bit for bit") {
  const auto train = separable(100, 1), dev = separable(30, 2);  // 7 batches an epoch
  struct Case {
    bool fine_tune;
    int threads;
    int patience;
    std::vector<int> stops;
  };
  // A checkpoint after every batch but an epoch's last (6 of 7) and after
  // every epoch's evaluation but the last: checkpoint n is in epoch 1 + n / 7;
  // 7 and 21 come after an evaluation, the others between batches.
  for (const Case& k : {Case{false, 1, 4, {1, 7, 11, 21, 22}}, Case{true, 2, 4, {7, 11}},
                        Case{true, 1, 1, {1, 7, 11, 21, 22}}}) {
    INFO("fine_tune " << k.fine_tune << " threads " << k.threads << " patience " << k.patience);
    SentimentTrainArgs o = smallArgs(k.threads);
    o.fine_tune = k.fine_tune;
    o.patience = k.patience;
    NetParams<float> full = randomNet(smallConfig(), 5);
    const TrainResult fr = SentimentTrainer(o, full).train(train, dev);

    TempDir d;
    for (int stop_at : k.stops) {
      INFO("stopped after checkpoint " << stop_at);
      NetParams<float> first = randomNet(smallConfig(), 5);
      SentimentTrainer t1(o, first);
      t1.checkpointing.path = d.file("s.ckpt");
      t1.checkpointing.every_seconds = 0;
      testing::StopAfterCheckpoints stop_hook(stop_at);
      const TrainResult r1 = t1.train(train, dev);
      if (!r1.interrupted) {  // stopped early (patience) before that many checkpoints
        CHECK(r1.epochs_run == fr.epochs_run);
        continue;
      }
      CHECK_FALSE(testutil::hasTmpFile(d.path()));

      NetParams<float> second = randomNet(smallConfig(), 5);
      SentimentTrainer t2(o, second);
      t2.restore(loadSentimentCheckpoint(d.file("s.ckpt")));
      int first_epoch_seen = 0;
      t2.on_epoch = [&](const EpochStats& s) {
        if (!first_epoch_seen) first_epoch_seen = s.epoch;
      };
      const TrainResult r2 = t2.train(train, dev);
      CHECK_FALSE(r2.interrupted);
      CHECK(first_epoch_seen == 1 + stop_at / 7);
      CHECK(second.dense == full.dense);
      CHECK(second.embeddings == full.embeddings);
      CHECK(r2.best_epoch == fr.best_epoch);
      CHECK(sameMetrics(r2.best_dev, fr.best_dev));
      CHECK(r2.epochs_run == fr.epochs_run);
      CHECK(r2.sequences == fr.sequences);
    }
  }
}

TEST_CASE("sentiment checkpoint: restore refuses other settings, network or data") {
  TempDir d;
  realCheckpoint(d, false);
  NetParams<float> P = randomNet(smallConfig(), 4);
  SentimentTrainArgs o = smallArgs(1);
  o.lr = 0.05;
  SentimentTrainer other_lr(o, P);
  CHECK_THROWS_WITH_AS(other_lr.restore(loadSentimentCheckpoint(d.file("s.ckpt"))),
                       doctest::Contains("other training settings"), Error);
  NetConfig c = smallConfig();
  c.hidden = 7;
  NetParams<float> Q = randomNet(c, 4);
  SentimentTrainer other_net(smallArgs(1), Q);
  CHECK_THROWS_WITH_AS(other_net.restore(loadSentimentCheckpoint(d.file("s.ckpt"))),
                       doctest::Contains("another network"), Error);
  NetParams<float> R = randomNet(smallConfig(), 4);
  SentimentTrainer other_data(smallArgs(1), R);
  other_data.restore(loadSentimentCheckpoint(d.file("s.ckpt")));
  CHECK_THROWS_WITH_AS(other_data.train(separable(61, 1), separable(20, 2)), doctest::Contains("other training"),
                       Error);
}

TEST_CASE("sentiment checkpoint: wembed sentiment train killed with SIGKILL resumes to the uninterrupted model") {
  TempDir d;
  const std::string in = d.subdir("in"), run = d.subdir("run");
  testutil::writeFile(in + "/vec.txt", testutil::sentimentVectorsText());
  testutil::writeFile(in + "/train.tsv", testutil::sentimentTsv(400, 1));
  testutil::writeFile(in + "/dev.tsv", testutil::sentimentTsv(100, 2));
  const std::string ckpt = run + "/s.ckpt", model = run + "/model.bin";
  const std::vector<std::string> args = {"sentiment", "train",  "--vectors", in + "/vec.txt", "--train",
                                         in + "/train.tsv", "--dev", in + "/dev.tsv", "--hidden", "32",
                                         "--epochs",  "400",    "--patience", "0", "--lr", "0.01", "--batch", "8",
                                         "--threads", "1", "--quiet"};
  std::string common;
  for (const auto& a : args) common += " '" + a + "'";

  std::vector<std::string> killed_args = args;
  for (const char* a : {"--model", model.c_str(), "--checkpoint", ckpt.c_str(), "--checkpoint-every", "0.1"})
    killed_args.push_back(a);
  const auto killed = testutil::runUntilFileThenKill(testutil::kBin, killed_args, ckpt);
  REQUIRE(killed.ready);
  REQUIRE(WIFSIGNALED(killed.status));
  const SentimentCheckpoint saved = loadSentimentCheckpoint(ckpt);
  MESSAGE("killed at epoch " << saved.epoch << " of 400, batch " << saved.batch);

  // Settings come from the checkpoint; a checkpoint of another trainer is named as such.
  auto bad = testutil::runWembed("sentiment train --resume " + testutil::q(ckpt) + " --lr 0.1", d);
  testutil::checkError(bad, "sentiment train", "--lr cannot be given with --resume");
  bad = testutil::runWembed("train --resume " + testutil::q(ckpt), d);
  testutil::checkError(bad, "train", "wembed sentiment train --resume");
  testutil::writeFile(d.file("corrupt.ckpt"), testutil::readFile(ckpt).substr(0, 200) + "x" +
                                                  testutil::readFile(ckpt).substr(201));
  bad = testutil::runWembed("sentiment train --resume " + testutil::q(d.file("corrupt.ckpt")), d);
  testutil::checkError(bad, "sentiment train", "checksum mismatch");

  // What the kill may have left half-written is cleaned up by the resumed run.
  testutil::writeFile(model + ".tmp.Ab12Cd", "half");
  testutil::writeFile(ckpt + ".tmp.Ef34Gh", "half");
  const auto r = testutil::runWembed("sentiment train --resume " + testutil::q(ckpt), d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("epoch 400/400") != std::string::npos);
  CHECK(r.err.find("best dev accuracy 100.00%") != std::string::npos);
  CHECK_FALSE(testutil::hasTmpFile(run));
  CHECK(testutil::listDir(run) == std::vector<std::string>{"model.bin", "s.ckpt"});

  // The same model as a run that was never interrupted.
  const std::string ref = d.subdir("ref") + "/model.bin";
  const auto full = testutil::runWembed(common + " --model-file " + testutil::q(ref), d);
  REQUIRE(full.status == 0);
  CHECK(testutil::readFile(model) == testutil::readFile(ref));
}
