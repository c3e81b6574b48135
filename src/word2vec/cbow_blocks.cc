// CBOW with negative sampling in blocks (--update batch, the default without
// subwords): several positions far apart (in one long sentence, or in
// different short sentences gathered into a group) against one shared set
// of negatives.
#include <algorithm>

#include "wembed/core/block_kernels.h"
#include "wembed/core/kernels.h"
#include "wembed/word2vec/trainer.h"
#include "word2vec/lanes.h"
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

// CBOW --update batch: B lanes of positions trained side by side: step i
// trains the i-th position of every lane as one block (cbowBatch); lane l
// runs from pos[l] to end[l]. The words form sentences (each ending at
// ends[s], ascending; the last at the end of the words) and a position's
// window stops at the ends of its own sentence. The positions of a block
// must have windows that share no words, so that their hidden vectors are
// unrelated and the shared negatives are as good as independent ones. (Blocks
// of B neighbouring positions, whose hidden vectors are nearly the same,
// pushed each negative B times in one direction and lost 5 analogy points
// at B = 4 and 9 at B = 8.) Consecutive steps of a lane are neighbouring
// positions, each trained after the previous step's update, as in
// per-example training; one lane is per-example training.
void Word2VecTrainer::trainCbowLanes(ThreadState& ts, const int32_t* words, const int* ends, int nl, int* pos,
                                     const int* end, float lr) {
  const int D = in_.stride();
  const int W = args_.window;
  double loss = 0;
  int64_t loss_n = 0;
  int si[ThreadState::kCbowBatchMax] = {};  // the sentence holding each lane's position
  for (;;) {
    int nb = 0;
    bool any = false;
    for (int l = 0; l < nl; ++l) {
      const int p = pos[l];
      if (p >= end[l]) continue;
      any = true;
      pos[l] = p + 1;
      while (ends[si[l]] <= p) ++si[l];
      const int lo = si[l] > 0 ? ends[si[l] - 1] : 0;
      const int hi = ends[si[l]];
      // The rows this lane's next position needs first from outside the
      // cache: the context word that enters its window and its target's row.
      if (p + W + 1 < hi) prefetchRow(in_.row(words[p + W + 1]), D);
      if (p + 1 < hi) prefetchTargets<false>(words[p + 1]);
      const int reduced = static_cast<int>(ts.rng.below(static_cast<uint32_t>(W)));
      const int b = std::max(lo, p - W + reduced);
      const int e = std::min(hi, p + W - reduced + 1);
      float** X = ts.cbow_x.data() + static_cast<size_t>(nb) * 2 * W;
      int cw = 0;
      for (int c = b; c < e; ++c)
        if (c != p) X[cw++] = in_.row(words[c]);
      if (cw == 0) continue;
      float* h = ts.cbow_h.data() + static_cast<size_t>(nb) * D;
      block::blockSumRows(X, cw, D, h);
      scaleVec(1.f / cw, h, D);
      ts.cbow_n[nb] = cw;
      ts.cbow_t[nb] = words[p];
      ++nb;
    }
    if (!any) break;
    if (nb > 0) cbowBatch(ts, nb, lr, loss, loss_n);
  }
  ts.loss += loss;
  ts.loss_n += loss_n;
}

// A sentence of at least B(2W + 1) words (B = TrainArgs::cbow_block), or of
// any length when short ones are not gathered (cbowLongSentence() 0): cut into B
// lanes (fewer if shorter), whose positions then lie more than 2W apart.
void Word2VecTrainer::trainCbowBlocks(ThreadState& ts, const int32_t* sent, int n, float lr) {
  const int B = std::max(1, std::min(args_.cbow_block, n / (2 * args_.window + 1)));
  const int S = (n + B - 1) / B;
  int pos[ThreadState::kCbowBatchMax], end[ThreadState::kCbowBatchMax];
  for (int l = 0; l < B; ++l) {
    pos[l] = std::min(n, l * S);
    end[l] = std::min(n, (l + 1) * S);
  }
  trainCbowLanes(ts, sent, &n, B, pos, end, lr);
}

void packLanes(const int* len, int m, int nl, int* order, int* lane_of) {
  for (int i = 0; i < m; ++i) order[i] = i;
  std::sort(order, order + m, [&](int a, int b) { return len[a] != len[b] ? len[a] > len[b] : a < b; });
  int load[kMaxLanes] = {};
  for (int k = 0; k < m; ++k) {
    int best = 0;
    for (int l = 1; l < nl; ++l)
      if (load[l] < load[best]) best = l;
    lane_of[order[k]] = best;
    load[best] += len[order[k]];
  }
}

// The short sentences gathered in ts.sent (ending at ts.group_ends), each
// whole in one of B lanes (packLanes), laid out lane after lane in
// ts.lane_words; sentences in different lanes share no window.
void Word2VecTrainer::trainCbowGroup(ThreadState& ts, float lr) {
  const int m = static_cast<int>(ts.group_ends.size());
  if (m == 0) return;
  static_assert(ThreadState::kCbowBatchMax == kMaxLanes);
  const int nl = std::min(args_.cbow_block, m);
  const int* ge = ts.group_ends.data();
  ts.lens.resize(static_cast<size_t>(m));
  ts.order.resize(static_cast<size_t>(m));
  ts.lane_of.resize(static_cast<size_t>(m));
  for (int i = 0; i < m; ++i) ts.lens[static_cast<size_t>(i)] = ge[i] - (i > 0 ? ge[i - 1] : 0);
  packLanes(ts.lens.data(), m, nl, ts.order.data(), ts.lane_of.data());
  ts.lane_words.clear();
  ts.lane_ends.clear();
  int pos[ThreadState::kCbowBatchMax], end[ThreadState::kCbowBatchMax];
  for (int l = 0; l < nl; ++l) {
    pos[l] = static_cast<int>(ts.lane_words.size());
    for (int i : ts.order) {
      if (ts.lane_of[static_cast<size_t>(i)] != l) continue;
      const int32_t* w = ts.sent.data() + (ge[i] - ts.lens[static_cast<size_t>(i)]);
      ts.lane_words.insert(ts.lane_words.end(), w, w + ts.lens[static_cast<size_t>(i)]);
      ts.lane_ends.push_back(static_cast<int>(ts.lane_words.size()));
    }
    end[l] = static_cast<int>(ts.lane_words.size());
  }
  trainCbowLanes(ts, ts.lane_words.data(), ts.lane_ends.data(), nl, pos, end, lr);
}

}  // namespace wembed
