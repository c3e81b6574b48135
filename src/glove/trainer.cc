#include "wembed/glove/trainer.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>

#include "wembed/core/error.h"
#include "wembed/glove/checkpoint.h"
#include "wembed/core/kernels.h"
#include "wembed/core/progress.h"
#include "wembed/core/random.h"
#include "wembed/core/range_check.h"
#include "wembed/core/threads.h"
#include "core/testing_hooks.h"
#include "distributed/rank_sync.h"
#include "wembed/distributed/comm.h"
#include "distributed/message.h"
#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace wembed {

void GloveArgs::validate() const {
  checkRange("--dim", dim, Range::closed(1, 10000));
  checkRange("--epochs", epochs, Range::closed(1, 100000));
  checkRange("--x-max", x_max, Range::openLow(0, 1e9));
  checkRange("--alpha-weight", alpha, Range::closed(0, 10));
  checkRange("--eta", eta, Range::openLow(0, 10));
  checkRange("--grad-clip", grad_clip, Range::closed(0, 1e6).orZero("off"));
  resolveThreads(threads);  // refuses a count out of range
  checkRange("--memory", memory_gb, Range::openLow(0, kMaxMemoryGb));
}

int GloveArgs::effectiveThreads() const { return resolveThreads(threads); }

double gloveRecordCost(const float* w, const float* c, float bw, float bc, float x, float x_max, float alpha,
                       int dim) {
  double d = 0;
  for (int k = 0; k < dim; ++k) d += static_cast<double>(w[k]) * c[k];
  d += static_cast<double>(bw) + bc - std::log(static_cast<double>(x));
  const double f = x >= x_max ? 1.0 : std::pow(static_cast<double>(x) / x_max, static_cast<double>(alpha));
  return 0.5 * f * d * d;
}

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#if defined(__AVX512F__)
// GCC 12 warns about _mm512_min_ps/_mm512_max_ps's internal "undefined"
// pass-through operand (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
using Floats = __m512;  // one register
#define WEMBED_PS(op) _mm512_##op##_ps
#else
using Floats = __m256;
#define WEMBED_PS(op) _mm256_##op##_ps
#endif
void gloveUpdate(float* __restrict w, float* __restrict c, float* __restrict gw, float* __restrict gc, float g,
                 float clip, int n) {
  constexpr int kWidth = sizeof(Floats) / sizeof(float);
  const Floats gv = WEMBED_PS(set1)(g), hi = WEMBED_PS(set1)(clip), lo = WEMBED_PS(set1)(-clip);
  for (int i = 0; i < n; i += kWidth) {
    const Floats W = WEMBED_PS(load)(w + i), C = WEMBED_PS(load)(c + i);
    const Floats GW = WEMBED_PS(load)(gw + i), GC = WEMBED_PS(load)(gc + i);
    const Floats t1 = WEMBED_PS(min)(WEMBED_PS(max)(WEMBED_PS(mul)(gv, C), lo), hi);
    const Floats t2 = WEMBED_PS(min)(WEMBED_PS(max)(WEMBED_PS(mul)(gv, W), lo), hi);
    WEMBED_PS(store)(w + i, WEMBED_PS(sub)(W, WEMBED_PS(div)(t1, WEMBED_PS(sqrt)(GW))));
    WEMBED_PS(store)(c + i, WEMBED_PS(sub)(C, WEMBED_PS(div)(t2, WEMBED_PS(sqrt)(GC))));
    WEMBED_PS(store)(gw + i, WEMBED_PS(fmadd)(t1, t1, GW));
    WEMBED_PS(store)(gc + i, WEMBED_PS(fmadd)(t2, t2, GC));
  }
}
#undef WEMBED_PS
#if defined(__AVX512F__)
#pragma GCC diagnostic pop
#endif
#else
void gloveUpdate(float* __restrict w, float* __restrict c, float* __restrict gw, float* __restrict gc, float g,
                 float clip, int n) {
  for (int i = 0; i < n; ++i) {
    const float t1 = std::min(std::max(g * c[i], -clip), clip);
    const float t2 = std::min(std::max(g * w[i], -clip), clip);
    w[i] -= t1 / std::sqrt(gw[i]);
    c[i] -= t2 / std::sqrt(gc[i]);
    gw[i] += t1 * t1;
    gc[i] += t2 * t2;
  }
}
#endif

int gloveRowWidth(int dim) { return (dim + 2 + 15) / 16 * 16; }

namespace {

__attribute__((always_inline)) inline float step(float* __restrict wrow, float* __restrict crow, int S, float x,
                                                 float x_max, float log_x_max, float alpha, float eta, float clip) {
  const float lx = std::log(x);
  const float diff = dot(wrow, crow, S) - lx;  // w.c + b + b~ - log x
  const float f = x >= x_max ? 1.0f : std::exp(alpha * (lx - log_x_max));
  const float fd = f * diff;
  gloveUpdate(wrow, crow, wrow + S, crow + S, eta * fd, clip, S);
  return 0.5f * fd * diff;
}

}  // namespace

float gloveStep(float* __restrict wrow, float* __restrict crow, int S, float x, float x_max, float log_x_max,
                float alpha, float eta, float clip) {
  return step(wrow, crow, S, x, x_max, log_x_max, alpha, eta, clip);
}

namespace {

struct alignas(64) Published {
  std::atomic<double> cost{0};
  std::atomic<uint64_t> done{0};
};

constexpr size_t kChunk = 1 << 14;  // records read per pread

// A rank's share of a distributed checkpoint, as bytes for allgather.
using distributed::put;
using distributed::take;

std::string packShare(const GloveCheckpoint& c) {
  std::string s;
  put<uint64_t>(s, c.run.cooccur.size());
  s += c.run.cooccur;
  put(s, c.run.cooccur_id.size);
  put(s, c.run.cooccur_id.hash);
  put(s, c.run.cooccur_records);
  put(s, c.run.cooccur_flags);
  put(s, c.run.cooccur_first);
  put(s, c.records);
  put<uint64_t>(s, c.tile_order.size());
  for (uint32_t t : c.tile_order) put(s, t);
  return s;
}

GloveRankShare unpackShare(const std::string& s) {
  GloveRankShare r;
  size_t at = 0;
  const uint64_t n = take<uint64_t>(s, at);
  if (n > s.size() - at) throw Error("MPI: a checkpoint message was cut short");
  r.cooccur = s.substr(at, n);
  at += n;
  r.cooccur_id.size = take<uint64_t>(s, at);
  r.cooccur_id.hash = take<uint64_t>(s, at);
  r.cooccur_records = take<uint64_t>(s, at);
  r.cooccur_flags = take<uint32_t>(s, at);
  r.first = take<uint64_t>(s, at);
  r.records = take<uint64_t>(s, at);
  r.tile_order.resize(take<uint64_t>(s, at));
  for (uint32_t& t : r.tile_order) t = take<uint32_t>(s, at);
  return r;
}
constexpr int kPrefetch = 4;        // records ahead whose rows are prefetched

}  // namespace

GloveTrainer::GloveTrainer(const GloveArgs& args, int32_t vocab_size)
    : args_(args), V_(vocab_size), S_(gloveRowWidth(args.dim)) {
  args_.validate();
  if (V_ <= 0) throw Error("empty vocabulary");
  const float scale = static_cast<float>(args.init_scale >= 0 ? args.init_scale : 0.5 / args.dim);
  const int d = args.dim, S = S_;
  w_ = Matrix(V_, 2 * S);
  c_ = Matrix(V_, 2 * S);
  // Row r draws from its own generator, so the result does not depend on the
  // number of threads.
#pragma omp parallel for schedule(static) num_threads(args_.effectiveThreads())
  for (int64_t r = 0; r < V_; ++r) {
    Rng rng(args.seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(r) * 2 + 1);
    float* w = w_.row(r);
    float* c = c_.row(r);
    for (int k = 0; k <= d; ++k) w[k] = (rng.uniform() * 2.f - 1.f) * scale;  // vector and bias
    for (int k = 0; k < d; ++k) c[k] = (rng.uniform() * 2.f - 1.f) * scale;
    c[d + 1] = (rng.uniform() * 2.f - 1.f) * scale;
    w[d + 1] = 1.f;
    c[d] = 1.f;
    std::fill(w + S, w + 2 * S, 1.f);
    std::fill(c + S, c + 2 * S, 1.f);
    w[S + d + 1] = std::numeric_limits<float>::infinity();
    c[S + d] = std::numeric_limits<float>::infinity();
  }
  threads_ = args_.effectiveThreads();
}

GloveTrainer::~GloveTrainer() = default;

void GloveTrainer::restore(GloveCheckpoint&& c) {
  if (c.args.dim != args_.dim || c.args.epochs != args_.epochs || c.w.rows() != V_ || c.c.rows() != V_ ||
      c.w.cols() != 2 * S_ || c.c.cols() != 2 * S_)
    throw Error("checkpoint does not match the vocabulary or settings");
  w_ = std::move(c.w);
  c_ = std::move(c.c);
  resume_ = std::make_unique<GloveCheckpoint>(std::move(c));
}

Matrix GloveTrainer::copyColumns(const Matrix& m, bool add_context) const {
  Matrix out(V_, args_.dim);
  for (int64_t r = 0; r < V_; ++r) {
    const float* a = m.row(r);
    const float* b = c_.row(r);
    float* o = out.row(r);
    for (int k = 0; k < args_.dim; ++k) o[k] = add_context ? a[k] + b[k] : a[k];
  }
  return out;
}

Matrix GloveTrainer::wordVectors() const { return copyColumns(w_, false); }
Matrix GloveTrainer::contextVectors() const { return copyColumns(c_, false); }
Matrix GloveTrainer::sumVectors() const { return copyColumns(w_, true); }

double GloveTrainer::cost(const std::vector<CooccurRecord>& recs) const {
  double t = 0;
  for (const auto& r : recs)
    t += gloveRecordCost(w_.row(r.word), c_.row(r.context), wordBias(r.word), contextBias(r.context), r.count,
                         static_cast<float>(args_.x_max), static_cast<float>(args_.alpha), args_.dim);
  return recs.empty() ? 0.0 : t / recs.size();
}

int64_t GloveTrainer::tileWords() const {
  if (args_.tile_words != 0) return args_.tile_words;
  // Blocks of words whose rows (parameters and AdaGrad sums) take ~1 MB:
  // a tile's rows then stay in cache while its records are trained.
  return std::max<int64_t>(64, (int64_t{1} << 20) / (2 * S_ * static_cast<int64_t>(sizeof(float))));
}

void GloveTrainer::loadTiled(uint64_t N, const std::function<size_t(uint64_t, CooccurRecord*, size_t)>& fetch) {
  const int64_t B = tileWords();
  const int64_t nb = (V_ + B - 1) / B;
  std::vector<uint64_t> count(static_cast<size_t>(nb * nb) + 1, 0);
  std::vector<CooccurRecord> buf(kChunk);
  // Two passes over the input: count per tile, then place (the order within
  // a tile is the input's, i.e. shuffled).
  for (uint64_t pos = 0; pos < N;) {
    const size_t n = fetch(pos, buf.data(), static_cast<size_t>(std::min<uint64_t>(kChunk, N - pos)));
    if (n == 0) throw Error("unexpected end of the co-occurrence data");
    for (size_t k = 0; k < n; ++k) ++count[static_cast<size_t>(buf[k].word / B * nb + buf[k].context / B) + 1];
    pos += n;
  }
  for (size_t t = 1; t < count.size(); ++t) count[t] += count[t - 1];
  tile_start_ = count;
  tiled_.resize(N);
  for (uint64_t pos = 0; pos < N;) {
    const size_t n = fetch(pos, buf.data(), static_cast<size_t>(std::min<uint64_t>(kChunk, N - pos)));
    for (size_t k = 0; k < n; ++k) tiled_[count[static_cast<size_t>(buf[k].word / B * nb + buf[k].context / B)]++] = buf[k];
    pos += n;
  }
}

bool GloveTrainer::tiles(uint64_t n) const {
  return args_.tile_words >= 0 && static_cast<double>(n) * sizeof(CooccurRecord) <= args_.memory_gb * 1073741824.0;
}

// The state of one train() call: the records, the constants of the update,
// the threads' figures, the tile order and the checkpoint clock.
struct GloveTrainer::Pass {
  using Fetch = std::function<size_t(uint64_t, CooccurRecord*, size_t)>;
  Pass(uint64_t n, const Fetch& f, int threads) : N(n), fetch(f), T(threads), pub(threads) {}
  const uint64_t N;   // this rank's records
  uint64_t all = 0;   // every rank's (N when not distributed)
  std::atomic<int64_t> done{0}, others{0};  // this epoch: records this rank trained, the others' (RankSync)
  const Fetch& fetch;
  const int T;
  bool tiled = false;
  float x_max = 0, log_xmax = 0, alpha = 0, eta = 0, clip = 0;
  Stopwatch clock;
  std::vector<Published> pub;
  std::atomic<bool> abort{false};
  std::exception_ptr error;
  std::mutex error_mu;
  Throttle report;  // progress, once a second
  // Non-empty tiles, visited in a new random order every epoch (each
  // epoch's shuffle permutes the previous order).
  std::vector<uint32_t> order;
  int first_epoch = 0;
  double seconds_before = 0;
  double last_save = 0;
  GloveStats stats;
};

// Continues from resume_: checks it fits the records and takes its place in the run.
void GloveTrainer::resumePass(Pass& p) {
  if (resume_->records != p.N)
    throw Error("the checkpoint was written for " + std::to_string(resume_->records) +
                " co-occurrence records, not " + std::to_string(p.N));
  std::vector<uint32_t> saved = resume_->tile_order;
  std::sort(saved.begin(), saved.end());
  if (saved != (p.tiled ? p.order : std::vector<uint32_t>()))
    throw Error("the checkpoint's tile order does not match the co-occurrence data");
  if (p.tiled) p.order = resume_->tile_order;
  p.first_epoch = resume_->epochs_done;
  p.stats.epochs = resume_->history;
  p.seconds_before = resume_->seconds;
}

// Checkpoints at epoch boundaries; returns true when training should stop (tests).
// Under mpirun rank 0's clock decides for every rank, whose rows are the same
// then (combined at the epoch's end), and rank 0 writes every rank's share.
bool GloveTrainer::boundary(Pass& p, int epochs_done) {
  if (!checkpointing.enabled()) return false;
  int64_t due = p.clock.seconds() - p.last_save >= checkpointing.every_seconds ? 1 : 0;
  if (distributed::active()) {
    if (!distributed::reporting()) due = 0;
    distributed::allreduceSum(&due, 1);
  }
  if (due == 0) return false;
  GloveCheckpoint ck;
  ck.args = args_;
  ck.args.threads = threads_;
  if (checkpoint_run) ck.run = *checkpoint_run;
  ck.records = p.N;
  ck.epochs_done = epochs_done;
  ck.history = p.stats.epochs;
  if (p.tiled) ck.tile_order = p.order;
  ck.seconds = p.seconds_before + p.clock.seconds();
  if (distributed::active()) {
    ck.ranks = distributed::size();
    const std::vector<std::string> all = distributed::allgather(packShare(ck));
    distributed::together([&] {
      if (!distributed::reporting()) return;
      for (const std::string& s : all) ck.shares.push_back(unpackShare(s));
      saveGloveCheckpoint(checkpointing.path, ck, w_, c_);
    });
  } else {
    saveGloveCheckpoint(checkpointing.path, ck, w_, c_);
  }
  p.last_save = p.clock.seconds();
  if (checkpointing.on_written && distributed::reporting()) checkpointing.on_written(checkpointing.path);
  return testing::checkpointEndsRun();
}

// The progress: the epoch's records over every rank (the other ranks' as of
// the last synchronisation), per second and thread of the job.
void GloveTrainer::report(Pass& p, int epoch, double now) {
  double c = 0;
  uint64_t d = 0;
  for (auto& x : p.pub) {
    c += x.cost.load(std::memory_order_relaxed);
    d += x.done.load(std::memory_order_relaxed);
  }
  const double all = static_cast<double>(p.all), E = args_.epochs;
  const double d_all = static_cast<double>(d) + static_cast<double>(p.others.load(std::memory_order_relaxed));
  const double frac = (epoch + std::min(1.0, d_all / all)) / E;
  // This session's share (a resumed run started at first_epoch).
  const double here = epoch - p.first_epoch + std::min(1.0, d_all / all);
  const double rate = here * all / std::max(1e-9, now) / (p.T * distributed::size());
  const double left = here > 0 ? now * (E - p.first_epoch - here) / here : 0.0;
  on_progress(Progress{frac, rate, p.eta, d ? c / d : 0.0, left, epoch + 1});
}

// One epoch over every record, Hogwild over p.T threads; returns the cost
// summed (over every rank's records when distributed: a communication thread
// then combines the ranks' rows while the threads train, and once at the end).
double GloveTrainer::trainEpoch(Pass& p, int epoch) {
  for (auto& x : p.pub) {
    x.cost = 0;
    x.done = 0;
  }
  p.done = 0;
  p.others = 0;
  if (p.tiled) {
    Rng rng(args_.seed * 0x9E3779B97F4A7C15ull + 7919ull * (epoch + 1));
    for (size_t i = p.order.size(); i > 1; --i) std::swap(p.order[i - 1], p.order[rng.below(static_cast<uint32_t>(i))]);
  }
  const uint64_t N = p.N;
  const int T = p.T, S = S_;
  // Locals: the row updates write floats, which could alias members.
  const float x_max = p.x_max, log_xmax = p.log_xmax, alpha = p.alpha, eta = p.eta, clip = p.clip;
  std::unique_ptr<RankSync> sync;
  if (distributed::active())
    sync = std::make_unique<RankSync>(w_, c_, V_, false, SyncSettings{args_.sync_seconds, args_.sync_records, false},
                                      p.done, p.others, p.abort, T);
  std::atomic<int> ended{0};
#pragma omp parallel num_threads(T)
  {
    const int tid = omp_get_thread_num();
    double cost = 0;
    uint64_t done = 0;
    // Trains on n consecutive records, prefetching the rows a few records ahead.
    auto process = [&](const CooccurRecord* rec, size_t n) {
      for (size_t k = 0; k < n; ++k) {
        if (k + kPrefetch < n) {
          const CooccurRecord& a = rec[k + kPrefetch];
          prefetchRow(w_.row(a.word), 2 * S);
          prefetchRow(c_.row(a.context), 2 * S);
        }
        const CooccurRecord& r = rec[k];
        cost += step(w_.row(r.word), c_.row(r.context), S, r.count, x_max, log_xmax, alpha, eta, clip);
      }
      done += n;
      p.pub[tid].cost.store(cost, std::memory_order_relaxed);
      p.pub[tid].done.store(done, std::memory_order_relaxed);
      p.done.fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed);
      if (tid == 0 && on_progress) {
        const double now = p.clock.seconds();
        if (p.report.due(now)) report(p, epoch, now);
      }
    };
    try {
      if (p.tiled) {
#pragma omp for schedule(dynamic, 1)
        for (size_t i = 0; i < p.order.size(); ++i) {
          if (p.abort.load(std::memory_order_relaxed)) continue;
          const uint64_t b = tile_start_[p.order[i]], e = tile_start_[p.order[i] + 1];
          for (uint64_t q = b; q < e; q += kChunk)
            process(tiled_.data() + q, static_cast<size_t>(std::min<uint64_t>(kChunk, e - q)));
        }
      } else {
        std::vector<CooccurRecord> buf(kChunk);
        const uint64_t begin = N * tid / T, end = N * (tid + 1) / T;
        for (uint64_t pos = begin; pos < end && !p.abort.load(std::memory_order_relaxed);) {
          const size_t n = p.fetch(pos, buf.data(), static_cast<size_t>(std::min<uint64_t>(kChunk, end - pos)));
          if (n == 0) throw Error("unexpected end of the co-occurrence data");
          process(buf.data(), n);
          pos += n;
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(p.error_mu);
      if (!p.error) p.error = std::current_exception();
      p.abort = true;
      if (sync) sync->failed();
    }
    if (sync) {
      sync->threadDone();
      ++ended;
    }
  }
  if (sync) {
    for (int k = ended; k < T; ++k) sync->threadDone();  // threads OpenMP did not start
    sync->finish();
    p.stats.ranks = distributed::size();
    p.stats.syncs += sync->figures().syncs;
    p.stats.sync_bytes += sync->figures().bytes;
    p.stats.sync_seconds += sync->figures().seconds;
    distributed::together([&] {  // one rank's failure stops all, rank 0 names it
      if (p.error) std::rethrow_exception(p.error);
    });
  }
  if (p.error) std::rethrow_exception(p.error);
  double c = 0;
  for (auto& x : p.pub) c += x.cost.load();
  distributed::allreduceSum(&c, 1);
  return c;
}

GloveStats GloveTrainer::run(uint64_t N, const std::function<size_t(uint64_t, CooccurRecord*, size_t)>& fetch) {
  int64_t all = static_cast<int64_t>(N);
  distributed::allreduceSum(&all, 1);  // every rank's records (a rank may hold none)
  if (all == 0) throw Error("the co-occurrence data holds no records");
  Pass p(N, fetch, static_cast<int>(std::min<uint64_t>(threads_, std::max<uint64_t>(1, N / 64))));
  p.all = static_cast<uint64_t>(all);
  p.stats.records = p.all;
  p.tiled = tiles(N);
  distributed::together([&] {  // a rank may hold too many records to tile
    if (p.tiled) loadTiled(N, fetch);
  });
  p.clock = Stopwatch();  // training time: from after the records are loaded
  p.stats.tiled = p.tiled;
  p.x_max = static_cast<float>(args_.x_max);
  p.log_xmax = std::log(p.x_max);
  p.alpha = static_cast<float>(args_.alpha);
  p.eta = static_cast<float>(args_.eta);
  p.clip = args_.grad_clip > 0 ? static_cast<float>(args_.grad_clip) : FLT_MAX;
  const int E = args_.epochs;
  if (p.tiled)
    for (size_t t = 0; t + 1 < tile_start_.size(); ++t)
      if (tile_start_[t + 1] > tile_start_[t]) p.order.push_back(static_cast<uint32_t>(t));
  const bool resumed = resume_ != nullptr;
  if (resumed) distributed::together([&] { resumePass(p); });
  resume_.reset();
  p.last_save = -checkpoint_elapsed;
  auto interrupted = [&]() {
    std::vector<CooccurRecord>().swap(tiled_);
    p.stats.interrupted = true;
    p.stats.seconds = p.seconds_before + p.clock.seconds();
    return p.stats;
  };
  if (!resumed && p.first_epoch < E && boundary(p, 0)) return interrupted();

  for (int epoch = p.first_epoch; epoch < E; ++epoch) {
    const double epoch_start = p.clock.seconds();
    const double cost = trainEpoch(p, epoch);
    GloveEpoch ep{epoch + 1, cost / p.all, p.clock.seconds() - epoch_start};
    if (!std::isfinite(ep.cost))
      throw Error("training diverged in epoch " + std::to_string(epoch + 1) + " (cost is not finite); try a smaller --eta");
    p.stats.epochs.push_back(ep);
    if (on_progress && epoch + 1 == E) {  // the run's last report, at 100%, as word2vec's
      const double now = std::max(1e-9, p.clock.seconds());
      const double rate = (E - p.first_epoch) * static_cast<double>(p.all) / now / (p.T * distributed::size());
      on_progress(Progress{1.0, rate, p.eta, ep.cost, 0.0, E});
    }
    if (on_epoch) on_epoch(ep);
    if (epoch + 1 < E && boundary(p, epoch + 1)) return interrupted();
  }
  std::vector<CooccurRecord>().swap(tiled_);
  p.stats.seconds = p.seconds_before + p.clock.seconds();
  for (const Matrix* m : {&w_, &c_})
    for (int64_t r = 0; r < m->rows(); ++r)
      for (int k = 0; k < args_.dim + 2; ++k)
        if (!std::isfinite(m->row(r)[k]))
          throw Error("training diverged (vectors contain NaN or Inf); try a smaller --eta");
  return p.stats;
}

GloveStats GloveTrainer::train(const CooccurReader& in) { return train(in, 0, in.records()); }

GloveStats GloveTrainer::train(const CooccurReader& in, uint64_t first, uint64_t n) {
  if (in.header().vocab_size != V_)
    throw Error("co-occurrence file '" + in.path() + "' was counted over " + std::to_string(in.header().vocab_size) +
                " words but the vocabulary has " + std::to_string(V_));
  n = std::min(n, in.records() - std::min(first, in.records()));
  return run(n, [&in, first, n](uint64_t pos, CooccurRecord* out, size_t k) {
    return in.read(first + pos, out, static_cast<size_t>(std::min<uint64_t>(k, n - std::min(pos, n))));
  });
}

GloveStats GloveTrainer::train(const std::vector<CooccurRecord>& recs) {
  for (size_t i = 0; i < recs.size(); ++i) {
    const auto& r = recs[i];
    if (r.word < 0 || r.word >= V_ || r.context < 0 || r.context >= V_ || !(r.count > 0.f) || !std::isfinite(r.count))
      throw Error("bad co-occurrence record " + std::to_string(i));
  }
  return run(recs.size(), [&](uint64_t first, CooccurRecord* out, size_t n) {
    n = static_cast<size_t>(std::min<uint64_t>(n, recs.size() - first));
    std::memcpy(out, recs.data() + first, n * sizeof(CooccurRecord));
    return n;
  });
}

}  // namespace wembed
