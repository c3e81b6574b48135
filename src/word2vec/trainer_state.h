#pragma once
// Private to the word2vec trainer (trainer.cc, subword_training.cc): the
// per-thread state and the kernels both files inline.
#include <algorithm>
#include <vector>

#include "wembed/core/block_kernels.h"
#include "wembed/core/kernels.h"
#include "wembed/core/matrix.h"
#include "wembed/core/random.h"
#include "wembed/word2vec/trainer.h"

namespace wembed {

// Rows [lo, hi) of a matrix that every thread writes at almost every
// example (the most frequent words' rows, the Huffman nodes near the root):
// with several threads, Hogwild writes to the same rows make their cache
// lines travel between cores at every update, which cost more than the
// arithmetic (CBOW-HS ran slower on 2 threads than on 1). Each thread keeps
// its own copy and folds its change into the shared rows every few hundred
// words, CBOW-HS every 32 positions (shared += copy - base; then
// copy = base = shared).
class HotRows {
 public:
  void init(const Matrix& m, int64_t lo, int64_t hi) {
    lo_ = std::max<int64_t>(0, lo);
    hi_ = std::max(lo_, std::min(hi, m.rows()));
    D_ = m.stride();
    const size_t n = static_cast<size_t>(hi_ - lo_) * static_cast<size_t>(D_);
    rows_ = AlignedBuffer(n);
    base_ = AlignedBuffer(n);
    if (n == 0) return;
    std::copy(m.row(lo_), m.row(lo_) + n, rows_.data());
    std::copy(rows_.data(), rows_.data() + n, base_.data());
  }
  bool active() const { return hi_ > lo_; }
  float* row(Matrix& m, int64_t i) { return i >= lo_ && i < hi_ ? rows_.data() + (i - lo_) * D_ : m.row(i); }
  void fold(Matrix& m) {
    const int64_t n = (hi_ - lo_) * D_;
    float* sh = n > 0 ? m.row(lo_) : nullptr;
    float* __restrict c = rows_.data();
    float* __restrict b = base_.data();
    for (int64_t i = 0; i < n; ++i) {
      const float now = sh[i] + (c[i] - b[i]);
      sh[i] = now;
      c[i] = now;
      b[i] = now;
    }
  }

 private:
  int64_t lo_ = 0, hi_ = 0;
  int D_ = 0;
  AlignedBuffer rows_, base_;
};

// --freeze-old: the rows before frozen_end are not updated; their share of a
// block update goes to scratch (a row no one reads) instead.
inline void redirectFrozen(float** X, int n, const float* frozen_end, float* scratch) {
  for (int c = 0; c < n; ++c)
    if (X[c] < frozen_end) X[c] = scratch;
}

struct Word2VecTrainer::ThreadState {
  static constexpr size_t kCbowBatchMax = 8;  // CBOW --update batch: positions a block (TrainArgs::cbow_block)
  // max_path: the longest Huffman path (0 without hierarchical softmax).
  ThreadState(int dim, int negative, int window, int max_path, uint64_t seed)
      : rng(seed),
        negs(2 * static_cast<size_t>(negative) + 2),
        neu1(dim),
        neu1e(dim),
        sink(dim),
        ctx(2 * static_cast<size_t>(window)),
        targets(std::max(2 * static_cast<size_t>(window), kCbowBatchMax) +
                static_cast<size_t>(std::max(negative, max_path)) + 1),
        xrows(ctx.size()),
        yrows(targets.size()),
        labels(targets.size()),
        grad(ctx.size() * targets.size()),
        ctx_grad(std::max(ctx.size(), kCbowBatchMax) * dim),
        ring(2 * (2 * static_cast<size_t>(window) + 2) * dim),
        cbow_h(kCbowBatchMax * static_cast<size_t>(dim)),
        cbow_x(kCbowBatchMax * 2 * static_cast<size_t>(window)),
        cbow_n(kCbowBatchMax),
        cbow_t(kCbowBatchMax),
        cbow_g(kCbowBatchMax * (kCbowBatchMax + static_cast<size_t>(negative))) {
    neg_cur = negs.data();
    neg_next = negs.data() + negative + 1;
  }
  Rng rng;
  std::vector<int32_t> negs;
  int32_t* neg_cur;   // negatives for the current example
  int32_t* neg_next;  // already drawn (and prefetched) for the next one
  AlignedBuffer neu1, neu1e;
  AlignedBuffer sink;  // --freeze-old: where the frozen rows' updates go
  // HogBatch scratch: context rows of one centre word, its targets (centre +
  // shared negatives), the context x target gradient scales, and the
  // gradients of the context rows.
  std::vector<int32_t> ctx, targets;
  std::vector<float*> xrows;  // the rows of ctx
  std::vector<float*> yrows;        // the rows of targets
  std::vector<float> labels;  // of targets
  std::vector<float> grad;
  AlignedBuffer ctx_grad;
  // CBOW with subwords: for the 2W + 2 sentence positions around the centre,
  // each word's composed vector and its gradient summed until it leaves the window.
  AlignedBuffer ring;
  std::vector<int32_t> sent;
  // CBOW --update batch: up to kCbowBatchMax positions trained together
  // against one set of negatives: their hidden vectors, context rows (2W a
  // position), context sizes, targets, and the scores / gradient scales.
  AlignedBuffer cbow_h;
  std::vector<float*> cbow_x;
  std::vector<int> cbow_n;
  std::vector<int32_t> cbow_t;
  std::vector<float> cbow_g;
  // CBOW --update batch, short sentences: those read so far (in sent, each
  // ending at group_ends), then laid out lane after lane in lane_words with
  // their ends in lane_ends (trainCbowGroup).
  std::vector<int> group_ends, lane_ends, lens, order, lane_of;
  std::vector<int32_t> lane_words;
  size_t held = 0;  // words of sent in the group (trainPass)
  HotRows hot_out;  // this thread's copies of the hottest output rows (several threads)
  int64_t since_fold = 0;   // words trained since they were last folded in
  double loss = 0;
  int64_t loss_n = 0;
};

// Draws the next example's negatives now and prefetches their rows, so
// their cache misses overlap with this example's arithmetic; returns the
// current example's (drawn one example earlier). The negatives of the
// example after next are then foreseen (the random numbers they will take,
// after the `between` draws the training loop makes in between, such as the
// reduced windows) and their cells of the alias table prefetched: the draw
// itself then finds them in cache. A wrong guess costs a useless prefetch,
// never a different result.
inline const int32_t* Word2VecTrainer::drawNegatives(ThreadState& ts, int between) {
  const int D = out_.stride();
  const int K = args_.negative;
  int32_t* cur = ts.neg_cur;
  for (int k = 0; k < K; ++k) {
    const int32_t t = neg_.sample(ts.rng);
    ts.neg_next[k] = t;
    prefetchRow(out_.row(t), D);
  }
  Rng ahead = ts.rng;
  for (int i = 0; i < between; ++i) ahead.next();
  for (int k = 0; k < K; ++k) neg_.prefetchCell(ahead.next());
  std::swap(ts.neg_cur, ts.neg_next);
  return cur;
}

// Prefetches the output rows of a coming example's target: its row (ns;
// the negatives are drawn and prefetched one example ahead) or the nodes of
// its Huffman path below the top levels, which every path shares and which
// stay cached (hs).
template <bool kHs>
inline void Word2VecTrainer::prefetchTargets(int32_t target) const {
  const int D = out_.stride();
  if constexpr (kHs) {
    constexpr int kHotLevels = 4;
    const int len = tree_.length(target);
    const int32_t* pts = tree_.points(target);
    for (int j = kHotLevels; j < len; ++j) prefetchRow(out_.row(pts[j]), D);
  } else {
    prefetchRow(out_.row(target), D);
  }
}

// Gradient scales of one score f for a label (1 = the target, 0 = a
// negative or a 0 code): saturated scores get no update (as gensim and
// word2vec); with negative sampling they still count in the loss.
template <bool kHs>
inline float exampleGrad(const SigmoidTable& sig, float f, float label, float lr, double& loss, int64_t& loss_n) {
  constexpr float kMax = SigmoidTable::kMaxExp;
  if (f >= kMax || f <= -kMax) {
    if constexpr (!kHs) {
      ++loss_n;
      loss += f >= kMax ? (label > 0 ? 0.0 : f) : (label > 0 ? -f : 0.0);
    }
    return 0.f;
  }
  ++loss_n;
  loss -= sig.logSigmoid(label > 0 ? f : -f);
  return (label - sig.sigmoid(f)) * lr;
}

// Collects the targets of one example into ts.targets / ts.yrows with their
// labels in ts.labels: the word's Huffman path (hs), or the word and the
// negatives drawn for it (ns; a negative equal to the word is dropped).
// Returns their number.
template <bool kHs>
inline int Word2VecTrainer::collectTargets(ThreadState& ts, int32_t target) {
  int32_t* tg = ts.targets.data();
  float* lab = ts.labels.data();
  int T = 0;
  if constexpr (kHs) {
    const int len = tree_.length(target);
    const int32_t* pts = tree_.points(target);
    const uint8_t* codes = tree_.codes(target);
    for (int j = 0; j < len; ++j) {
      tg[T] = pts[j];
      lab[T++] = 1.0f - codes[j];
    }
  } else {
    const int K = args_.negative;
    const int32_t* cur = drawNegatives(ts);
    tg[T] = target;
    lab[T++] = 1.f;
    for (int k = 0; k < K; ++k)
      if (cur[k] != target) {
        tg[T] = cur[k];
        lab[T++] = 0.f;
      }
  }
  for (int j = 0; j < T; ++j) ts.yrows[j] = ts.hot_out.row(out_, tg[j]);
  return T;
}

// Updates the output layer for one (hidden vector h, target word) example
// and adds the gradient for h to neu1e (all targets scored with the rows
// before the update, as one small block: h against the T target rows).
// sig is sigmoidTable() and D the padded row width.
template <bool kHs>
inline void Word2VecTrainer::trainExample(ThreadState& ts, const SigmoidTable& sig, int D, const float* __restrict h,
                                          float* __restrict neu1e, int32_t target, float lr, double& loss,
                                          int64_t& loss_n) {
  const int T = collectTargets<kHs>(ts, target);
  float* __restrict G = ts.grad.data();
  const float* hp[1] = {h};
  block::blockDots(hp, 1, ts.yrows.data(), T, D, G);
  for (int j = 0; j < T; ++j) G[j] = exampleGrad<kHs>(sig, G[j], ts.labels[j], lr, loss, loss_n);
  block::blockCombine(G, 1, ts.yrows.data(), T, D, neu1e, true);
  block::blockAddTransposed(G, 1, hp, ts.yrows.data(), T, D);
}

}  // namespace wembed
