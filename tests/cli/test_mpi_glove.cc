// `mpirun -np 2 wembed train --model glove ...` on this machine: the counts
// of 2 ranks are the counts of one process, the two-topics test on 2 ranks x
// 1 thread (from the corpus and from a co-occurrence file) at the quality of
// 1 rank x 2 threads, rank 0 alone writing; a failure on one rank ends the
// job with one error line and no output; `wembed cooccur` on 2 ranks writes
// one process's counts; what is not distributed yet is refused in one line;
// a 2-rank run killed mid-run resumes on 2 ranks (bit for bit the
// uninterrupted run's vectors when the ranks combine only at epochs' ends,
// as good when they combine every 0.5 s) and on 2 ranks only. Skipped (with
// a message) where mpirun or MPI is missing.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "mpi_util.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/glove/checkpoint.h"
#include "wembed/glove/cooccur.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::count;
using testutil::mpiReady;
using testutil::q;

namespace {

const char* kGlove = " train --model glove --min-count 1 --dim 20 --window 5 --x-max 10 --epochs 15 ";

// `wembed train --model glove` as a job of `ranks` ranks of `threads` threads each.
testutil::RunResult gloveJob(int ranks, int threads, const std::string& args, const testutil::TempDir& d) {
  return testutil::run(testutil::mpirun(ranks) + q(testutil::kBin) + kGlove + "--threads " + std::to_string(threads) +
                           " " + args,
                       d.path());
}

// The records of the setup line ("train: glove, 40 words, 1600 records (...").
long long records(const std::string& err) {
  const size_t at = err.find("train: glove, ");
  int words = 0;
  long long n = -1;
  if (at == std::string::npos || std::sscanf(err.c_str() + at, "train: glove, %d words, %lld records", &words, &n) != 2)
    return -1;
  return n;
}

}  // namespace

TEST_CASE("mpi glove: 2 ranks x 1 thread count what 1 rank counts and learn the two topics as well") {
  if (!mpiReady()) return;
  testutil::TempDir d, out, tmp;
  testutil::writeFile(d.file("topics.txt"), testutil::topicsText(4000, 20));
  const std::string args = "--input " + q(d.file("topics.txt")) + " --tmp-dir " + q(tmp.path()) + " --output ";
  const auto one = testutil::runWembed(std::string(kGlove + 1) + "--threads 2 " + args + q(d.file("one.txt")), d);
  INFO("one rank: " << one.err);
  REQUIRE(one.status == 0);
  const auto two = gloveJob(2, 1, args + q(out.file("two.txt")), d);
  INFO("two ranks: " << two.err);
  REQUIRE(two.status == 0);
  // The ranks' shares merged: every pair once, as one process counts them.
  CHECK(records(two.err) > 0);
  CHECK(records(two.err) == records(one.err));
  CHECK(two.err.find("1 threads x 2 ranks") != std::string::npos);
  // The ranks' rows are combined at least at every epoch's end.
  int syncs = 0;
  const size_t at = two.err.find("train: 2 ranks, ");
  REQUIRE(at != std::string::npos);
  CHECK(std::sscanf(two.err.c_str() + at, "train: 2 ranks, %d synchronisations", &syncs) == 1);
  CHECK(syncs >= 15);
  // Rank 0 alone reports and writes; no scratch file is left on any rank.
  CHECK(count(two.err, "train: wrote ") == 1);
  CHECK(count(two.err, "vocab: ") == 1);
  CHECK(count(two.err, "epoch 15/15") == 1);
  CHECK(testutil::listDir(out.path()) == std::vector<std::string>{"two.txt"});
  CHECK(testutil::listDir(tmp.path()).empty());
  std::string bad1, bad2;
  const int g1 = testutil::topicalWords(loadVectors(d.file("one.txt")), &bad1);
  const int g2 = testutil::topicalWords(loadVectors(out.file("two.txt")), &bad2);
  INFO("off-topic neighbours: one rank " << bad1 << ", two ranks " << bad2);
  CHECK(g1 >= 38);
  CHECK(g2 >= 38);
}

TEST_CASE("mpi glove: 2 ranks train their halves of a co-occurrence file") {
  if (!mpiReady()) return;
  testutil::TempDir d, out;
  testutil::writeFile(d.file("topics.txt"), testutil::topicsText(4000, 20));
  const auto c = testutil::runWembed("cooccur --quiet --min-count 1 --window 5 --threads 1 --input " +
                                         q(d.file("topics.txt")) + " --output " + q(d.file("c.bin")) + " --save-vocab " +
                                         q(d.file("vocab.txt")),
                                     d);
  REQUIRE(c.status == 0);
  const auto two = gloveJob(2, 1, "--cooccur " + q(d.file("c.bin")) + " --read-vocab " + q(d.file("vocab.txt")) +
                                      " --output " + q(out.file("v.bin")),
                            d);
  INFO(two.err);
  REQUIRE(two.status == 0);
  CHECK(count(two.err, "train: wrote ") == 1);
  std::string bad;
  CHECK(testutil::topicalWords(loadVectors(out.file("v.bin")), &bad) >= 38);
  INFO("off-topic neighbours: " << bad);
}

TEST_CASE("mpi glove: a failure on one rank stops every rank, one error line, no output") {
  if (!mpiReady()) return;
  testutil::TempDir d, out, tmp;
  testutil::writeFile(d.file("good.txt"), testutil::topicsText(200, 10));
  // mpirun's a : b runs each program as its own ranks: rank 1 gets other arguments.
  const std::string common = std::string(kGlove) + "--threads 1 --output " + q(out.file("v.txt")) + " ";
  const auto job = [&](const std::string& rank0, const std::string& rank1) {
    return testutil::run(testutil::mpirun(1) + q(testutil::kBin) + common + rank0 + " : -np 1 " + q(testutil::kBin) +
                             common + rank1,
                         d.path());
  };
  const std::string good = "--input " + q(d.file("good.txt"));
  testutil::checkFailure(job(good, "--input missing.txt"), out.path(), "missing input on rank 1",
                         "rank 1: cannot open 'missing.txt'");
  testutil::checkFailure(job(good, good + " --tmp-dir " + q(d.file("none"))), out.path(), "bad --tmp-dir on rank 1",
                         "rank 1: ");
  // Rank 1 counts with another vocabulary (--max-vocab): after the exchange,
  // the records it owns do not fit it, and it fails while loading them.
  const auto r = job(good + " --quiet --tmp-dir " + q(tmp.path()), good + " --max-vocab 5 --tmp-dir " + q(tmp.path()));
  testutil::checkFailure(r, out.path(), "a failure on rank 1 after counting", "rank 1: bad co-occurrence file");
  CHECK(testutil::listDir(tmp.path()).empty());
}

TEST_CASE("mpi glove: a rank killed while training ends the job in one line, with no output") {
  if (!mpiReady()) return;
  testutil::TempDir d, out;
  testutil::writeFile(d.file("topics.txt"), testutil::topicsText(2000, 20));
  const std::string args = " train --model glove --min-count 1 --dim 20 --threads 1 --epochs 100000 --output " +
                           q(out.file("v.txt")) + " --input " + q(d.file("topics.txt"));
  // Rank 1 is killed once rank 0 reports its first epoch.
  const auto r = testutil::killRank1When(args, "grep -q 'epoch 1/' job.err 2>/dev/null", d.path());
  INFO("stderr: " << r.err);
  CHECK(r.status != 0);
  CHECK(testutil::listDir(out.path()).empty());  // no output, no temporary file
  CHECK(count(r.err, "error") == 1);
  CHECK(r.err.find("wembed train: error: the job was stopped: another rank ended early") != std::string::npos);
}

TEST_CASE("mpi glove: what is not distributed yet is refused in one line") {
  if (!mpiReady()) return;
  testutil::TempDir d, out;
  testutil::writeFile(d.file("good.txt"), testutil::topicsText(200, 10));
  const std::string base = "--input " + q(d.file("good.txt")) + " --output " + q(out.file("v.txt"));
  testutil::checkFailure(gloveJob(2, 1, base + " --save-cooccur " + q(out.file("c.bin")), d), out.path(),
                         "--save-cooccur under mpirun", "--save-cooccur does not apply under mpirun");
  // A checkpoint written by one process resumes in one process only.
  const auto ck = testutil::runWembed(std::string(kGlove + 1) + "--threads 1 --quiet --input " + q(d.file("good.txt")) +
                                          " --output " + q(d.file("v.txt")) + " --checkpoint " + q(d.file("c.ckpt")) +
                                          " --checkpoint-every 0.001",
                                      d);
  REQUIRE(ck.status == 0);
  testutil::checkFailure(testutil::run(testutil::mpirun(2) + q(testutil::kBin) + " train --resume " +
                                           q(d.file("c.ckpt")) + " --output " + q(out.file("v.txt")),
                                       d.path()),
                         out.path(), "--resume under mpirun",
                         "was written by 1 process: resume it without mpirun (this run has 2 MPI ranks)");
}

TEST_CASE("mpi glove: cooccur on 2 ranks writes, from rank 0, the counts one process writes") {
  if (!mpiReady()) return;
  testutil::TempDir d, out, tmp;
  testutil::writeFile(d.file("topics.txt"), testutil::topicsText(3000, 20) + "x y z x y\nz z y\n");
  const std::string args = " cooccur --quiet --min-count 1 --window 4 --threads 1 --tmp-dir " + q(tmp.path()) +
                           " --input " + q(d.file("topics.txt"));
  const auto one = testutil::runWembed(args.substr(1) + " --output " + q(d.file("one.bin")) + " --save-vocab " +
                                           q(d.file("one.vocab")),
                                       d);
  REQUIRE(one.status == 0);
  const auto two = testutil::run(testutil::mpirun(2) + q(testutil::kBin) + args + " --output " + q(out.file("two.bin")) +
                                     " --save-vocab " + q(out.file("two.vocab")),
                                 d.path());
  INFO(two.err);
  REQUIRE(two.status == 0);
  CHECK(two.err.empty());
  CHECK(testutil::listDir(out.path()) == std::vector<std::string>{"two.bin", "two.vocab"});
  CHECK(testutil::listDir(tmp.path()).empty());
  CHECK(testutil::readFile(out.file("two.vocab")) == testutil::readFile(d.file("one.vocab")));
  const auto sorted = [](const std::string& path) {
    CooccurReader r(path);
    std::vector<CooccurRecord> v(r.records());
    REQUIRE(r.read(0, v.data(), v.size()) == v.size());
    std::sort(v.begin(), v.end(), [](const CooccurRecord& a, const CooccurRecord& b) {
      return a.word != b.word ? a.word < b.word : a.context < b.context;
    });
    return v;
  };
  const CooccurReader two_file(out.file("two.bin"));
  CHECK((two_file.header().flags & kCooccurShuffled) != 0);
  const auto a = sorted(d.file("one.bin")), b = sorted(out.file("two.bin"));
  REQUIRE(a.size() == b.size());
  int same = 0;
  for (size_t i = 0; i < a.size(); ++i)
    same += a[i].word == b[i].word && a[i].context == b[i].context && std::fabs(a[i].count - b[i].count) <= 1e-5f * a[i].count;
  CHECK(same == static_cast<int>(a.size()));

  // A missing input on rank 1: one line from rank 0, no output.
  const auto bad = testutil::run(testutil::mpirun(1) + q(testutil::kBin) + args + " --output " + q(out.file("c.bin")) +
                                     " : -np 1 " + q(testutil::kBin) + " cooccur --min-count 1 --input missing.txt --output " +
                                     q(out.file("c.bin")),
                                 d.path());
  testutil::checkFailure(bad, std::vector<std::string>{}, "cooccur: missing input on rank 1",
                         "rank 1: cannot open 'missing.txt'", "cooccur");
  CHECK(testutil::listDir(out.path()) == std::vector<std::string>{"two.bin", "two.vocab"});
}

namespace {

// "epoch 60/60  cost 0.0xxxxx" of a run's output, without the time.
std::string lastEpoch(const std::string& err, int epochs) {
  const std::string e = "epoch " + std::to_string(epochs) + "/" + std::to_string(epochs);
  const size_t at = err.find(e);
  return at == std::string::npos ? std::string() : err.substr(at, err.find("  (", at) - at);
}

}  // namespace

TEST_CASE("mpi glove: a 2-rank run killed mid-run resumes on 2 ranks to the uninterrupted run's vectors, bit for bit") {
  if (!mpiReady()) return;
  testutil::TempDir d, out, tmp;
  testutil::writeFile(d.file("topics.txt"), testutil::topicsText(2000, 20));
  // 1 thread a rank, combined only at every epoch's end (--sync-every 1e15w):
  // each rank's epoch is then a function of the rows it starts from, its
  // records and its tile order, which the checkpoint holds; the ranks end
  // each epoch with the same rows, bit for bit (RankSync::averageAll).
  const std::string common = std::string(" train --model glove --min-count 1 --dim 20 --window 5 --x-max 10 ") +
                             "--epochs 60 --threads 1 --sync-every 1e15w --tmp-dir " +
                             q(tmp.path()) + " --input " + q(d.file("topics.txt"));
  const std::string ckpt = d.file("c.ckpt");
  const std::string args = common + " --checkpoint " + q(ckpt) + " --checkpoint-every 0.001 --output " +
                           q(out.file("v.txt"));
  // Rank 1 is killed once rank 0 reports its 5th epoch (a checkpoint follows every epoch).
  const auto r = testutil::killRank1When(args, "grep -q 'epoch 5/' job.err 2>/dev/null", d.path());
  INFO("killed: " << r.err);
  CHECK(r.status != 0);
  CHECK(testutil::listDir(out.path()).empty());  // no output, no temporary file
  CHECK(r.err.find("another rank ended early") != std::string::npos);

  // One file written by rank 0 with both ranks' shares; each rank's counts beside it.
  const GloveCheckpoint c = loadGloveCheckpoint(ckpt);
  MESSAGE("killed after " << c.epochs_done << " of 60 epochs");
  CHECK(c.ranks == 2);
  REQUIRE(c.shares.size() == 2);
  CHECK(c.epochs_done >= 4);
  CHECK(c.epochs_done < 60);
  for (int k = 0; k < 2; ++k) {
    const std::string kept = ckpt + ".rank-" + std::to_string(k) + ".cooccur";
    CHECK(c.shares[k].cooccur == kept);
    CHECK(c.shares[k].first == 0);
    CHECK(c.shares[k].records == CooccurReader(kept).records());
    CHECK(c.shares[k].records > 0);
  }
  CHECK(c.run.cooccur_owned);
  CHECK(testutil::listDir(tmp.path()).empty());

  // As many ranks as wrote it, and nothing else: one line, no output.
  const std::string resume = " train --resume " + q(ckpt) + " --output " + q(out.file("v.txt"));
  testutil::checkFailure(testutil::run(q(testutil::kBin) + resume, d.path()), out.path(), "resumed without mpirun",
                         "was written by 2 MPI ranks: resume it with mpirun -np 2 (this run has 1 process)");
  testutil::checkFailure(testutil::run(testutil::mpirun(1) + q(testutil::kBin) + resume, d.path()), out.path(),
                         "resumed with -np 1", "resume it with mpirun -np 2 (this run has 1 process)");
  testutil::checkFailure(testutil::run(testutil::mpirun(3) + q(testutil::kBin) + resume, d.path()), out.path(),
                         "resumed with -np 3", "resume it with mpirun -np 2 (this run has 3 MPI ranks)");
  // Rank 1's counts missing: rank 0 says so in one line, every rank stops.
  const std::string kept1 = ckpt + ".rank-1.cooccur";
  REQUIRE(std::rename(kept1.c_str(), d.file("away").c_str()) == 0);
  testutil::checkFailure(testutil::run(testutil::mpirun(2) + q(testutil::kBin) + resume, d.path()), out.path(),
                         "rank 1's counts gone", "rank 1: the co-occurrence counts");
  REQUIRE(std::rename(d.file("away").c_str(), kept1.c_str()) == 0);
  // A damaged checkpoint: one line naming it.
  const std::string good = testutil::readFile(ckpt);
  std::string bad = good;
  bad[bad.size() / 2] ^= 1;
  testutil::writeFile(d.file("bad.ckpt"), bad);
  testutil::checkFailure(testutil::run(testutil::mpirun(2) + q(testutil::kBin) + " train --resume " +
                                           q(d.file("bad.ckpt")) + " --output " + q(out.file("v.txt")),
                                       d.path()),
                         out.path(), "a damaged checkpoint", "checksum mismatch");

  const auto resumed = testutil::run(testutil::mpirun(2) + q(testutil::kBin) + resume, d.path());
  INFO("resumed: " << resumed.err);
  REQUIRE(resumed.status == 0);
  CHECK(count(resumed.err, "train: wrote ") == 1);
  CHECK(count(resumed.err, "(resumed)") + count(resumed.err, "resuming glove") >= 1);
  CHECK(testutil::listDir(out.path()) == std::vector<std::string>{"v.txt"});
  for (int k = 0; k < 2; ++k)  // the run is over: every rank's kept counts are removed
    CHECK(access((ckpt + ".rank-" + std::to_string(k) + ".cooccur").c_str(), F_OK) != 0);
  CHECK_FALSE(testutil::hasTmpFile(d.path()));

  // The uninterrupted 2-rank run (no checkpoint): the same costs and vectors, bit for bit.
  const auto full = testutil::run(testutil::mpirun(2) + q(testutil::kBin) + common + " --output " + q(d.file("full.txt")),
                                  d.path());
  INFO("uninterrupted: " << full.err);
  REQUIRE(full.status == 0);
  CHECK(lastEpoch(resumed.err, 60).find("cost 0.") != std::string::npos);
  CHECK(lastEpoch(resumed.err, 60) == lastEpoch(full.err, 60));
  CHECK(testutil::readFile(out.file("v.txt")) == testutil::readFile(d.file("full.txt")));
}

TEST_CASE("mpi glove: combined every 0.5 s, a killed 2-rank run resumes to the uninterrupted run's quality") {
  if (!mpiReady()) return;
  testutil::TempDir d, out;
  testutil::writeFile(d.file("topics.txt"), testutil::topicsText(4000, 20));
  // The default --sync-every 0.5s: when the ranks combine depends on the
  // clock, so no two 2-rank runs give the same floats; the resumed vectors
  // are held to the bound the uninterrupted 2-rank test meets (38 of 40 words
  // with topical neighbours).
  const std::string ckpt = d.file("c.ckpt");
  const std::string args = std::string(kGlove) + "--threads 1 --checkpoint " + q(ckpt) +
                           " --checkpoint-every 0.001 --output " + q(out.file("v.txt")) + " --input " +
                           q(d.file("topics.txt"));
  const auto r = testutil::killRank1When(args, "grep -q 'epoch 3/' job.err 2>/dev/null", d.path());
  INFO("killed: " << r.err);
  CHECK(r.status != 0);
  CHECK(testutil::listDir(out.path()).empty());
  const GloveCheckpoint c = loadGloveCheckpoint(ckpt);
  CHECK(c.ranks == 2);
  CHECK(c.epochs_done < 15);
  CHECK(c.args.sync_seconds == 0.5);
  const auto resumed = testutil::run(testutil::mpirun(2) + q(testutil::kBin) + " train --resume " + q(ckpt), d.path());
  INFO("resumed: " << resumed.err);
  REQUIRE(resumed.status == 0);
  CHECK(count(resumed.err, "epoch 15/15") == 1);
  std::string bad;
  CHECK(testutil::topicalWords(loadVectors(out.file("v.txt")), &bad) >= 38);
  INFO("off-topic neighbours: " << bad);
}
