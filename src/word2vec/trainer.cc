#include "wembed/word2vec/trainer.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <condition_variable>
#include <mutex>

#include "wembed/core/error.h"
#include "wembed/core/file_identity.h"
#include "wembed/core/io.h"
#include "wembed/core/kernels.h"
#include "wembed/core/progress.h"
#include "wembed/corpus/token_stream.h"
#include "wembed/corpus/tokenizer.h"
#include "wembed/distributed/comm.h"
#include "core/testing_hooks.h"
#include "word2vec/id_cache.h"
#include "distributed/rank_sync.h"
#include "word2vec/trainer_shared.h"
#include "word2vec/trainer_state.h"

namespace wembed {

Word2VecTrainer::Word2VecTrainer(const TrainArgs& args, const Dictionary& dict) : args_(args), dict_(dict) {
  const int64_t V = dict.size();
  if (V == 0) throw Error("empty vocabulary");
  std::vector<int64_t> counts(V);
  for (int32_t i = 0; i < V; ++i) counts[i] = dict[i].count;
  int64_t rows = V;
  if (args.subwords.enabled()) {
    std::vector<std::string> words(static_cast<size_t>(V));
    for (int32_t i = 0; i < V; ++i) words[static_cast<size_t>(i)] = dict[i].word;
    table_ = SubwordTable(words, args.subwords);
    rows += args.subwords.bucket;
    checkSubwordMemory(rows, args.dim);
  }
  in_ = Matrix(rows, args.dim);
  in_.uniform(1.0f / args.dim, args.seed);  // [-1/D, 1/D), as gensim 4 (and fastText, n-gram rows too)
  if (args.loss == LossType::kHierarchicalSoftmax) {
    tree_ = HuffmanTree(counts);
    out_ = Matrix(tree_.innerNodes(), args.dim);
  } else {
    neg_ = NegativeTable(counts, args.effectiveNsExponent());
    out_ = Matrix(V, args.dim);
  }
  sub_ = Subsampler(counts, args.sample);
  alpha0_ = static_cast<float>(args.effectiveAlpha());
  threads_ = args.effectiveThreads();
}

void Word2VecTrainer::freezeWords(int32_t n) {
  if (table_.words() > 0 && n > 0) throw Error("--freeze-old does not apply to a model with subwords");
  frozen_ = std::max<int32_t>(0, std::min<int32_t>(n, dict_.size()));
}

// HogBatch (Ji et al. 2016): the C context rows of one centre word form a
// small matrix X; the centre word and K negatives drawn once for the whole
// window (ns), or the inner nodes of the centre word's Huffman path (hs),
// form Y. Scores S = X·Yᵀ, G = (label - sigmoid(S))·lr, then X += G·Y and
// Y += Gᵀ·X, both from the values before the update, written back Hogwild.
// C + T random rows are touched instead of C·T, each loaded once per block.
template <bool kHs>
void Word2VecTrainer::updateBatch(ThreadState& ts, int C, int32_t centre, float lr, double& loss, int64_t& loss_n) {
  const int D = in_.stride();
  const SigmoidTable& sig = sigmoidTable();
  const int T = collectTargets<kHs>(ts, centre);
  float** X = ts.xrows.data();
  for (int c = 0; c < C; ++c) X[c] = in_.row(ts.ctx[c]);
  float* __restrict G = ts.grad.data();
  block::blockDots(X, C, ts.yrows.data(), T, D, G);
  for (int c = 0; c < C; ++c)
    for (int j = 0; j < T; ++j) G[c * T + j] = exampleGrad<kHs>(sig, G[c * T + j], ts.labels[j], lr, loss, loss_n);
  float* __restrict XG = ts.ctx_grad.data();
  block::blockCombine(G, C, ts.yrows.data(), T, D, XG);
  block::blockAddTransposed(G, C, X, ts.yrows.data(), T, D);
  if (frozen_ > 0) redirectFrozen(X, C, in_.row(frozen_), ts.sink.data());
  block::blockAddRows(XG, X, C, D);
}

template <bool kCbow, bool kHs>
void Word2VecTrainer::trainSentence(ThreadState& ts, const int32_t* sent, int n, float lr) {
  if (table_.words() > 0) {
    if constexpr (kCbow) return trainCbowDeferred<kHs>(ts, sent, n, lr);
    else return trainSkipGramSubwords<kHs>(ts, sent, n, lr);
  }
  const int D = in_.stride();  // kernels run over the zero-padded row
  const int W = args_.window;
  const SigmoidTable& sig = sigmoidTable();
  float* __restrict neu1 = ts.neu1.data();
  float* __restrict neu1e = ts.neu1e.data();
  [[maybe_unused]] const bool batch = args_.effectiveUpdate() == UpdateMode::kBatch;
  double loss = 0;
  int64_t loss_n = 0;
  if constexpr (kCbow && !kHs) {
    if (batch) return trainCbowBlocks(ts, sent, n, lr);
  }

  // CBOW-HS with copies of the top nodes (several threads): fold them in
  // every kHotFoldPositions positions, not only between sentences. Every
  // position updates the root and the nodes below it; over a sentence (about
  // 580 kept words here) each thread's copy can go most of the way to where
  // its own data pull it, and the two changes summed overshoot. Folding
  // every 32 positions raised CBOW-HS's analogy by 0.6 points on the mean
  // of 30 pairs of runs; WS353 unchanged, time within 4% (README, Benchmark).
  [[maybe_unused]] const bool fold_inside = kCbow && kHs && ts.hot_out.active();
  for (int pos = 0; pos < n; ++pos) {
    if constexpr (kCbow && kHs) {
      if (fold_inside && pos > 0 && pos % kHotFoldPositions == 0) foldHot(ts);
    }
    // The rows the next position needs first from outside the cache: the
    // context word that enters its window and its target's output rows.
    if (pos + W + 1 < n) prefetchRow(in_.row(sent[pos + W + 1]), D);
    if (pos + 1 < n) prefetchTargets<kHs>(sent[pos + 1]);
    if constexpr (kHs) {
      if (pos + 2 < n) tree_.prefetchPath(sent[pos + 2]);
      if (pos + 3 < n) tree_.prefetchOffsets(sent[pos + 3]);
    }
    const int reduced = static_cast<int>(ts.rng.below(static_cast<uint32_t>(W)));
    const int b = std::max(0, pos - W + reduced);
    const int e = std::min(n, pos + W - reduced + 1);
    if constexpr (kCbow) {
      float** X = ts.xrows.data();
      int cw = 0;
      for (int c = b; c < e; ++c)
        if (c != pos) X[cw++] = in_.row(sent[c]);
      if (cw == 0) continue;
      block::blockSumRows(X, cw, D, neu1);
      scaleVec(1.f / cw, neu1, D);
      zeroVec(neu1e, D);
      trainExample<kHs>(ts, sig, D, neu1, neu1e, sent[pos], lr, loss, loss_n);
      if (frozen_ > 0) redirectFrozen(X, cw, in_.row(frozen_), ts.sink.data());
      block::blockAddToRows(neu1e, X, cw, D);
    } else {
      if (batch) {
        int C = 0;
        for (int c = b; c < e; ++c)
          if (c != pos) ts.ctx[C++] = sent[c];
        if (C > 0) updateBatch<kHs>(ts, C, sent[pos], lr, loss, loss_n);
        continue;
      }
      for (int c = b; c < e; ++c) {
        if (c == pos) continue;
        float* __restrict l1 = in_.row(sent[c]);
        zeroVec(neu1e, D);
        trainExample<kHs>(ts, sig, D, l1, neu1e, sent[pos], lr, loss, loss_n);
        if (sent[c] >= frozen_) axpy(1.f, neu1e, l1, D);
      }
    }
  }
  ts.loss += loss;
  ts.loss_n += loss_n;
}

// Thread 0, after it published its figures: the progress, about once a
// second. lr_done: the words this thread's learning rate decays by
// (--lr-schedule per-thread); <0: the global progress.
void Word2VecTrainer::reportProgress(Shared& sh, double lr_done) {
  const double now = sh.clock.seconds();
  if (!sh.report.due(now)) return;
  const double total = static_cast<double>(total_words_);
  const float min_lr = alpha0_ * static_cast<float>(args_.min_alpha_fraction);
  const double done = static_cast<double>(words_done_.load(std::memory_order_relaxed) +
                                          others_words_.load(std::memory_order_relaxed));
  double l = 0;
  int64_t ln = 0;
  for (auto& p : sh.pub) {
    l += p.loss.load(std::memory_order_relaxed);
    ln += p.loss_n.load(std::memory_order_relaxed);
  }
  const double avg = ln > sh.last_loss_n ? (l - sh.last_loss) / (ln - sh.last_loss_n) : 0.0;
  sh.last_loss = l;
  sh.last_loss_n = ln;
  const double frac = std::min(1.0, done / total);
  if (lr_done < 0) lr_done = done;
  const float lr = std::max(min_lr, alpha0_ * static_cast<float>(1.0 - std::min(1.0, lr_done / total)));
  const double done_here = done - static_cast<double>(words_done_start_);
  const double eta = done_here > 0 ? now * (total - done) / done_here : 0.0;
  on_progress(Progress{frac, done_here / now / (threads_ * distributed::size()), lr, avg, eta});
}

// One thread's place and counters during a run.
struct Word2VecTrainer::ThreadRun {
  ThreadRun(int tid_, ThreadState& ts_, Shared& sh_) : tid(tid_), ts(ts_), sh(sh_) {}
  int tid;
  ThreadState& ts;
  Shared& sh;
  int64_t pending = 0;             // words read but not yet added to words_done_
  int64_t epoch_words = 0;         // words read in this epoch, not yet added to sh.epoch_words
  int64_t thread_epoch_words = 0;  // words read in this epoch (--lr-schedule per-thread)
  int lr_epoch = 0;
};

void Word2VecTrainer::flushRun(ThreadRun& r) {
  words_done_.fetch_add(r.pending, std::memory_order_relaxed);
  r.pending = 0;
  r.sh.pub[r.tid].loss.store(r.ts.loss, std::memory_order_relaxed);
  r.sh.pub[r.tid].loss_n.store(r.ts.loss_n, std::memory_order_relaxed);
  if (r.tid == 0 && on_progress) {
    const double per_epoch = static_cast<double>(total_words_) / args_.epochs;
    reportProgress(r.sh, args_.lrPerThread() ? r.lr_epoch * per_epoch + static_cast<double>(r.thread_epoch_words) : -1);
  }
}

Word2VecThreadPosition Word2VecTrainer::positionOf(const ThreadRun& r, int epoch, int segment, uint64_t offset) const {
  Word2VecThreadPosition p;
  p.epoch = epoch;
  p.segment = segment;
  p.offset = offset;
  p.rng = r.ts.rng.state();
  const int K = args_.loss == LossType::kNegativeSampling ? args_.negative : 0;
  p.negs.assign(r.ts.neg_cur, r.ts.neg_cur + K);
  p.epoch_words = epoch == args_.epochs ? 0 : r.thread_epoch_words;
  return p;
}

// One pass over a stream of events: next(id) returns Tokenizer::kWord with
// the id of an in-vocabulary word, kEndOfSentence or kEnd; sentences are
// trained as they end (CBOW's short ones in groups). offset() is the
// position a checkpoint records; last: this pass ends the thread's epoch.
// False if the run was aborted.
template <bool kCbow, bool kHs, class Next, class Offset>
bool Word2VecTrainer::trainPass(ThreadRun& r, Next&& next, int epoch, int segment, bool last, Offset&& offset) {
  constexpr int64_t kFlush = 10000;
  ThreadState& ts = r.ts;
  Shared& sh = r.sh;
  const double total = static_cast<double>(total_words_);
  const double per_epoch = total / args_.epochs;
  const float min_lr = alpha0_ * static_cast<float>(args_.min_alpha_fraction);
  const bool checkpoints = checkpointing.enabled();
  const bool per_thread = args_.lrPerThread();
  // CBOW blocks: sentences shorter than `long_min` wait in ts.sent (the
  // first `held` words) until they make a group of `group_words`, or until
  // the epoch ends (`last`: this pass ends it; a group goes on from one
  // segment to the next, as it does over the first epoch's ids replayed).
  const size_t long_min = static_cast<size_t>(cbowLongSentence());
  const size_t group_words = static_cast<size_t>(cbowGroupWords());
  size_t& held = ts.held;
  ts.sent.resize(held);
  auto lrNow = [&] {
    const double done = per_thread ? epoch * per_epoch + static_cast<double>(r.thread_epoch_words)
                                   : static_cast<double>(words_done_.load(std::memory_order_relaxed) + r.pending +
                                                         others_words_.load(std::memory_order_relaxed));
    return std::max(min_lr, alpha0_ * static_cast<float>(1.0 - done / total));
  };
  // Trains what ts.sent holds: the group, then the sentence after it.
  auto trainHeld = [&] {
    const float lr = lrNow();
    if constexpr (kCbow && !kHs) {
      if (held > 0) trainCbowGroup(ts, lr);
    }
    if (ts.sent.size() > held)
      trainSentence<kCbow, kHs>(ts, ts.sent.data() + held, static_cast<int>(ts.sent.size() - held), lr);
    ts.since_fold += static_cast<int64_t>(ts.sent.size());
    if (ts.since_fold >= kHotFoldWords) foldHot(ts);
    ts.sent.clear();
    ts.group_ends.clear();
    held = 0;
  };
  for (;;) {
    int32_t id = -1;
    const Tokenizer::Kind k = next(id);
    if (k == Tokenizer::kWord) {
      ++r.epoch_words;
      ++r.thread_epoch_words;
      if (++r.pending >= kFlush) {
        flushRun(r);
        if (sh.abort.load(std::memory_order_relaxed)) return false;
      }
      if (sub_.keep(id, ts.rng)) ts.sent.push_back(id);
      if (static_cast<int>(ts.sent.size() - held) < args_.max_sentence) continue;
    } else if (ts.sent.size() == held && k != Tokenizer::kEnd) {
      continue;
    }
    if (ts.sent.size() > held) {
      if (ts.sent.size() - held < long_min) {
        ts.group_ends.push_back(static_cast<int>(ts.sent.size()));
        held = ts.sent.size();
        if (held >= group_words) trainHeld();
      } else {
        trainHeld();
      }
    }
    if (k == Tokenizer::kEnd) {
      if (last && held > 0) trainHeld();
      break;
    }
    // A checkpoint only between groups, so that a resumed run gathers the
    // same groups as an uninterrupted one.
    if (checkpoints && held == 0 &&
        (sh.ck_requested.load(std::memory_order_relaxed) ||
         (!sh.ranked && sh.clock.seconds() - sh.ck_last >= checkpointing.every_seconds))) {
      flushRun(r);
      foldHot(ts);
      sh.epoch_words[epoch].fetch_add(r.epoch_words, std::memory_order_relaxed);
      r.epoch_words = 0;
      checkpointPoint(sh, r.tid, positionOf(r, epoch, segment, offset()), false);
      if (sh.abort.load()) return false;
    }
  }
  return true;
}

// The first epoch's ids, replayed in the later ones (train() decides);
// null when not used or when its file cannot be made.
std::unique_ptr<IdCache> Word2VecTrainer::openIdCache() const {
  if (!use_id_cache_) return nullptr;
  try {
    return std::make_unique<IdCache>(id_cache_dir);
  } catch (const Error&) {  // no room for the file: tokenize every epoch
    return nullptr;
  }
}

template <bool kCbow, bool kHs>
void Word2VecTrainer::runThread(int tid, const std::vector<Segment>& segs, Shared& sh) {
  ThreadState ts(in_.stride(), args_.negative, args_.window, tree_.maxLength(),
                 args_.seed * 0x9E3779B97F4A7C15ull + 1000003ull * (distributed::rank() * threads_ + tid + 1));
  const int K = args_.loss == LossType::kNegativeSampling ? args_.negative : 0;
  for (int k = 0; k < K; ++k) ts.neg_cur[k] = neg_.sample(ts.rng);
  ThreadRun r(tid, ts, sh);
  int start_epoch = 0, start_segment = 0;
  uint64_t start_offset = segs.empty() ? 0 : segs[0].begin;
  if (resume_) {
    const Word2VecThreadPosition& p = resume_->threads[distributed::rank() * threads_ + tid];
    start_epoch = p.epoch;
    start_segment = p.segment;
    start_offset = p.offset;
    ts.rng.setState(p.rng);
    for (int k = 0; k < K && k < static_cast<int>(p.negs.size()); ++k) ts.neg_cur[k] = p.negs[k];
    r.thread_epoch_words = p.epoch_words;
  }
  ts.sent.reserve(static_cast<size_t>(args_.max_sentence + cbowGroupWords() + cbowLongSentence()));
  for (auto* v : {&ts.group_ends, &ts.lane_ends, &ts.lens, &ts.order, &ts.lane_of})
    v->reserve(static_cast<size_t>(cbowGroupWords() + cbowLongSentence()));
  ts.lane_words.reserve(static_cast<size_t>(cbowGroupWords() + cbowLongSentence()));
  initHot(ts);
  std::unique_ptr<IdCache> cache = openIdCache();

  for (int epoch = start_epoch; epoch < args_.epochs && !sh.abort.load(std::memory_order_relaxed); ++epoch) {
    r.epoch_words = 0;
    if (epoch != start_epoch || !resume_) r.thread_epoch_words = 0;
    r.lr_epoch = epoch;
    if (cache && cache->ready()) {
      cache->rewind();
      auto next = [&](int32_t& id) {
        id = cache->get();
        return id >= 0 ? Tokenizer::kWord : id == IdCache::kSentenceEnd ? Tokenizer::kEndOfSentence : Tokenizer::kEnd;
      };
      if (!trainPass<kCbow, kHs>(r, next, epoch, 0, true, [] { return uint64_t(0); })) return;
    } else {
      IdCache* record = cache && epoch == 0 ? cache.get() : nullptr;
      bool word_since_end = false;  // a run of sentence ends is recorded as one
      const int first_seg = epoch == start_epoch ? start_segment : 0;
      for (int si = first_seg; si < static_cast<int>(segs.size()); ++si) {
        const Segment& seg = segs[si];
        const uint64_t begin = epoch == start_epoch && si == start_segment ? start_offset : seg.begin;
        Tokenizer tok(seg.path, begin, seg.end);
        TokenStream stream(tok, rewriting_);
        auto next = [&](int32_t& id) {
          for (;;) {
            const Tokenizer::Kind k = stream.next();
            if (k != Tokenizer::kWord) {
              if (record && word_since_end) record->put(IdCache::kSentenceEnd);  // a segment's end too
              word_since_end = false;
              return k;
            }
            id = dict_.find(stream.word());
            if (id < 0) continue;
            if (record) record->put(id);
            word_since_end = true;
            return k;
          }
        };
        const bool last = si + 1 == static_cast<int>(segs.size());
        if (!trainPass<kCbow, kHs>(r, next, epoch, si, last, [&] { return tok.offset(); })) return;
      }
      if (record) record->finish();
    }
    sh.epoch_words[epoch].fetch_add(r.epoch_words, std::memory_order_relaxed);
  }
  foldHot(ts);
  flushRun(r);
  if (checkpointing.enabled()) checkpointPoint(sh, tid, positionOf(r, args_.epochs, 0, 0), true);
}

// CBOW with blocks (negative sampling, --update batch, no subwords) cuts a
// sentence of B(2W + 1) words or more into B lanes; shorter ones, which
// cannot fill B lanes of positions 2W apart, are gathered into groups of
// about 8 such sentences' worth of words and trained B lanes at a time
// (trainCbowGroup). Other models: no gathering (0 and 1).
int Word2VecTrainer::cbowLongSentence() const {
  const bool blocks = args_.model == ModelType::kCbow && args_.loss == LossType::kNegativeSampling &&
                      args_.effectiveUpdate() == UpdateMode::kBatch && !args_.subwords.enabled() && args_.cbow_block > 1;
  return blocks ? args_.cbow_block * (2 * args_.window + 1) : 0;
}

int Word2VecTrainer::cbowGroupWords() const { return cbowLongSentence() > 0 ? 8 * cbowLongSentence() : 1; }

// With several threads (or ranks), each keeps its own copy of the hottest
// output rows (HotRows): the most frequent words' (negative sampling) or the
// Huffman nodes nearest the root. One thread alone writes the shared rows
// directly, so its results do not change. Input rows are not copied: their
// copies were meant to be here too but never took effect (a test that is
// true only with subwords), and switched on they were no faster (B/A 0.967
// CBOW-NS, 1.000 CBOW-HS, 1.025 SG-NS, 0.976 SG-HS: bench/ab_alt.sh,
// 2026-12-07), so they are gone.
void Word2VecTrainer::initHot(ThreadState& ts) const {
  if (threads_ < 2) return;
  if (args_.loss == LossType::kHierarchicalSoftmax) ts.hot_out.init(out_, out_.rows() - kHotNodes, out_.rows());
  else ts.hot_out.init(out_, 0, kHotWords);
}

// The words that make up more than one in kFrequentShare of the corpus (the
// ones word2vec's default subsampling thins): their rows change the most
// between two synchronisations of the ranks (SyncSettings::mean_rows).
int64_t Word2VecTrainer::frequentWords() const {
  constexpr double kFrequentShare = 10000;
  int64_t total = 0;
  for (int32_t i = 0; i < dict_.size(); ++i) total += dict_[i].count;
  int32_t n = 0;
  while (n < dict_.size() && static_cast<double>(dict_[n].count) * kFrequentShare > static_cast<double>(total)) ++n;
  return n;
}

void Word2VecTrainer::foldHot(ThreadState& ts) {
  ts.hot_out.fold(out_);
  ts.since_fold = 0;
}

// The training threads, each on its list of segments; with sync, each tells
// it when it stops (a failure too).
void Word2VecTrainer::runThreads(const std::vector<std::vector<Segment>>& parts, Shared& sh, RankSync* sync) {
  const bool cbow = args_.model == ModelType::kCbow;
  const bool hs = args_.loss == LossType::kHierarchicalSoftmax;
#pragma omp parallel num_threads(threads_)
  {
    const int tid = omp_get_thread_num();
    try {
      if (cbow && hs) runThread<true, true>(tid, parts[tid], sh);
      else if (cbow) runThread<true, false>(tid, parts[tid], sh);
      else if (hs) runThread<false, true>(tid, parts[tid], sh);
      else runThread<false, false>(tid, parts[tid], sh);
    } catch (...) {
      {
        std::lock_guard<std::mutex> lock(sh.error_mu);
        if (!sh.error) sh.error = std::current_exception();
        sh.abort = true;
      }
      if (sync) sync->failed();
      std::lock_guard<std::mutex> lock(sh.ck_mu);
      sh.ck_cv.notify_all();  // release threads parked for a checkpoint
    }
    if (sync) sync->threadDone();
  }
}

// The words read (every rank's in a distributed run) and the synchronisations.
void Word2VecTrainer::gatherStats(Shared& sh, RankSync* sync, Word2VecStats& stats) {
  std::vector<int64_t> words;
  for (auto& w : sh.epoch_words) words.push_back(w.load());
  words.push_back(words_done_.load() - words_done_start_);
  if (sync) distributed::allreduceSum(words.data(), static_cast<int>(words.size()));
  stats.words_read = words.back();
  words.pop_back();
  stats.words_in_epoch = std::move(words);
  if (!sync) return;
  stats.ranks = distributed::size();
  stats.syncs = sync->figures().syncs;
  stats.sync_bytes = sync->figures().bytes;
  stats.sync_seconds = sync->figures().seconds;
}

Word2VecStats Word2VecTrainer::train(const std::vector<std::string>& files) {
  Word2VecStats stats;
  stats.words_per_epoch = words_per_epoch_ > 0 ? words_per_epoch_ : dict_.totalCount();
  total_words_ = std::max<int64_t>(1, stats.words_per_epoch * args_.epochs);
  words_done_ = 0;
  if (resume_) checkResume(files);
  // What the checkpoints record about the inputs, hashed before the clock
  // starts (a resumed run's were just checked against them).
  std::vector<FileIdentity> inputs;
  if (resume_) {
    inputs = resume_->inputs;
  } else if (checkpointing.enabled()) {
    for (const auto& f : files) inputs.push_back(identify(f));
  }

  Shared sh;
  sh.pub = std::vector<Published>(threads_);
  sh.epoch_words = std::vector<std::atomic<int64_t>>(args_.epochs);
  sh.files = files;
  sh.inputs = std::move(inputs);
  sh.ck_active = threads_;
  sh.positions.resize(threads_);
  const int ranks = distributed::size(), rank = distributed::rank();
  sh.ranked = ranks > 1;
  if (resume_) {
    // A distributed checkpoint's counts are every rank's: rank 0 takes them.
    if (rank == 0) {
      words_done_ = resume_->words_done;
      for (int e = 0; e < args_.epochs; ++e) sh.epoch_words[e] = resume_->epoch_words[e];
    }
    sh.positions.assign(resume_->threads.begin() + rank * threads_, resume_->threads.begin() + (rank + 1) * threads_);
    sh.seconds_before = resume_->seconds;
  }
  words_done_start_ = words_done_.load();
  // Replaying ids needs a first epoch read whole (no resumption, no
  // checkpoint positions within the files) and the disk room for it.
  use_id_cache_ = !id_cache_dir.empty() && args_.epochs > 1 && !resume_ && !checkpointing.enabled() &&
                  idCacheFits(id_cache_dir, stats.words_per_epoch);
  stats.id_cache = use_id_cache_;

  const auto all_parts = partition(files);
  const std::vector<std::vector<Segment>> parts(all_parts.begin() + rank * threads_,
                                                all_parts.begin() + (rank + 1) * threads_);
  std::unique_ptr<RankSync> sync;
  if (ranks > 1) {
    others_words_ = resume_ && rank > 0 ? resume_->words_done : 0;  // until the first synchronisation
    std::function<bool(RankSync&)> take;
    if (checkpointing.enabled()) take = [this, &sh](RankSync& s) { return distributedCheckpoint(sh, s); };
    SyncSettings every{args_.sync_seconds, args_.sync_words, args_.sync_mean};
    every.mean_rows = frequentWords();
    sync = std::make_unique<RankSync>(in_, out_, dict_.size(), args_.loss == LossType::kHierarchicalSoftmax, every,
                                      words_done_, others_words_, sh.abort, threads_,
                                      checkpointing.every_seconds, std::move(take));
  }
  runThreads(parts, sh, sync.get());
  if (sync) {
    sync->finish();
    distributed::together([&] {  // one rank's failure stops all, rank 0 names it
      if (sh.error) std::rethrow_exception(sh.error);
    });
  }
  if (sh.error) std::rethrow_exception(sh.error);
  resume_.reset();
  if (sh.stopped) {
    stats.interrupted = true;
    return stats;
  }

  stats.seconds = sh.clock.seconds();
  gatherStats(sh, sync.get(), stats);
  double l = 0;
  int64_t ln = 0;
  for (auto& p : sh.pub) {
    l += p.loss.load();
    ln += p.loss_n.load();
  }
  stats.final_loss = ln > sh.last_loss_n ? (l - sh.last_loss) / (ln - sh.last_loss_n) : (ln ? l / ln : 0.0);

  for (int64_t r = 0; r < in_.rows(); ++r) {
    const float* p = in_.row(r);
    for (int c = 0; c < in_.cols(); ++c)
      if (!std::isfinite(p[c]))
        throw Error("training diverged (vectors contain NaN or Inf); try a smaller --alpha");
  }
  if (on_progress) {
    const int64_t done = stats.words_read;  // every rank's in a distributed run
    // The rate the run ended at, from the words read against the schedule's
    // total: per thread, each thread's last epoch ends 1/threads of the way
    // through it.
    const double read =
        std::min(1.0, static_cast<double>(words_done_start_ + done) / static_cast<double>(total_words_));
    const double end = args_.lrPerThread() ? read * (args_.epochs - 1 + 1.0 / threads_) / args_.epochs : read;
    const double final_lr = std::max(alpha0_ * args_.min_alpha_fraction, alpha0_ * (1.0 - end));
    on_progress(Progress{1.0, done / std::max(1e-9, stats.seconds) / (threads_ * ranks), final_lr, stats.final_loss,
                         0.0});
  }
  return stats;
}

}  // namespace wembed
