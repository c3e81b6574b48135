#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "wembed/word2vec/args.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/corpus/input_split.h"
#include "wembed/word2vec/huffman.h"
#include "wembed/core/checkpoint_settings.h"
#include "wembed/core/matrix.h"
#include "wembed/core/progress.h"
#include "wembed/word2vec/sampling.h"
#include "wembed/vectors/subwords.h"

namespace wembed {

class SigmoidTable;
class IdCache;
class RankSync;
class TokenRewriting;

struct Word2VecStats {
  int64_t words_per_epoch = 0;              // in-vocabulary tokens per epoch the learning rate decays over
  std::vector<int64_t> words_in_epoch;      // in-vocabulary tokens read in each epoch
  int64_t words_read = 0;                   // in-vocabulary tokens read by this call (not before a resume)
  double seconds = 0;                       // this call's training time
  double final_loss = 0;
  bool interrupted = false;                 // ended early after a checkpoint (a test hook)
  bool id_cache = false;                    // the later epochs replayed the first one's word ids
  // A distributed run (mpirun -np N): the words above are every rank's; the
  // matrices were averaged `syncs` times, `sync_bytes` of them in all (each
  // rank's share of the sums), taking `sync_seconds` of this rank's time.
  int ranks = 1;
  int syncs = 0;
  int64_t sync_bytes = 0;
  double sync_seconds = 0;
};

// Skip-gram / CBOW trainer with negative sampling or hierarchical softmax,
// Hogwild over OpenMP threads. Each thread reads its own byte range of the
// corpus in every epoch; the learning rate decays linearly over all epochs,
// with the global number of words processed or with each thread's own
// (TrainArgs::lr_schedule). In a distributed run (distributed::active())
// each rank's threads take their ranges of a ranks x threads cut, the ranks'
// matrices are averaged as they train (RankSync, word2vec/rank_sync.h) and
// the global word count is every rank's.
class Word2VecTrainer {
 public:
  Word2VecTrainer(const TrainArgs& args, const Dictionary& dict);
  // files must be plain, seekable files (stdin/.gz are spooled by the caller).
  Word2VecStats train(const std::vector<std::string>& files);

  // The input matrix: the V word rows, then (with subwords) the bucket
  // n-gram rows, as fastText's. The output layer: V rows (ns) or V - 1 (hs).
  const Matrix& input() const { return in_; }
  const Matrix& output() const { return out_; }
  Matrix& input() { return in_; }
  Matrix& output() { return out_; }
  // --freeze-old: the input rows of words [0, n) are not updated (the output
  // layer is). Not with subwords.
  void freezeWords(int32_t n);
  // The in-vocabulary tokens one epoch of the training text holds: the
  // learning rate decays to its minimum (and the progress runs to 100%) over
  // epochs times this. 0 (the default): the vocabulary's total count, which
  // is right when the vocabulary was counted over the training text. A
  // continued run (--init) gives the new text's own share: its vocabulary's
  // counts include the old text's. A checkpoint keeps it.
  void setWordsPerEpoch(int64_t n) { words_per_epoch_ = n; }
  // --phrases: the inputs are read rewritten by this (not owned; null: as
  // they are), split between the threads at line starts. It must be the
  // rewriting the vocabulary was counted with.
  void setRewriting(const TokenRewriting* r) { rewriting_ = r; }
  // With subwords: the rows of each vocabulary word in input().
  const SubwordTable& subwordTable() const { return table_; }

  // Called from the reporting thread about once a second, and once at the end.
  std::function<void(const Progress&)> on_progress;

  // Checkpoints: when checkpointing.path is set, the full training state is
  // written there every checkpointing.every_seconds, at sentence boundaries,
  // with all threads paused.
  CheckpointSettings checkpointing;
  // Where the first epoch's word ids are kept for the later epochs (a
  // temporary file per thread, 4 bytes a word); empty: every epoch tokenizes
  // the corpus again. Not used with checkpoints, when resuming, for one
  // epoch, or when the directory lacks the room.
  std::string id_cache_dir;
  // Continue the run saved in c (same settings, vocabulary and files): the
  // matrices and every thread's position and random state are taken from it.
  void restore(Word2VecCheckpoint&& c);
  // Throws Error if the restored checkpoint does not fit these input files
  // (other files, changed sizes or contents, positions outside them); train()
  // checks this first too (the files are hashed only once).
  void checkResume(const std::vector<std::string>& files) const;

 private:
  struct ThreadState;
  struct Shared;  // per-run state all threads see (progress, errors, epoch counts, checkpoints)
  Word2VecCheckpoint checkpointOf(const Shared& sh) const;  // this rank's state; the matrices stay here
  void writeCheckpoint(const Word2VecCheckpoint& c);
  bool distributedCheckpoint(Shared& sh, RankSync& sync);
  void checkpointPoint(Shared& sh, int tid, const Word2VecThreadPosition& here, bool finished);
  const int32_t* drawNegatives(ThreadState& ts, int between = 1);
  static constexpr int64_t kHotWords = 64;       // words whose output rows each thread keeps a copy of
  static constexpr int64_t kHotNodes = 31;       // Huffman nodes (the top five levels)
  static constexpr int64_t kHotFoldWords = 256;  // words trained between folds of the copies
  static constexpr int kHotFoldPositions = 32;    // CBOW-HS: positions between folds inside a sentence
  void initHot(ThreadState& ts) const;
  void foldHot(ThreadState& ts);
  int64_t frequentWords() const;
  template <bool kHs>
  void prefetchTargets(int32_t target) const;
  template <bool kHs>
  int collectTargets(ThreadState& ts, int32_t target);
  template <bool kHs>
  void trainExample(ThreadState& ts, const SigmoidTable& sig, int D, const float* h, float* neu1e, int32_t target,
                    float lr, double& loss, int64_t& loss_n);
  template <bool kHs>
  void updateBatch(ThreadState& ts, int C, int32_t centre, float lr, double& loss, int64_t& loss_n);
  void cbowBatch(ThreadState& ts, int nb, float lr, double& loss, int64_t& loss_n);
  void trainCbowBlocks(ThreadState& ts, const int32_t* sent, int n, float lr);
  void trainCbowLanes(ThreadState& ts, const int32_t* words, const int* ends, int nl, int* pos, const int* end,
                      float lr);
  void trainCbowGroup(ThreadState& ts, float lr);
  // CBOW --update batch gathers sentences shorter than cbowLongSentence()
  // words into groups of cbowGroupWords() words (0: it does not).
  int cbowLongSentence() const;
  int cbowGroupWords() const;
  void reportProgress(Shared& sh, double lr_done);
  void runThreads(const std::vector<std::vector<Segment>>& parts, Shared& sh, RankSync* sync);
  void gatherStats(Shared& sh, RankSync* sync, Word2VecStats& stats);
  template <bool kCbow, bool kHs>
  void trainSentence(ThreadState& ts, const int32_t* sent, int n, float lr);
  // With subwords (subword_training.cc): the centre word's (skip-gram) or
  // the context's (CBOW) input vector is the mean of its words' rows.
  template <bool kHs>
  void trainSkipGramSubwords(ThreadState& ts, const int32_t* sent, int n, float lr);
  template <bool kHs>
  void trainCbowDeferred(ThreadState& ts, const int32_t* sent, int n, float lr);
  void updateBatchSubwords(ThreadState& ts, int C, const float* h, float* neu1e, float lr, double& loss,
                           int64_t& loss_n);
  struct ThreadRun;  // one thread's place and counters
  void flushRun(ThreadRun& r);
  Word2VecThreadPosition positionOf(const ThreadRun& r, int epoch, int segment, uint64_t offset) const;
  template <bool kCbow, bool kHs, class Next, class Offset>
  bool trainPass(ThreadRun& r, Next&& next, int epoch, int segment, bool last, Offset&& offset);
  std::unique_ptr<IdCache> openIdCache() const;
  template <bool kCbow, bool kHs>
  void runThread(int tid, const std::vector<Segment>& segs, Shared& sh);

  TrainArgs args_;
  const Dictionary& dict_;
  Matrix in_, out_;
  SubwordTable table_;  // empty without subwords
  HuffmanTree tree_;
  NegativeTable neg_;
  Subsampler sub_;
  std::atomic<int64_t> words_done_{0};
  int64_t words_per_epoch_ = 0;  // setWordsPerEpoch (0: dict_.totalCount())
  std::atomic<int64_t> others_words_{0};  // the other ranks' words_done_ at the last synchronisation
  int64_t total_words_ = 0;  // epochs * words per epoch
  int64_t words_done_start_ = 0;  // words_done_ when this run (or resumption) began
  std::unique_ptr<Word2VecCheckpoint> resume_;
  mutable bool resume_inputs_checked_ = false;  // checkResume found resume_'s inputs unchanged
  float alpha0_ = 0.025f;
  int threads_ = 1;
  bool use_id_cache_ = false;
  int32_t frozen_ = 0;  // input rows [0, frozen_) are not updated
  const TokenRewriting* rewriting_ = nullptr;
  std::vector<std::vector<Segment>> partition(const std::vector<std::string>& files) const;
};

}  // namespace wembed
