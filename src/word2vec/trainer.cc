#include "wembed/word2vec/trainer.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <condition_variable>
#include <mutex>

#include "wembed/core/error.h"
#include "wembed/core/file_identity.h"
#include "wembed/core/io.h"
#include "wembed/core/kernels.h"
#include "wembed/core/progress.h"
#include "wembed/corpus/tokenizer.h"
#include "core/testing_hooks.h"
#include "word2vec/trainer_state.h"

namespace wembed {

namespace {
// Per-thread figures published for the progress line (one cache line each).
struct alignas(64) Published {
  std::atomic<double> loss{0};
  std::atomic<int64_t> loss_n{0};
};
}  // namespace

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

// HogBatch (Ji et al. 2016): the C context rows of one centre word form a
// small matrix X, the centre word and K negatives drawn once for the whole
// window form Y. Scores S = X·Yᵀ, G = (label - sigmoid(S))·lr, then
// X += G·Y and Y += Gᵀ·X, both from the values before the update, written
// back Hogwild. C + K + 1 random rows are touched instead of C·(K + 1).
void Word2VecTrainer::updateBatch(ThreadState& ts, int C, int32_t centre, float lr, double& loss, int64_t& loss_n) {
  const int D = in_.stride();
  const int K = args_.negative;
  const SigmoidTable& sig = sigmoidTable();
  constexpr float kMax = SigmoidTable::kMaxExp;

  const int32_t* cur = drawNegatives(ts);
  int32_t* tg = ts.targets.data();
  int T = 0;
  tg[T++] = centre;
  for (int k = 0; k < K; ++k)
    if (cur[k] != centre) tg[T++] = cur[k];

  const int32_t* ctx = ts.ctx.data();
  float* __restrict G = ts.grad.data();
  for (int c = 0; c < C; ++c) {
    const float* __restrict x = in_.row(ctx[c]);
    for (int j = 0; j < T; ++j) {
      const float f = dot(x, out_.row(tg[j]), D);
      const bool pos = j == 0;
      ++loss_n;
      float g = 0.f;
      if (f >= kMax) {
        loss += pos ? 0.0 : f;
      } else if (f <= -kMax) {
        loss += pos ? -f : 0.0;
      } else {
        loss -= sig.logSigmoid(pos ? f : -f);
        g = ((pos ? 1.f : 0.f) - sig.sigmoid(f)) * lr;
      }
      G[c * T + j] = g;
    }
  }
  float* __restrict XG = ts.ctx_grad.data();
  for (int c = 0; c < C; ++c) {
    float* __restrict e = XG + static_cast<size_t>(c) * D;
    zeroVec(e, D);
    for (int j = 0; j < T; ++j)
      if (G[c * T + j] != 0.f) axpy(G[c * T + j], out_.row(tg[j]), e, D);
  }
  for (int j = 0; j < T; ++j) {
    float* __restrict y = out_.row(tg[j]);
    for (int c = 0; c < C; ++c)
      if (G[c * T + j] != 0.f) axpy(G[c * T + j], in_.row(ctx[c]), y, D);
  }
  for (int c = 0; c < C; ++c) axpy(1.f, XG + static_cast<size_t>(c) * D, in_.row(ctx[c]), D);
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

  for (int pos = 0; pos < n; ++pos) {
    const int reduced = static_cast<int>(ts.rng.below(static_cast<uint32_t>(W)));
    const int b = std::max(0, pos - W + reduced);
    const int e = std::min(n, pos + W - reduced + 1);
    if constexpr (kCbow) {
      zeroVec(neu1, D);
      int cw = 0;
      for (int c = b; c < e; ++c) {
        if (c == pos) continue;
        axpy(1.f, in_.row(sent[c]), neu1, D);
        ++cw;
      }
      if (cw == 0) continue;
      scaleVec(1.f / cw, neu1, D);
      zeroVec(neu1e, D);
      trainExample<kHs>(ts, sig, D, neu1, neu1e, sent[pos], lr, loss, loss_n);
      for (int c = b; c < e; ++c) {
        if (c == pos) continue;
        axpy(1.f, neu1e, in_.row(sent[c]), D);
      }
    } else {
      if constexpr (!kHs) {
        if (batch) {
          int C = 0;
          for (int c = b; c < e; ++c)
            if (c != pos) ts.ctx[C++] = sent[c];
          if (C > 0) updateBatch(ts, C, sent[pos], lr, loss, loss_n);
          continue;
        }
      }
      for (int c = b; c < e; ++c) {
        if (c == pos) continue;
        float* __restrict l1 = in_.row(sent[c]);
        zeroVec(neu1e, D);
        trainExample<kHs>(ts, sig, D, l1, neu1e, sent[pos], lr, loss, loss_n);
        axpy(1.f, neu1e, l1, D);
      }
    }
  }
  ts.loss += loss;
  ts.loss_n += loss_n;
}

struct Word2VecTrainer::Shared {
  std::vector<Published> pub;
  std::vector<std::atomic<int64_t>> epoch_words;
  std::atomic<bool> abort{false};
  std::exception_ptr error;
  std::mutex error_mu;
  Stopwatch clock;
  double seconds_before = 0;  // training time before a resumed run
  Throttle report;  // progress, once a second
  double last_loss = 0;
  int64_t last_loss_n = 0;
  // Checkpoints: a thread that finds one due raises `requested`; every
  // running thread then parks at its next sentence boundary with its
  // position, and the last to arrive writes the file and releases the rest.
  std::atomic<bool> ck_requested{false};
  std::mutex ck_mu;
  std::condition_variable ck_cv;
  int ck_active = 0, ck_arrived = 0;
  uint64_t ck_generation = 0;
  double ck_last = 0;
  std::vector<Word2VecThreadPosition> positions;
  std::vector<std::vector<Segment>> parts;
  std::vector<std::string> files;
  std::vector<FileIdentity> inputs;  // the files' identities the checkpoints record
  bool stopped = false;
};

void Word2VecTrainer::checkResume(const std::vector<std::string>& files) const {
  if (!resume_) return;
  if (static_cast<int>(resume_->threads.size()) != threads_ ||
      static_cast<int>(resume_->epoch_words.size()) != args_.epochs)
    throw Error("checkpoint was written for different settings (threads or epochs)");
  if (resume_->files != files || resume_->inputs.size() != files.size())
    throw Error("checkpoint was written for other input files");
  // Read whole once: train() checks again what its caller may have checked.
  if (!resume_inputs_checked_) {
    for (size_t i = 0; i < files.size(); ++i) checkUnchanged(files[i], resume_->inputs[i]);
    resume_inputs_checked_ = true;
  }
  const auto parts = partitionInputs(files, threads_);
  for (int t = 0; t < threads_; ++t) {
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
  resume_ = std::make_unique<Word2VecCheckpoint>(std::move(c));
  resume_inputs_checked_ = false;
}

void Word2VecTrainer::writeCheckpoint(Shared& sh) {
  Word2VecCheckpoint c;
  c.args = args_;
  c.args.alpha = alpha0_;
  c.args.threads = threads_;
  c.args.update = args_.effectiveUpdate();
  c.files = sh.files;
  c.inputs = sh.inputs;
  c.vocab = dict_.entries();
  c.words_done = words_done_.load();
  for (auto& w : sh.epoch_words) c.epoch_words.push_back(w.load());
  c.threads = sh.positions;
  c.seconds = sh.seconds_before + sh.clock.seconds();
  saveWord2VecCheckpoint(checkpointing.path, c, in_, out_);
  if (checkpointing.on_written) checkpointing.on_written(checkpointing.path);
}

// Called by thread tid at a sentence boundary (or when it finishes, with
// finished = true). Blocks while a checkpoint is being taken.
void Word2VecTrainer::checkpointPoint(Shared& sh, int tid, const Word2VecThreadPosition& here, bool finished) {
  std::unique_lock<std::mutex> lock(sh.ck_mu);
  sh.positions[tid] = here;
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
        writeCheckpoint(sh);
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

// Thread 0, after it published its figures: the progress, about once a
// second. lr_done: the words this thread's learning rate decays by
// (--lr-schedule per-thread); <0: the global progress.
void Word2VecTrainer::reportProgress(Shared& sh, double lr_done) {
  const double now = sh.clock.seconds();
  if (!sh.report.due(now)) return;
  const double total = static_cast<double>(total_words_);
  const float min_lr = alpha0_ * static_cast<float>(args_.min_alpha_fraction);
  const double done = static_cast<double>(words_done_.load(std::memory_order_relaxed));
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
  on_progress(Progress{frac, done_here / now / threads_, lr, avg, eta});
}

template <bool kCbow, bool kHs>
void Word2VecTrainer::runThread(int tid, const std::vector<Segment>& segs, Shared& sh) {
  ThreadState ts(in_.stride(), args_.negative, args_.window, args_.seed * 0x9E3779B97F4A7C15ull + 1000003ull * (tid + 1));
  const int K = args_.loss == LossType::kNegativeSampling ? args_.negative : 0;
  for (int k = 0; k < K; ++k) ts.neg_cur[k] = neg_.sample(ts.rng);
  int start_epoch = 0, start_segment = 0;
  uint64_t start_offset = segs.empty() ? 0 : segs[0].begin;
  if (resume_) {
    const Word2VecThreadPosition& p = resume_->threads[tid];
    start_epoch = p.epoch;
    start_segment = p.segment;
    start_offset = p.offset;
    ts.rng.setState(p.rng);
    for (int k = 0; k < K && k < static_cast<int>(p.negs.size()); ++k) ts.neg_cur[k] = p.negs[k];
  }
  // --lr-schedule per-thread: this thread's words read in the current epoch.
  int64_t thread_epoch_words = resume_ ? resume_->threads[tid].epoch_words : 0;
  ts.sent.reserve(args_.max_sentence);
  const int64_t kFlush = 10000;
  int64_t pending = 0;  // words read but not yet added to words_done_
  const double total = static_cast<double>(total_words_);
  const float min_lr = alpha0_ * static_cast<float>(args_.min_alpha_fraction);
  const bool checkpoints = checkpointing.enabled();
  const bool per_thread = args_.lrPerThread();
  const double per_epoch = total / args_.epochs;
  int lr_epoch = start_epoch;

  auto flush = [&]() {
    words_done_.fetch_add(pending, std::memory_order_relaxed);
    pending = 0;
    sh.pub[tid].loss.store(ts.loss, std::memory_order_relaxed);
    sh.pub[tid].loss_n.store(ts.loss_n, std::memory_order_relaxed);
    if (tid == 0 && on_progress)
      reportProgress(sh, per_thread ? lr_epoch * per_epoch + static_cast<double>(thread_epoch_words) : -1);
  };
  auto position = [&](int epoch, int segment, uint64_t offset) {
    Word2VecThreadPosition p;
    p.epoch = epoch;
    p.segment = segment;
    p.offset = offset;
    p.rng = ts.rng.state();
    p.negs.assign(ts.neg_cur, ts.neg_cur + K);
    p.epoch_words = epoch == args_.epochs ? 0 : thread_epoch_words;
    return p;
  };

  for (int epoch = start_epoch; epoch < args_.epochs && !sh.abort.load(std::memory_order_relaxed); ++epoch) {
    int64_t epoch_words = 0;
    if (epoch != start_epoch || !resume_) thread_epoch_words = 0;
    lr_epoch = epoch;
    const int first_seg = epoch == start_epoch ? start_segment : 0;
    for (int si = first_seg; si < static_cast<int>(segs.size()); ++si) {
      const Segment& seg = segs[si];
      const uint64_t begin = epoch == start_epoch && si == start_segment ? start_offset : seg.begin;
      Tokenizer tok(seg.path, begin, seg.end);
      ts.sent.clear();
      for (;;) {
        const Tokenizer::Kind k = tok.next();
        if (k == Tokenizer::kWord) {
          const int32_t id = dict_.find(tok.word());
          if (id < 0) continue;
          ++epoch_words;
          ++thread_epoch_words;
          if (++pending >= kFlush) {
            flush();
            if (sh.abort.load(std::memory_order_relaxed)) return;
          }
          if (sub_.keep(id, ts.rng)) ts.sent.push_back(id);
          if (static_cast<int>(ts.sent.size()) < args_.max_sentence) continue;
        } else if (ts.sent.empty()) {
          if (k == Tokenizer::kEnd) break;
          continue;
        }
        if (!ts.sent.empty()) {
          const double done = per_thread ? epoch * per_epoch + static_cast<double>(thread_epoch_words)
                                         : static_cast<double>(words_done_.load(std::memory_order_relaxed) + pending);
          const float lr = std::max(min_lr, alpha0_ * static_cast<float>(1.0 - done / total));
          trainSentence<kCbow, kHs>(ts, ts.sent.data(), static_cast<int>(ts.sent.size()), lr);
          ts.sent.clear();
        }
        if (k == Tokenizer::kEnd) break;
        if (checkpoints && (sh.ck_requested.load(std::memory_order_relaxed) ||
                            sh.clock.seconds() - sh.ck_last >= checkpointing.every_seconds)) {
          flush();
          sh.epoch_words[epoch].fetch_add(epoch_words, std::memory_order_relaxed);
          epoch_words = 0;
          checkpointPoint(sh, tid, position(epoch, si, tok.offset()), false);
          if (sh.abort.load()) return;
        }
      }
    }
    sh.epoch_words[epoch].fetch_add(epoch_words, std::memory_order_relaxed);
  }
  flush();
  if (checkpoints) checkpointPoint(sh, tid, position(args_.epochs, 0, 0), true);
}

Word2VecStats Word2VecTrainer::train(const std::vector<std::string>& files) {
  Word2VecStats stats;
  stats.words_per_epoch = dict_.totalCount();
  total_words_ = std::max<int64_t>(1, stats.words_per_epoch * args_.epochs);
  words_done_ = 0;
  if (resume_) checkResume(files);
  const auto parts = partitionInputs(files, threads_);
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
  if (resume_) {
    words_done_ = resume_->words_done;
    for (int e = 0; e < args_.epochs; ++e) sh.epoch_words[e] = resume_->epoch_words[e];
    sh.positions = resume_->threads;
    sh.seconds_before = resume_->seconds;
  }
  words_done_start_ = words_done_.load();
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
      std::lock_guard<std::mutex> lock(sh.ck_mu);
      sh.ck_cv.notify_all();  // release threads parked for a checkpoint
    }
  }
  if (sh.error) std::rethrow_exception(sh.error);
  resume_.reset();
  if (sh.stopped) {
    stats.interrupted = true;
    return stats;
  }

  stats.seconds = sh.clock.seconds();
  for (auto& w : sh.epoch_words) stats.words_in_epoch.push_back(w.load());
  stats.words_read = words_done_.load() - words_done_start_;
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
    const int64_t done = words_done_.load() - words_done_start_;
    // The rate the run ended at: per thread, each thread's last epoch ends
    // 1/threads of the way through it.
    const double end = args_.lrPerThread() ? (args_.epochs - 1 + 1.0 / threads_) / args_.epochs : 1.0;
    const double final_lr = std::max(alpha0_ * args_.min_alpha_fraction, alpha0_ * (1.0 - end));
    on_progress(Progress{1.0, done / std::max(1e-9, stats.seconds) / threads_, final_lr, stats.final_loss, 0.0});
  }
  return stats;
}

}  // namespace wembed
