// GloVe checkpoints: file round trip and corruption, exact resumption with
// one thread (tiled and streamed), and a real SIGKILL-and-resume of the CLI.
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <random>

#include "doctest/doctest.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/glove/trainer.h"
#include "wembed/glove/checkpoint.h"
#include "wembed/vectors/vectors.h"
#include "core/testing_hooks.h"

using namespace wembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

// Every float of the trainer's rows (parameters and AdaGrad sums) equal.
bool sameRows(GloveTrainer& a, GloveTrainer& b, int32_t V) {
  const size_t n = sizeof(float) * 2 * a.rowWidth();
  for (int32_t i = 0; i < V; ++i)
    if (std::memcmp(a.wordRow(i), b.wordRow(i), n) != 0 || std::memcmp(a.contextRow(i), b.contextRow(i), n) != 0)
      return false;
  return true;
}

Matrix filled(int64_t rows, int cols, float base) {
  Matrix m(rows, cols);
  for (int64_t r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m.row(r)[c] = base + static_cast<float>(r * cols + c) * 0.5f;
  return m;
}

GloveCheckpoint sample() {
  GloveCheckpoint c;
  c.args.dim = 3;
  c.args.epochs = 4;
  c.args.x_max = 10;
  c.args.alpha = 0.5;
  c.args.eta = 0.05;
  c.args.grad_clip = 0;
  c.args.init_scale = 0.1;
  c.args.threads = 2;
  c.args.seed = 99;
  c.args.memory_gb = 0.5;
  c.args.tile_words = 2;
  c.run.vocab = {{"the", 10}, {"ünïcode", 3}};
  c.run.cooccur = "counts.bin";
  c.run.cooccur_id = {32 + 12 * 5, 0xfedcba9876543210ull};
  c.run.cooccur_records = 5;
  c.run.cooccur_flags = 3;
  c.run.cooccur_owned = true;
  c.run.output = "out.txt";
  c.run.output_context = "ctx.txt";
  c.run.format = 2;
  c.run.vectors = "word";
  c.records = 5;
  c.epochs_done = 2;
  c.history = {{1, 0.5, 0.25}, {2, 0.25, 0.125}};
  c.tile_order = {3, 0, 2};
  c.seconds = 7.5;
  const int width = 2 * gloveRowWidth(3);
  c.w = filled(2, width, 1.f);
  c.c = filled(2, width, -3.f);
  return c;
}

// Random records over V words (each pair at most once).
std::vector<CooccurRecord> records(int32_t V, int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<CooccurRecord> out;
  std::vector<char> seen(static_cast<size_t>(V) * V, 0);
  while (static_cast<int>(out.size()) < n) {
    const int32_t w = static_cast<int32_t>(rng() % V), c = static_cast<int32_t>(rng() % V);
    if (seen[static_cast<size_t>(w) * V + c]++) continue;
    out.push_back({w, c, 0.5f + static_cast<float>(rng() % 400) / 10.f});
  }
  return out;
}

}  // namespace

TEST_CASE("glove checkpoint: save and load round trip every field") {
  TempDir d;
  const GloveCheckpoint c = sample();
  saveGloveCheckpoint(d.file("g.ckpt"), c, c.w, c.c);
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
  const GloveCheckpoint r = loadGloveCheckpoint(d.file("g.ckpt"));
  CHECK(r.args.dim == 3);
  CHECK(r.args.epochs == 4);
  CHECK(r.args.x_max == 10);
  CHECK(r.args.alpha == 0.5);
  CHECK(r.args.eta == 0.05);
  CHECK(r.args.grad_clip == 0);
  CHECK(r.args.init_scale == 0.1);
  CHECK(r.args.threads == 2);
  CHECK(r.args.seed == 99);
  CHECK(r.args.memory_gb == 0.5);
  CHECK(r.args.tile_words == 2);
  REQUIRE(r.run.vocab.size() == 2);
  CHECK(r.run.vocab[1].word == "ünïcode");
  CHECK(r.run.vocab[1].count == 3);
  CHECK(r.run.cooccur == "counts.bin");
  CHECK(r.run.cooccur_id.size == 92);
  CHECK(r.run.cooccur_id.hash == 0xfedcba9876543210ull);
  CHECK(r.run.cooccur_records == 5);
  CHECK(r.run.cooccur_flags == 3);
  CHECK(r.run.cooccur_owned);
  CHECK(r.run.output == "out.txt");
  CHECK(r.run.output_context == "ctx.txt");
  CHECK(r.run.format == 2);
  CHECK(r.run.vectors == "word");
  CHECK(r.records == 5);
  CHECK(r.epochs_done == 2);
  REQUIRE(r.history.size() == 2);
  CHECK(r.history[1].epoch == 2);
  CHECK(r.history[1].cost == 0.25);
  CHECK(r.history[1].seconds == 0.125);
  CHECK(r.tile_order == std::vector<uint32_t>{3, 0, 2});
  CHECK(r.seconds == 7.5);
  CHECK(sameMatrix(r.w, c.w));
  CHECK(sameMatrix(r.c, c.c));
}

TEST_CASE("glove checkpoint: a distributed one holds the ranks, the synchronisation and every rank's share") {
  TempDir d;
  const auto distributed = [] {
    GloveCheckpoint c = sample();
    c.ranks = 2;
    c.args.sync_seconds = 2;
    c.args.sync_records = 5000;
    c.shares.resize(2);
    c.shares[0] = {c.run.cooccur, c.run.cooccur_id, 5, 3, 0, 5, c.tile_order};
    c.shares[1] = {"counts.rank-1.bin", {44, 7}, 4, 3, 1, 3, {1}};
    return c;
  };
  const GloveCheckpoint c = distributed();
  const std::string path = d.file("g.ckpt");
  saveGloveCheckpoint(path, c, c.w, c.c);
  GloveCheckpoint r = loadGloveCheckpoint(path);
  CHECK(r.ranks == 2);
  CHECK(r.args.sync_seconds == 2);
  CHECK(r.args.sync_records == 5000);
  REQUIRE(r.shares.size() == 2);
  CHECK(r.shares[1].cooccur == "counts.rank-1.bin");
  CHECK(r.shares[1].cooccur_id.size == 44);
  CHECK(r.shares[1].cooccur_id.hash == 7);
  CHECK(r.shares[1].cooccur_records == 4);
  CHECK(r.shares[1].first == 1);
  CHECK(r.shares[1].records == 3);
  CHECK(r.shares[1].tile_order == std::vector<uint32_t>{1});
  takeRankShare(r, 1);  // what rank 1 continues from
  CHECK(r.run.cooccur == "counts.rank-1.bin");
  CHECK(r.run.cooccur_records == 4);
  CHECK(r.run.cooccur_first == 1);
  CHECK(r.records == 3);
  CHECK(r.tile_order == std::vector<uint32_t>{1});
  // A share past the end of its file, or rank 0's not the one-process fields: inconsistent.
  GloveCheckpoint odd = distributed();
  odd.shares[1].records = 4;
  saveGloveCheckpoint(path, odd, odd.w, odd.c);
  CHECK_THROWS_WITH_AS(loadGloveCheckpoint(path), doctest::Contains("inconsistent"), Error);
  odd = distributed();
  odd.shares[0].records = 4;
  saveGloveCheckpoint(path, odd, odd.w, odd.c);
  CHECK_THROWS_WITH_AS(loadGloveCheckpoint(path), doctest::Contains("inconsistent"), Error);
  odd = distributed();
  odd.shares.pop_back();  // fewer shares than ranks
  saveGloveCheckpoint(path, odd, odd.w, odd.c);
  CHECK_THROWS_WITH_AS(loadGloveCheckpoint(path), doctest::Contains("truncated"), Error);
}

TEST_CASE("glove checkpoint: a version 2 file (before the ranks) reads as one process's") {
  TempDir d;
  GloveCheckpoint c = sample();
  const std::string path = d.file("g.ckpt");
  saveGloveCheckpoint(path, c, c.w, c.c);
  // Version 3 appended the ranks (int32) and the synchronisation (double, int64).
  std::string bytes = testutil::readFile(path);
  bytes.erase(bytes.size() - 8 - 20, 20);
  bytes[8] = 2;
  testutil::fixCheckpointChecksum(bytes);
  testutil::writeFile(path, bytes);
  const GloveCheckpoint r = loadGloveCheckpoint(path);
  CHECK(r.ranks == 1);
  CHECK(r.shares.empty());
  CHECK(r.records == 5);
  CHECK(r.args.sync_seconds == GloveArgs().sync_seconds);
}

TEST_CASE("glove checkpoint: truncated, corrupted and inconsistent files are refused with the file named") {
  TempDir d;
  const GloveCheckpoint c = sample();
  const std::string path = d.file("g.ckpt");
  saveGloveCheckpoint(path, c, c.w, c.c);
  const std::string good = testutil::readFile(path);
  const testutil::DamagedFile bad{[](const std::string& p) { loadGloveCheckpoint(p); }, d.file("bad.ckpt")};
  bad.checkEveryCorruption(good, 0x10);
  std::string body = good;
  body[good.size() / 2] ^= 1;
  CHECK(bad.refused(body, "checksum mismatch"));
  std::string version = good;
  version[8] = 9;
  CHECK(bad.refused(version, "version 9"));
  version[8] = 1;  // before the co-occurrence file's hash was recorded
  testutil::fixCheckpointChecksum(version);
  CHECK(bad.refused(version, "version 1, written by an older wembed (this wembed reads version 2 to 3): start the run again"));
  CHECK(bad.refused(good + "x", "trailing"));
  CHECK(bad.refused(good.substr(0, good.size() - 3), "truncated"));

  GloveCheckpoint odd = sample();  // a history that does not match the epochs done
  odd.epochs_done = 3;
  saveGloveCheckpoint(path, odd, odd.w, odd.c);
  CHECK_THROWS_WITH_AS(loadGloveCheckpoint(path), doctest::Contains("inconsistent"), Error);
  odd = sample();
  odd.tile_order = {1, 1};
  saveGloveCheckpoint(path, odd, odd.w, odd.c);
  CHECK_THROWS_WITH_AS(loadGloveCheckpoint(path), doctest::Contains("inconsistent"), Error);
}

TEST_CASE("glove checkpoint: one thread, interrupted at an epoch boundary and resumed, gives the same rows bit for bit") {
  const int32_t V = 40;
  const std::vector<CooccurRecord> recs = records(V, 600, 5);
  for (int64_t tile : {int64_t{8}, int64_t{-1}}) {  // tiled (several tiles), streamed
    INFO("tile_words " << tile);
    GloveArgs a;
    a.dim = 6;
    a.epochs = 5;
    a.x_max = 10;
    a.threads = 1;
    a.seed = 3;
    a.tile_words = tile;
    GloveTrainer full(a, V);
    const GloveStats fs = full.train(recs);
    REQUIRE(fs.epochs.size() == 5);
    CHECK(fs.tiled == (tile > 0));

    TempDir d;
    // Checkpoints come before epoch 1 and after epochs 1-4: stop after the 1st, 2nd and 5th.
    for (int stop_at : {1, 2, 5}) {
      INFO("stopped after checkpoint " << stop_at);
      GloveTrainer first(a, V);
      first.checkpointing.path = d.file("g.ckpt");
      first.checkpointing.every_seconds = 0;
      testing::StopAfterCheckpoints stop_hook(stop_at);
      int written = 0;
      first.checkpointing.on_written = [&](const std::string&) { ++written; };
      const GloveStats s1 = first.train(recs);
      REQUIRE(s1.interrupted);
      CHECK(written == stop_at);
      CHECK(static_cast<int>(s1.epochs.size()) == stop_at - 1);
      CHECK_FALSE(testutil::hasTmpFile(d.path()));

      GloveCheckpoint c = loadGloveCheckpoint(d.file("g.ckpt"));
      CHECK(c.epochs_done == stop_at - 1);
      CHECK(c.records == recs.size());
      CHECK(c.tile_order.empty() == (tile < 0));
      GloveTrainer second(a, V);
      second.restore(std::move(c));
      const GloveStats s2 = second.train(recs);
      CHECK_FALSE(s2.interrupted);
      CHECK(sameRows(second, full, V));
      REQUIRE(s2.epochs.size() == fs.epochs.size());
      for (size_t e = 0; e < fs.epochs.size(); ++e) {
        CHECK(s2.epochs[e].epoch == fs.epochs[e].epoch);
        CHECK(s2.epochs[e].cost == fs.epochs[e].cost);  // the same per-epoch costs, bit for bit
      }
    }
  }
}

TEST_CASE("glove checkpoint: a resumed run refuses other records or settings") {
  const int32_t V = 20;
  const std::vector<CooccurRecord> recs = records(V, 100, 8);
  GloveArgs a;
  a.dim = 4;
  a.epochs = 3;
  a.threads = 1;
  a.tile_words = 4;
  TempDir d;
  GloveTrainer first(a, V);
  first.checkpointing.path = d.file("g.ckpt");
  first.checkpointing.every_seconds = 0;
  testing::StopAfterCheckpoints stop_hook(2);
  REQUIRE(first.train(recs).interrupted);

  GloveTrainer fewer(a, V);
  fewer.restore(loadGloveCheckpoint(d.file("g.ckpt")));
  const std::vector<CooccurRecord> less(recs.begin(), recs.end() - 1);
  CHECK_THROWS_WITH_AS(fewer.train(less), doctest::Contains("records"), Error);

  GloveArgs b = a;
  b.dim = 5;
  GloveTrainer other(b, V);
  CHECK_THROWS_WITH_AS(other.restore(loadGloveCheckpoint(d.file("g.ckpt"))), doctest::Contains("does not match"),
                       Error);
  GloveTrainer bigger(a, V + 1);
  CHECK_THROWS_AS(bigger.restore(loadGloveCheckpoint(d.file("g.ckpt"))), Error);
}

TEST_CASE("glove checkpoint: wembed train --model glove killed with SIGKILL resumes to the uninterrupted vectors") {
  TempDir d;
  const std::string in = d.subdir("in"), run = d.subdir("run"), tmp = d.subdir("tmp");
  testutil::writeFile(in + "/topics.txt", testutil::topicsText(3000, 100));  // two topics of 100 words
  const std::string ckpt = run + "/g.ckpt", out = run + "/vectors.txt", kept = ckpt + ".cooccur";
  const std::vector<std::string> args = {"train",        "--model",   "glove",   "--input",      in + "/topics.txt",
                                         "--min-count",  "1",         "--dim",   "50",           "--window",
                                         "5",            "--epochs",  "800",     "--threads",    "1",
                                         "--x-max",      "10",        "--tmp-dir",    tmp};
  std::string common;
  for (const auto& a : args) common += " '" + a + "'";

  std::vector<std::string> killed_args = args;
  for (const char* a : {"--output", out.c_str(), "--checkpoint", ckpt.c_str(), "--checkpoint-every", "0.1", "--quiet"})
    killed_args.push_back(a);
  const auto killed = testutil::runUntilFileThenKill(testutil::kBin, killed_args, ckpt);
  REQUIRE(killed.ready);
  REQUIRE(WIFSIGNALED(killed.status));
  CHECK(access(out.c_str(), F_OK) != 0);    // no half-written vectors
  CHECK(access(kept.c_str(), F_OK) == 0);   // the counts outlive the kill, beside the checkpoint
  const GloveCheckpoint saved = loadGloveCheckpoint(ckpt);
  CHECK(saved.run.cooccur == kept);
  CHECK(saved.run.cooccur_owned);
  CHECK(saved.epochs_done < 800);
  MESSAGE("killed after " << saved.epochs_done << " of 800 epochs");

  // Settings come from the checkpoint: changing one is an error, not silently ignored.
  const auto bad = testutil::runWembed("train --resume " + testutil::q(ckpt) + " --eta 0.1", d);
  testutil::checkError(bad, "train", "--eta");

  // What the kill may have left half-written is cleaned up by the resumed run.
  testutil::writeFile(out + ".tmp.Ab12Cd", "half");
  testutil::writeFile(ckpt + ".tmp.Ef34Gh", "half");
  const auto r = testutil::runWembed("train --resume " + testutil::q(ckpt), d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("resuming glove") != std::string::npos);
  CHECK(r.err.find("epoch 800/800") != std::string::npos);
  CHECK(access(kept.c_str(), F_OK) != 0);  // the run is over: the kept counts are removed
  CHECK(testutil::listDir(tmp).empty());
  CHECK_FALSE(testutil::hasTmpFile(run));
  CHECK(testutil::listDir(run) == std::vector<std::string>{"g.ckpt", "vectors.txt"});

  // One thread: exactly the costs and vectors of a run that was never interrupted.
  const std::string ref = d.subdir("ref") + "/vectors.txt";
  const auto full = testutil::runWembed(common + " --output " + testutil::q(ref), d);
  REQUIRE(full.status == 0);
  auto lastCost = [](const std::string& err) {  // "epoch 800/800  cost 0.00xxxx", without the time
    const size_t at = err.find("epoch 800/800");
    return at == std::string::npos ? std::string() : err.substr(at, err.find("  (", at) - at);
  };
  CHECK(lastCost(r.err).find("cost 0.0") != std::string::npos);
  CHECK(lastCost(r.err) == lastCost(full.err));
  CHECK(testutil::readFile(out) == testutil::readFile(ref));
  CHECK(loadWord2vec(out).words.size() == 200);

  // The counts beside a finished run's checkpoint are gone: resuming it again says so.
  const auto again = testutil::runWembed("train --resume " + testutil::q(ckpt), d);
  testutil::checkError(again, "train", "are gone");
}
