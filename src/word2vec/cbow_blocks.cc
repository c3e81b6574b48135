// CBOW with negative sampling in blocks (--update batch, the default without
// subwords): several positions of a sentence, far apart, against one shared
// set of negatives.
#include <algorithm>

#include "wembed/core/block_kernels.h"
#include "wembed/core/kernels.h"
#include "wembed/word2vec/trainer.h"
#include "word2vec/trainer_state.h"

namespace wembed {

// CBOW --update batch (negative sampling): nb positions of a sentence, each
// with its hidden vector (the mean of its context rows, in ts.cbow_h) and its
// target, scored against one set of K negatives drawn for all of them, as
// one small block H·Yᵀ with Y = the nb targets then the K negatives (a
// position's score against another position's target is not used; a
// negative equal to a position's target is dropped for that position).
// Each negative row is loaded and updated once for the nb positions instead
// of once each. All scores come from the rows before the block's update.
void Word2VecTrainer::cbowBatch(ThreadState& ts, int nb, float lr, double& loss, int64_t& loss_n) {
  const int D = in_.stride();
  const int K = args_.negative;
  const SigmoidTable& sig = sigmoidTable();
  const int32_t* negs = drawNegatives(ts, nb);  // the next block draws nb windows first
  float** Y = ts.yrows.data();
  const int T = nb + K;
  for (int b = 0; b < nb; ++b) Y[b] = ts.hot_out.row(out_, ts.cbow_t[b]);
  for (int k = 0; k < K; ++k) Y[nb + k] = ts.hot_out.row(out_, negs[k]);
  const float* H[ThreadState::kCbowBatchMax];
  for (int b = 0; b < nb; ++b) H[b] = ts.cbow_h.data() + static_cast<size_t>(b) * D;
  // All nb x T scores as one block (a position's score against another
  // position's target is computed but not used: cheaper than separate dots).
  float* __restrict G = ts.cbow_g.data();
  block::blockDots(H, nb, Y, T, D, G);
  for (int b = 0; b < nb; ++b) {
    float* g = G + b * T;
    const int32_t t = ts.cbow_t[b];
    for (int j = 0; j < nb; ++j) g[j] = j == b ? exampleGrad<false>(sig, g[j], 1.f, lr, loss, loss_n) : 0.f;
    for (int k = 0; k < K; ++k)
      g[nb + k] = negs[k] == t ? 0.f : exampleGrad<false>(sig, g[nb + k], 0.f, lr, loss, loss_n);
  }
  float* __restrict E = ts.ctx_grad.data();
  block::blockCombine(G, nb, Y, T, D, E);
  block::blockAddTransposed(G, nb, H, Y, T, D);
  for (int b = 0; b < nb; ++b) {
    float** X = ts.cbow_x.data() + static_cast<size_t>(b) * 2 * args_.window;
    if (frozen_ > 0) redirectFrozen(X, ts.cbow_n[b], in_.row(frozen_), ts.sink.data());
    block::blockAddToRows(E + static_cast<size_t>(b) * D, X, ts.cbow_n[b], D);
  }
}

// CBOW --update batch: the sentence cut into B segments (B =
// TrainArgs::cbow_block, fewer in a short sentence); step i trains position i
// of every segment as one block (cbowBatch). The positions of a block lie
// more than 2W apart, so their windows share no words and their hidden
// vectors are unrelated: the shared negatives are then as good as
// independent ones. (Blocks of B neighbouring positions, whose hidden vectors
// are nearly the same, pushed each negative B times in one direction and lost
// 5 analogy points at B = 4 and 9 at B = 8.) A sentence shorter than
// 2(2W + 1) words is trained one position at a time. Consecutive steps are
// neighbouring positions, each trained after the previous step's update, as
// in per-example training; B = 1 is per-example training.
void Word2VecTrainer::trainCbowBlocks(ThreadState& ts, const int32_t* sent, int n, float lr) {
  const int D = in_.stride();
  const int W = args_.window;
  const int B = std::max(1, std::min(args_.cbow_block, n / (2 * W + 1)));
  double loss = 0;
  int64_t loss_n = 0;
  const int S = (n + B - 1) / B;
  for (int i = 0; i < S; ++i) {
    int nb = 0;
    for (int s = 0; s < B; ++s) {
      const int pos = s * S + i;
      if (pos >= n) break;
      // The rows this segment's next position needs first from outside the
      // cache: the context word that enters its window and its target's row.
      if (pos + W + 1 < n) prefetchRow(in_.row(sent[pos + W + 1]), D);
      if (pos + 1 < n) prefetchTargets<false>(sent[pos + 1]);
      const int reduced = static_cast<int>(ts.rng.below(static_cast<uint32_t>(W)));
      const int b = std::max(0, pos - W + reduced);
      const int e = std::min(n, pos + W - reduced + 1);
      float** X = ts.cbow_x.data() + static_cast<size_t>(nb) * 2 * W;
      int cw = 0;
      for (int c = b; c < e; ++c)
        if (c != pos) X[cw++] = ts.hot_in.row(in_, sent[c]);
      if (cw == 0) continue;
      float* h = ts.cbow_h.data() + static_cast<size_t>(nb) * D;
      block::blockSumRows(X, cw, D, h);
      scaleVec(1.f / cw, h, D);
      ts.cbow_n[nb] = cw;
      ts.cbow_t[nb] = sent[pos];
      ++nb;
    }
    if (nb > 0) cbowBatch(ts, nb, lr, loss, loss_n);
  }
  ts.loss += loss;
  ts.loss_n += loss_n;
}

}  // namespace wembed
