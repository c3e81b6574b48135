// The word2vec trainer's checkpoints: taking them while the threads run
// (parked at sentence boundaries), in one process or over the ranks of a
// distributed run, and checking a checkpoint against the run resuming it.
#include <algorithm>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

#include "wembed/core/error.h"
#include "wembed/distributed/comm.h"
#include "core/testing_hooks.h"
#include "distributed/rank_sync.h"
#include "word2vec/trainer_shared.h"
#include "distributed/message.h"

namespace wembed {

namespace {
// A distributed checkpoint's per-rank part, as bytes for allgather: the
// rank's words read (total and per epoch) and its threads' positions.
using distributed::put;
using distributed::take;
}  // namespace

// Every rank's threads' byte ranges, ranks x threads of them in rank order.
std::vector<std::vector<Segment>> Word2VecTrainer::partition(const std::vector<std::string>& files) const {
  return partitionInputs(files, threads_ * distributed::size(), rewriting_ ? SplitAt::kLineStart : SplitAt::kAnyByte);
}

void Word2VecTrainer::checkResume(const std::vector<std::string>& files) const {
  if (!resume_) return;
  const int ranks = distributed::size();
  if (resume_->ranks != ranks) {
    const std::string by = std::to_string(resume_->ranks) + (resume_->ranks == 1 ? " process" : " MPI ranks");
    throw Error("checkpoint was written by " + by + ": resume it " +
                (resume_->ranks == 1 ? std::string("without mpirun") : "with mpirun -np " + std::to_string(resume_->ranks)) +
                " (this run has " + std::to_string(ranks) + ")");
  }
  if (static_cast<int>(resume_->threads.size()) != threads_ * ranks ||
      static_cast<int>(resume_->epoch_words.size()) != args_.epochs)
    throw Error("checkpoint was written for different settings (threads or epochs)");
  if (resume_->files != files || resume_->inputs.size() != files.size())
    throw Error("checkpoint was written for other input files");
  // Read whole once: train() checks again what its caller may have checked.
  if (!resume_inputs_checked_) {
    for (size_t i = 0; i < files.size(); ++i) checkUnchanged(files[i], resume_->inputs[i]);
    resume_inputs_checked_ = true;
  }
  const auto parts = partition(files);
  for (int t = 0; t < threads_ * ranks; ++t) {
    const Word2VecThreadPosition& p = resume_->threads[t];
    const bool finished = p.epoch >= args_.epochs;
    const bool inside = p.epoch >= 0 && p.segment >= 0 && p.segment < static_cast<int>(parts[t].size()) &&
                        p.offset >= parts[t][p.segment].begin && p.offset <= parts[t][p.segment].end;
    if (!finished && !inside) throw Error("checkpoint holds a corpus position outside the input");
  }
}

void Word2VecTrainer::restore(Word2VecCheckpoint&& c) {
  if (c.in.rows() != in_.rows() || c.in.cols() != in_.cols() || c.out.rows() != out_.rows() ||
      c.out.cols() != out_.cols())
    throw Error("checkpoint does not match the vocabulary or settings");
  in_ = std::move(c.in);
  out_ = std::move(c.out);
  words_per_epoch_ = c.words_per_epoch;
  resume_ = std::make_unique<Word2VecCheckpoint>(std::move(c));
  resume_inputs_checked_ = false;
}

Word2VecCheckpoint Word2VecTrainer::checkpointOf(const Shared& sh) const {
  Word2VecCheckpoint c;
  c.args = args_;
  c.args.alpha = alpha0_;
  c.args.threads = threads_;
  c.args.update = args_.effectiveUpdate();
  c.files = sh.files;
  c.inputs = sh.inputs;
  c.vocab = dict_.entries();
  c.words_done = words_done_.load();
  c.words_per_epoch = total_words_ / args_.epochs;
  for (auto& w : sh.epoch_words) c.epoch_words.push_back(w.load());
  c.threads = sh.positions;
  c.seconds = sh.seconds_before + sh.clock.seconds();
  return c;
}

void Word2VecTrainer::writeCheckpoint(const Word2VecCheckpoint& c) {
  saveWord2VecCheckpoint(checkpointing.path, c, in_, out_);
  if (checkpointing.on_written) checkpointing.on_written(checkpointing.path);
}

// Called by thread tid at a sentence boundary (or when it finishes, with
// finished = true). Blocks while a checkpoint is being taken.
void Word2VecTrainer::checkpointPoint(Shared& sh, int tid, const Word2VecThreadPosition& here, bool finished) {
  std::unique_lock<std::mutex> lock(sh.ck_mu);
  sh.positions[tid] = here;
  if (sh.ranked) {  // the communication thread takes it (distributedCheckpoint)
    if (finished) --sh.ck_active;
    else ++sh.ck_arrived;
    sh.ck_cv.notify_all();
    if (finished) return;
    const uint64_t gen = sh.ck_generation;
    sh.ck_cv.wait(lock, [&] { return sh.ck_generation != gen || sh.abort.load(); });
    return;
  }
  if (finished) {
    --sh.ck_active;
  } else {
    if (!sh.ck_requested.load(std::memory_order_relaxed)) sh.ck_requested = true;
    ++sh.ck_arrived;
  }
  if (!sh.ck_requested.load(std::memory_order_relaxed)) return;
  if (sh.ck_arrived == sh.ck_active) {
    // Everyone still running is parked: the state is consistent.
    std::exception_ptr err;
    if (sh.ck_active > 0 && !sh.abort.load()) {
      try {
        writeCheckpoint(checkpointOf(sh));
      } catch (...) {
        err = std::current_exception();
      }
      if (!err && testing::checkpointEndsRun()) {
        sh.stopped = true;
        sh.abort = true;
      }
    }
    sh.ck_last = sh.clock.seconds();
    sh.ck_arrived = 0;
    sh.ck_requested = false;
    ++sh.ck_generation;
    sh.ck_cv.notify_all();
    if (err) std::rethrow_exception(err);
    return;
  }
  if (finished) return;
  const uint64_t gen = sh.ck_generation;
  sh.ck_cv.wait(lock, [&] { return sh.ck_generation != gen || sh.abort.load(); });
}

// A distributed run's checkpoint, on every rank's communication thread at a
// synchronisation the ranks agreed on: this rank's training threads park
// (with their positions), the ranks combine every row (the matrices are then
// the same on every rank), rank 0 gathers every rank's positions and counts
// and writes one file, and the threads go on. True if a rank failed (every
// rank then stops, with rank 0's error).
bool Word2VecTrainer::distributedCheckpoint(Shared& sh, RankSync& sync) {
  std::unique_lock<std::mutex> lock(sh.ck_mu);
  sh.ck_requested = true;
  sh.ck_cv.wait(lock, [&] { return sh.ck_arrived == sh.ck_active || sh.abort.load(); });
  int64_t failed = sh.abort.load() ? 1 : 0;
  distributed::allreduceSum(&failed, 1);
  if (failed == 0) {
    sync.averageAll();
    Word2VecCheckpoint c = checkpointOf(sh);
    std::string mine;
    put<int64_t>(mine, c.words_done);
    for (int64_t n : c.epoch_words) put<int64_t>(mine, n);
    for (const auto& t : c.threads) {
      put(mine, t.epoch);
      put(mine, t.segment);
      put(mine, t.offset);
      put(mine, t.rng);
      put(mine, t.epoch_words);
      put<uint32_t>(mine, static_cast<uint32_t>(t.negs.size()));
      for (int32_t n : t.negs) put(mine, n);
    }
    try {
      const std::vector<std::string> all = distributed::allgather(mine);
      distributed::together([&] {
        if (!distributed::reporting()) return;
        c.ranks = distributed::size();
        c.words_done = 0;
        std::fill(c.epoch_words.begin(), c.epoch_words.end(), 0);
        c.threads.clear();
        for (const std::string& part : all) {
          size_t at = 0;
          c.words_done += take<int64_t>(part, at);
          for (int64_t& n : c.epoch_words) n += take<int64_t>(part, at);
          for (int t = 0; t < threads_; ++t) {
            Word2VecThreadPosition p;
            p.epoch = take<int32_t>(part, at);
            p.segment = take<int32_t>(part, at);
            p.offset = take<uint64_t>(part, at);
            p.rng = take<uint64_t>(part, at);
            p.epoch_words = take<int64_t>(part, at);
            p.negs.resize(take<uint32_t>(part, at));
            for (int32_t& n : p.negs) n = take<int32_t>(part, at);
            c.threads.push_back(std::move(p));
          }
        }
        writeCheckpoint(c);
      });
      if (testing::checkpointEndsRun()) {
        sh.stopped = true;
        sh.abort = true;
      }
    } catch (...) {
      std::lock_guard<std::mutex> elock(sh.error_mu);
      if (!sh.error) sh.error = std::current_exception();
      sh.abort = true;
      failed = 1;
    }
  }
  sh.ck_arrived = 0;
  sh.ck_requested = false;
  ++sh.ck_generation;
  sh.ck_cv.notify_all();
  return failed > 0;
}

}  // namespace wembed
