#pragma once
// Private to the word2vec trainer (trainer.cc, subword_training.cc): the
// per-thread state and the kernels both files inline.
#include <algorithm>
#include <vector>

#include "wembed/core/kernels.h"
#include "wembed/core/matrix.h"
#include "wembed/core/random.h"
#include "wembed/word2vec/trainer.h"

namespace wembed {

struct Word2VecTrainer::ThreadState {
  ThreadState(int dim, int negative, int window, uint64_t seed)
      : rng(seed),
        negs(2 * static_cast<size_t>(negative) + 2),
        neu1(dim),
        neu1e(dim),
        ctx(2 * static_cast<size_t>(window)),
        targets(2 * static_cast<size_t>(window) + static_cast<size_t>(negative) + 1),
        grad(ctx.size() * (negative + 1)),
        ctx_grad(ctx.size() * dim),
        ring(2 * (2 * static_cast<size_t>(window) + 2) * dim) {
    neg_cur = negs.data();
    neg_next = negs.data() + negative + 1;
  }
  Rng rng;
  std::vector<int32_t> negs;
  int32_t* neg_cur;   // negatives for the current example
  int32_t* neg_next;  // already drawn (and prefetched) for the next one
  AlignedBuffer neu1, neu1e;
  // HogBatch scratch: context rows of one centre word, its targets (centre +
  // shared negatives), the context x target gradient scales, and the
  // gradients of the context rows.
  std::vector<int32_t> ctx, targets;
  std::vector<float> grad;
  AlignedBuffer ctx_grad;
  // CBOW with subwords: for the 2W + 2 sentence positions around the centre,
  // each word's composed vector and its gradient summed until it leaves the window.
  AlignedBuffer ring;
  std::vector<int32_t> sent;
  double loss = 0;
  int64_t loss_n = 0;
};

// Draws the next example's negatives now and prefetches their rows, so
// their cache misses overlap with this example's arithmetic; returns the
// current example's (drawn one example earlier).
inline const int32_t* Word2VecTrainer::drawNegatives(ThreadState& ts) {
  const int D = out_.stride();
  const int K = args_.negative;
  int32_t* cur = ts.neg_cur;
  for (int k = 0; k < K; ++k) {
    const int32_t t = neg_.sample(ts.rng);
    ts.neg_next[k] = t;
    prefetchRow(out_.row(t), D);
  }
  std::swap(ts.neg_cur, ts.neg_next);
  return cur;
}

// Updates the output layer for one (hidden vector h, target word) example
// and accumulates the gradient for h into neu1e (ts.neu1e). sig is
// sigmoidTable() and D the padded row width, looked up once per sentence.
template <bool kHs>
inline void Word2VecTrainer::trainExample(ThreadState& ts, const SigmoidTable& sig,
                                                                        int D, const float* __restrict h,
                                                                        float* __restrict neu1e, int32_t target,
                                                                        float lr, double& loss, int64_t& loss_n) {
  constexpr float kMax = SigmoidTable::kMaxExp;
  if constexpr (kHs) {
    const int len = tree_.length(target);
    const int32_t* pts = tree_.points(target);
    const uint8_t* codes = tree_.codes(target);
    for (int j = 0; j < len; ++j) {
      float* __restrict o = out_.row(pts[j]);
      const float f = dot(h, o, D);
      if (f <= -kMax || f >= kMax) continue;  // as word2vec: saturated, no update
      const float label = 1.0f - codes[j];
      const float g = (label - sig.sigmoid(f)) * lr;
      loss -= sig.logSigmoid(label > 0 ? f : -f);
      ++loss_n;
      axpy(g, o, neu1e, D);
      axpy(g, h, o, D);
    }
  } else {
    const int K = args_.negative;
    const int32_t* cur = drawNegatives(ts);
    for (int k = 0; k <= K; ++k) {
      int32_t t;
      float label;
      if (k == 0) {
        t = target;
        label = 1.f;
      } else {
        t = cur[k - 1];
        if (t == target) continue;
        label = 0.f;
      }
      float* __restrict o = out_.row(t);
      const float f = dot(h, o, D);
      // Saturated scores get no update (as gensim); they still count in the loss.
      ++loss_n;
      if (f >= kMax) {
        loss += label > 0 ? 0.0 : f;
        continue;
      }
      if (f <= -kMax) {
        loss += label > 0 ? -f : 0.0;
        continue;
      }
      loss -= sig.logSigmoid(label > 0 ? f : -f);
      const float g = (label - sig.sigmoid(f)) * lr;
      axpy(g, o, neu1e, D);
      axpy(g, h, o, D);
    }
  }
}

}  // namespace wembed
