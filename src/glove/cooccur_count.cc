// Counting co-occurrences: each thread counts its byte range of the corpus
// into its dense array and its sparse buffer (spilling sorted runs).
#include <omp.h>

#include "glove/cooccur_internal.h"
#include "wembed/corpus/tokenizer.h"

namespace wembed::cooccur_internal {

namespace {

class Counter {
 public:
  Counter(ThreadCounter& tc, CountShared& sh)
      : tc_(tc), sh_(sh), rows_(sh.layout->row.data()), dense_(tc.dense->floats()) {
    // Dense cells are float; a cell reaching flush_at_ is moved to the buffer
    // (summed in double later) so every addition keeps ~1e-3 relative
    // precision even for the most frequent pairs.
    flush_at_ = std::max(1.0f, 16777216.0f * 1e-3f / static_cast<float>(sh.args->window));
  }

  void add(int32_t i, int32_t j, float x) {
    const DenseLayout::Row& row = rows_[i];
    if (j < row.lim) {
      float& c = dense_[row.off + j];
      c += x;
      if (c >= flush_at_) {
        const float v = c;
        c = 0.f;
        push(i, j, v);
      }
    } else {
      push(i, j, x);
    }
  }

  void push(int32_t i, int32_t j, float x) {
    Rec& r = tc_.buf[tc_.n++];
    r.word = i;
    r.context = j;
    r.count = x;
    if (tc_.n == tc_.cap) compact();
  }

  // Sorts and combines the buffer; spills it as a run if still over half full.
  void compact() {
    tc_.n = sortAndCombine(tc_.buf.get(), tc_.n);
    if (tc_.n * 2 > tc_.cap) {
      sh_.runs.add(writeRun(*sh_.dir, tc_.buf.get(), tc_.n));
      tc_.n = 0;
      if (sh_.hooks->on_stage) sh_.hooks->on_stage(CooccurStage::kSpilled);
    }
  }

 private:
  ThreadCounter& tc_;
  CountShared& sh_;
  const DenseLayout::Row* rows_;
  float* dense_;
  float flush_at_;
};

template <bool kSymmetric>
void countRange(int tid, const std::vector<Segment>& segs, ThreadCounter& tc, CountShared& sh) {
  Counter counter(tc, sh);
  const int W = sh.args->window;
  const bool cross = sh.args->cross_sentences;
  std::vector<float> inv(W + 1);
  for (int d = 1; d <= W; ++d) inv[d] = static_cast<float>(1.0 / d);
  std::vector<int32_t> hist(W);
  int p = 0;       // next slot in hist
  int filled = 0;  // valid entries in hist
  int64_t pending = 0;
  constexpr int64_t kFlush = 1 << 16;

  auto report = [&]() {
    sh.tokens_done.fetch_add(pending, std::memory_order_relaxed);
    tc.tokens += pending;
    pending = 0;
    if (tid == 0 && sh.hooks->log.showsStatus()) {
      const double now = sh.clock.seconds();
      if (sh.report.due(now)) {
        const double done = static_cast<double>(sh.tokens_done.load(std::memory_order_relaxed));
        const double frac = std::min(0.999, done / static_cast<double>(sh.total_tokens));
        char buf[200];
        std::snprintf(buf, sizeof(buf), "cooccur: counting %5.1f%%  %.2fM tokens/s  runs spilled: %zu  ETA: %s",
                      100.0 * frac, done / now / 1e6, sh.runs.runs().size(),
                      formatDuration(frac > 0 ? now * (1 - frac) / frac : 0).c_str());
        sh.hooks->log.show(buf);
      }
    }
  };

  for (const Segment& seg : segs) {
    Tokenizer tok(seg.path, seg.begin, seg.end);
    if (!cross) filled = 0;  // a range starts at a line start
    for (;;) {
      const Tokenizer::Kind k = tok.next();
      if (k == Tokenizer::kEnd) break;
      if (k == Tokenizer::kEndOfSentence) {
        if (!cross) filled = 0;
        continue;
      }
      const int32_t w = sh.dict->find(tok.word());
      if (w < 0) continue;
      for (int d = 1; d <= filled; ++d) {
        int idx = p - d;
        if (idx < 0) idx += W;
        const int32_t c = hist[idx];
        if constexpr (kSymmetric) {
          if (w < c) counter.add(w, c, inv[d]);
          else if (c < w) counter.add(c, w, inv[d]);
          else counter.add(w, w, 2.f * inv[d]);
        } else {
          counter.add(w, c, inv[d]);
        }
      }
      hist[p] = w;
      if (++p == W) p = 0;
      if (filled < W) ++filled;
      if (++pending >= kFlush) {
        report();
        if (sh.abort.load(std::memory_order_relaxed)) return;
      }
    }
  }
  report();
  // The rest of the buffer stays in memory as this thread's last run.
  tc.n = sortAndCombine(tc.buf.get(), tc.n);
}

}  // namespace

void countAll(const std::vector<std::vector<Segment>>& parts, std::vector<ThreadCounter>& tcs, CountShared& sh) {
  const int T = static_cast<int>(tcs.size());
#pragma omp parallel num_threads(T)
  {
    const int tid = omp_get_thread_num();
    try {
      if (sh.args->symmetric) countRange<true>(tid, parts[tid], tcs[tid], sh);
      else countRange<false>(tid, parts[tid], tcs[tid], sh);
    } catch (...) {
      std::lock_guard<std::mutex> lock(sh.error_mu);
      if (!sh.error) sh.error = std::current_exception();
      sh.abort = true;
    }
  }
  if (sh.error) std::rethrow_exception(sh.error);
}

}  // namespace wembed::cooccur_internal
