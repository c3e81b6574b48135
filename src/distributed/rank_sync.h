#pragma once
// Distributed training (mpirun -np N): the communication thread of one rank,
// as in Intel's pWord2Vec MPI version (Ji et al., "Parallelizing Word2Vec in
// Shared and Distributed Memory"). Each rank trains Hogwild on its threads
// over its share of the corpus; this thread averages the input and output
// matrices with the other ranks (MPI_Allreduce, sum then scale by 1/N): the
// frequent words' rows (the vocabulary is sorted by count; with hierarchical
// softmax the inner nodes near the root, the last ones) at every
// synchronisation, every row at every kFullEvery-th. By default the ranks'
// changes since the last synchronisation are summed (base += sum of
// (row - base) over the ranks, as if all ranks' threads had trained one model
// Hogwild: the learning rate keeps its meaning); with TrainArgs::sync_mean
// the rows are averaged (pWord2Vec's MPI_Allreduce then 1/N), which divides
// every rank's progress by N. A value no rank changed stays as it was (even
// an infinity: GloVe's rows hold constant +inf AdaGrad sums). The training threads go on meanwhile: what
// they add to a row while it is being combined is kept (row += new - snapshot).
//
// Every synchronisation starts with the ranks' states summed (training
// done, failed, words read), so that collectives match on every rank even
// when ranks end at different times: a rank that is done keeps taking part
// until every rank is, then all take one last full average. A failure on
// any rank raises `abort` on all.
//
// Checkpoints: when rank 0 finds one due (every checkpoint_every seconds),
// the ranks learn it from that sum and all call take_checkpoint() at the
// same synchronisation, which combines every row itself (averageAll).
#include <atomic>
#include <exception>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "wembed/core/matrix.h"
#include "wembed/core/progress.h"

namespace wembed {

// When and how the ranks combine their rows (word2vec's TrainArgs::sync_*).
struct SyncSettings {
  double seconds = 0.5;  // every this many seconds
  int64_t words = 0;     // > 0: every this many words (or records) a rank trains instead
  bool mean = false;     // average the rows instead of summing the changes
  // Summing: the rows of the mean_rows most frequent words (input rows, and
  // output rows; with hierarchical softmax the as many Huffman nodes nearest
  // the root) have their changes averaged instead. Each rank updates such a
  // row thousands of times between two synchronisations, each time against
  // its own copy, so every rank's change already takes the row most of the
  // way to where the data pull it; summing N of them overshoots (with 2 ranks
  // it mirrors the row about that point), which cost skip-gram with
  // hierarchical softmax 5 analogy points. Rarer rows change a little on each
  // rank, and those changes add up.
  int64_t mean_rows = 0;
};

struct SyncFigures {
  int syncs = 0;          // synchronisations, the final one included
  int64_t bytes = 0;      // bytes of the matrices averaged, summed over the synchronisations
  double seconds = 0;     // time spent averaging (waiting for the other ranks included)
};

class RankSync {
 public:
  static constexpr int kHotShare = 8;   // the first 1/kHotShare of the words are averaged every time
  static constexpr int kFullEvery = 2;  // every row every kFullEvery-th time

  // words: this rank's words read so far; others: set to the other ranks'
  // (for the learning rate and the progress); abort: raised when any rank fails.
  RankSync(Matrix& in, Matrix& out, int32_t vocab, bool hs, const SyncSettings& a, const std::atomic<int64_t>& words,
           std::atomic<int64_t>& others, std::atomic<bool>& abort, int threads, double checkpoint_every = 0,
           std::function<bool(RankSync&)> take_checkpoint = nullptr);
  ~RankSync();
  void threadDone();  // each training thread, once, when it stops (also on failure)
  void failed();      // a training thread failed: every rank stops
  // Waits for the communication thread: after the final average when every
  // rank ended well. True if a rank failed (then the matrices are not
  // averaged); throws what stopped the communication thread, if anything did
  // (distributed::RankFailed: another rank stopped on an error of its own).
  bool finish();
  const SyncFigures& figures() const { return fig_; }
  // Every row of both matrices combined over the ranks (on the communication
  // thread, as every rank's take_checkpoint does), while no training thread
  // writes to them (all ended or parked): every rank then holds the very same
  // rows, bit for bit.
  void averageAll();

 private:
  void loop();
  void waitDue(double next_due, int64_t next_words);
  void averageStep(int step);
  void averageRows(Matrix& m, Matrix& base, int64_t lo, int64_t hi, int64_t mean_lo, int64_t mean_hi, bool settled);
  void averageMatrices(int64_t in_hi, int64_t out_rows, bool settled);

  Matrix& in_;
  Matrix& out_;
  Matrix in_base_, out_base_;  // the rows as of their last synchronisation (sum mode)
  bool mean_;
  int64_t mean_rows_;
  int32_t vocab_;
  bool hs_;
  double every_seconds_;
  int64_t every_words_;
  double checkpoint_every_;
  std::function<bool(RankSync&)> take_checkpoint_;  // true if a rank failed
  const std::atomic<int64_t>& words_;
  std::atomic<int64_t>& others_;
  std::atomic<bool>& abort_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_;         // training threads still running here
  bool failed_ = false;  // one of them failed
  bool any_failed_ = false;
  std::exception_ptr error_;  // what ended the communication thread, if anything
  std::vector<float> buf_, snap_;
  Stopwatch clock_;
  SyncFigures fig_;
  std::thread thread_;
};

}  // namespace wembed
