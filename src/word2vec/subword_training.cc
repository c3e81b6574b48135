// Training with fastText's subwords (Bojanowski et al. 2017). The input
// vector of a word is the mean of its rows (its own and its n-grams', from
// the SubwordTable built once before training); its gradient is added whole
// to every one of those rows, as fastText's Model::update does for skip-gram
// and CBOW. Unlike fastText, skip-gram composes the centre word's vector once
// for all its context words and scatters their summed gradient once; CBOW
// composes each context word once per sentence position and adds the
// gradients it received once, when it leaves the window (on the benchmark:
// 1.5x faster than per window, the same analogy accuracy and WS353).
#include "word2vec/trainer_state.h"

namespace wembed {

namespace {
// out = the mean of the rows of the n words (their rows from table), as
// fastText's computeHidden over the rows of all of them; returns the rows.
int composeWords(const Matrix& in, const SubwordTable& table, const int32_t* words, int n, float* out) {
  const int D = in.stride();
  zeroVec(out, D);
  int rows = 0;
  for (int i = 0; i < n; ++i) {
    const int32_t* r = table.rows(words[i]);
    const int c = table.count(words[i]);
    for (int j = 0; j < c; ++j) axpy(1.f, in.row(r[j]), out, D);
    rows += c;
  }
  if (rows > 0) scaleVec(static_cast<float>(1.0 / rows), out, D);
  return rows;
}

void scatter(Matrix& in, const SubwordTable& table, const int32_t* words, int n, const float* g) {
  const int D = in.stride();
  for (int i = 0; i < n; ++i) {
    const int32_t* r = table.rows(words[i]);
    const int c = table.count(words[i]);
    for (int j = 0; j < c; ++j) axpy(1.f, g, in.row(r[j]), D);
  }
}

void prefetchWord(const Matrix& in, const SubwordTable& table, int32_t w) {
  const int32_t* r = table.rows(w);
  const int c = table.count(w);
  for (int j = 0; j < c; ++j) prefetchRow(in.row(r[j]), in.stride());
}
}  // namespace

// HogBatch with one hidden vector h (the centre word's): the C context
// words of ts.ctx are its positive targets and K negatives drawn once stand
// for the K each of them would draw, their gradients weighted by C (the
// expected update of C·K draws). Output rows are updated from h; h's
// gradient is summed into neu1e.
void Word2VecTrainer::updateBatchSubwords(ThreadState& ts, int C, const float* __restrict h, float* __restrict neu1e,
                                          float lr, double& loss, int64_t& loss_n) {
  const int D = in_.stride();
  const int K = args_.negative;
  const SigmoidTable& sig = sigmoidTable();
  constexpr float kMax = SigmoidTable::kMaxExp;
  const int32_t* cur = drawNegatives(ts);
  for (int j = 0; j < C + K; ++j) {
    const bool pos = j < C;
    const int32_t t = pos ? ts.ctx[j] : cur[j - C];
    if (!pos) {
      bool positive = false;
      for (int c = 0; c < C; ++c) positive |= ts.ctx[c] == t;
      if (positive) continue;
    }
    const float weight = pos ? 1.f : static_cast<float>(C);
    float* __restrict o = out_.row(t);
    const float f = dot(h, o, D);
    loss_n += pos ? 1 : C;
    if (f >= kMax) {
      loss += pos ? 0.0 : weight * f;
      continue;
    }
    if (f <= -kMax) {
      loss += pos ? -f : 0.0;
      continue;
    }
    loss -= weight * sig.logSigmoid(pos ? f : -f);
    const float g = weight * ((pos ? 1.f : 0.f) - sig.sigmoid(f)) * lr;
    axpy(g, o, neu1e, D);
    axpy(g, h, o, D);
  }
}

// CBOW with subwords, the rows of each context word touched once per
// sentence position instead of once per window it is in: its vector is
// composed when it enters the window, the hidden vector is the mean of
// those (each weighted by its row count: the mean of all the rows, as
// fastText's), and the gradients it receives are summed and added to its
// rows when it leaves the window.
template <bool kHs>
void Word2VecTrainer::trainCbowDeferred(ThreadState& ts, const int32_t* sent, int n, float lr) {
  const int D = in_.stride();
  const int W = args_.window;
  const int R = 2 * W + 2;
  const SigmoidTable& sig = sigmoidTable();
  float* __restrict h = ts.neu1.data();
  float* __restrict neu1e = ts.neu1e.data();
  float* ring = ts.ring.data();
  auto comp = [&](int p) { return ring + static_cast<size_t>(p % R) * 2 * D; };
  auto grad = [&](int p) { return ring + (static_cast<size_t>(p % R) * 2 + 1) * D; };
  double loss = 0;
  int64_t loss_n = 0;
  int ready = 0;    // positions [0, ready) have their composed vector
  int flushed = 0;  // positions [0, flushed) have had their gradient added
  auto flush = [&](int p) {
    scatter(in_, table_, sent + p, 1, grad(p));
  };
  for (int pos = 0; pos < n; ++pos) {
    const int reduced = static_cast<int>(ts.rng.below(static_cast<uint32_t>(W)));
    const int b = std::max(0, pos - W + reduced);
    const int e = std::min(n, pos + W - reduced + 1);
    for (; ready < std::min(n, pos + W + 1); ++ready) {
      composeWords(in_, table_, sent + ready, 1, comp(ready));
      zeroVec(grad(ready), D);
    }
    if (ready < n) prefetchWord(in_, table_, sent[ready]);
    zeroVec(h, D);
    int rows = 0;
    for (int c = b; c < e; ++c) {
      if (c == pos) continue;
      const int k = table_.count(sent[c]);
      axpy(static_cast<float>(k), comp(c), h, D);
      rows += k;
    }
    if (rows > 0) {
      scaleVec(static_cast<float>(1.0 / rows), h, D);
      zeroVec(neu1e, D);
      trainExample<kHs>(ts, sig, D, h, neu1e, sent[pos], lr, loss, loss_n);
      for (int c = b; c < e; ++c)
        if (c != pos) axpy(1.f, neu1e, grad(c), D);
    }
    for (; flushed <= pos - W; ++flushed) flush(flushed);
  }
  for (; flushed < ready; ++flushed) flush(flushed);
  ts.loss += loss;
  ts.loss_n += loss_n;
}

template <bool kHs>
void Word2VecTrainer::trainSkipGramSubwords(ThreadState& ts, const int32_t* sent, int n, float lr) {
  const int D = in_.stride();
  const int W = args_.window;
  const SigmoidTable& sig = sigmoidTable();
  float* __restrict h = ts.neu1.data();
  float* __restrict neu1e = ts.neu1e.data();
  [[maybe_unused]] const bool batch = args_.effectiveUpdate() == UpdateMode::kBatch;
  double loss = 0;
  int64_t loss_n = 0;

  for (int pos = 0; pos < n; ++pos) {
    if (pos + 1 < n) prefetchWord(in_, table_, sent[pos + 1]);
    const int reduced = static_cast<int>(ts.rng.below(static_cast<uint32_t>(W)));
    const int b = std::max(0, pos - W + reduced);
    const int e = std::min(n, pos + W - reduced + 1);
    int C = 0;
    for (int c = b; c < e; ++c)
      if (c != pos) ts.ctx[C++] = sent[c];
    if (C == 0) continue;
    zeroVec(neu1e, D);
    composeWords(in_, table_, sent + pos, 1, h);
    if constexpr (!kHs) {
      if (batch) {
        updateBatchSubwords(ts, C, h, neu1e, lr, loss, loss_n);
        scatter(in_, table_, sent + pos, 1, neu1e);
        continue;
      }
    }
    for (int c = 0; c < C; ++c) trainExample<kHs>(ts, sig, D, h, neu1e, ts.ctx[c], lr, loss, loss_n);
    scatter(in_, table_, sent + pos, 1, neu1e);
  }
  ts.loss += loss;
  ts.loss_n += loss_n;
}


template void Word2VecTrainer::trainSkipGramSubwords<false>(ThreadState&, const int32_t*, int, float);
template void Word2VecTrainer::trainSkipGramSubwords<true>(ThreadState&, const int32_t*, int, float);
template void Word2VecTrainer::trainCbowDeferred<false>(ThreadState&, const int32_t*, int, float);
template void Word2VecTrainer::trainCbowDeferred<true>(ThreadState&, const int32_t*, int, float);

}  // namespace wembed
