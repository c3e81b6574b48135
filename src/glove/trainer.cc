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
#include "wembed/core/threads.h"
#include "core/testing_hooks.h"
#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace wembed {

void GloveArgs::validate() const {
  if (dim < 1 || dim > 10000) throw Error("--dim must be between 1 and 10000");
  if (epochs < 1 || epochs > 100000) throw Error("--epochs must be between 1 and 100000");
  if (!(x_max > 0) || !std::isfinite(x_max)) throw Error("--x-max must be a positive number");
  if (!(alpha >= 0) || alpha > 10) throw Error("--alpha-weight must be in [0, 10]");
  if (!(eta > 0) || eta > 10 || !std::isfinite(eta)) throw Error("--eta must be a positive number");
  if (!(grad_clip >= 0) || !std::isfinite(grad_clip)) throw Error("--grad-clip must be >= 0 (0: off)");
  if (threads < 0 || threads > 1024) throw Error("--threads must be between 0 (all cores) and 1024");
  if (!(memory_gb > 0) || !std::isfinite(memory_gb)) throw Error("--memory must be a positive number of GB");
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

#if defined(__AVX512F__)
// GCC 12 warns about _mm512_min_ps/_mm512_max_ps's internal "undefined"
// pass-through operand (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
void gloveUpdate(float* __restrict w, float* __restrict c, float* __restrict gw, float* __restrict gc, float g,
                 float clip, int n) {
  const __m512 gv = _mm512_set1_ps(g), hi = _mm512_set1_ps(clip), lo = _mm512_set1_ps(-clip);
  for (int i = 0; i < n; i += 16) {
    const __m512 W = _mm512_load_ps(w + i), C = _mm512_load_ps(c + i);
    const __m512 GW = _mm512_load_ps(gw + i), GC = _mm512_load_ps(gc + i);
    const __m512 t1 = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(gv, C), lo), hi);
    const __m512 t2 = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(gv, W), lo), hi);
    _mm512_store_ps(w + i, _mm512_sub_ps(W, _mm512_div_ps(t1, _mm512_sqrt_ps(GW))));
    _mm512_store_ps(c + i, _mm512_sub_ps(C, _mm512_div_ps(t2, _mm512_sqrt_ps(GC))));
    _mm512_store_ps(gw + i, _mm512_fmadd_ps(t1, t1, GW));
    _mm512_store_ps(gc + i, _mm512_fmadd_ps(t2, t2, GC));
  }
}
#pragma GCC diagnostic pop
#elif defined(__AVX2__) && defined(__FMA__)
void gloveUpdate(float* __restrict w, float* __restrict c, float* __restrict gw, float* __restrict gc, float g,
                 float clip, int n) {
  const __m256 gv = _mm256_set1_ps(g), hi = _mm256_set1_ps(clip), lo = _mm256_set1_ps(-clip);
  for (int i = 0; i < n; i += 8) {
    const __m256 W = _mm256_load_ps(w + i), C = _mm256_load_ps(c + i);
    const __m256 GW = _mm256_load_ps(gw + i), GC = _mm256_load_ps(gc + i);
    const __m256 t1 = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(gv, C), lo), hi);
    const __m256 t2 = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(gv, W), lo), hi);
    _mm256_store_ps(w + i, _mm256_sub_ps(W, _mm256_div_ps(t1, _mm256_sqrt_ps(GW))));
    _mm256_store_ps(c + i, _mm256_sub_ps(C, _mm256_div_ps(t2, _mm256_sqrt_ps(GC))));
    _mm256_store_ps(gw + i, _mm256_fmadd_ps(t1, t1, GW));
    _mm256_store_ps(gc + i, _mm256_fmadd_ps(t2, t2, GC));
  }
}
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

GloveStats GloveTrainer::run(uint64_t N, const std::function<size_t(uint64_t, CooccurRecord*, size_t)>& fetch) {
  GloveStats stats;
  stats.records = N;
  if (N == 0) throw Error("the co-occurrence data holds no records");
  const bool tiled = tiles(N);
  if (tiled) loadTiled(N, fetch);
  stats.tiled = tiled;
  const int T = static_cast<int>(std::min<uint64_t>(threads_, std::max<uint64_t>(1, N / 64)));
  const int S = S_;
  const float x_max = static_cast<float>(args_.x_max);
  const float log_xmax = std::log(x_max);
  const float alpha = static_cast<float>(args_.alpha);
  const float eta = static_cast<float>(args_.eta);
  const float clip = args_.grad_clip > 0 ? static_cast<float>(args_.grad_clip) : FLT_MAX;
  const int E = args_.epochs;
  Stopwatch clock;
  std::vector<Published> pub(T);
  std::atomic<bool> abort{false};
  std::exception_ptr error;
  std::mutex error_mu;
  Throttle report;  // progress, once a second
  // Non-empty tiles, visited in a new random order every epoch (each
  // epoch's shuffle permutes the previous order).
  std::vector<uint32_t> order;
  if (tiled)
    for (size_t t = 0; t + 1 < tile_start_.size(); ++t)
      if (tile_start_[t + 1] > tile_start_[t]) order.push_back(static_cast<uint32_t>(t));

  int first_epoch = 0;
  double seconds_before = 0;
  if (resume_) {
    if (resume_->records != N)
      throw Error("the checkpoint was written for " + std::to_string(resume_->records) +
                  " co-occurrence records, not " + std::to_string(N));
    std::vector<uint32_t> saved = resume_->tile_order;
    std::sort(saved.begin(), saved.end());
    if (saved != (tiled ? order : std::vector<uint32_t>()))
      throw Error("the checkpoint's tile order does not match the co-occurrence data");
    if (tiled) order = resume_->tile_order;
    first_epoch = resume_->epochs_done;
    stats.epochs = resume_->history;
    seconds_before = resume_->seconds;
  }
  const bool resumed = resume_ != nullptr;
  resume_.reset();

  // Checkpoints at epoch boundaries; returns true when training should stop (tests).
  double last_save = -checkpoint_elapsed;
  auto boundary = [&](int epochs_done) {
    if (!checkpointing.enabled() || clock.seconds() - last_save < checkpointing.every_seconds) return false;
    GloveCheckpoint ck;
    ck.args = args_;
    ck.args.threads = threads_;
    if (checkpoint_run) ck.run = *checkpoint_run;
    ck.records = N;
    ck.epochs_done = epochs_done;
    ck.history = stats.epochs;
    if (tiled) ck.tile_order = order;
    ck.seconds = seconds_before + clock.seconds();
    saveGloveCheckpoint(checkpointing.path, ck, w_, c_);
    last_save = clock.seconds();
    if (checkpointing.on_written) checkpointing.on_written(checkpointing.path);
    return testing::checkpointEndsRun();
  };
  auto interrupted = [&]() {
    std::vector<CooccurRecord>().swap(tiled_);
    stats.interrupted = true;
    stats.seconds = seconds_before + clock.seconds();
    return stats;
  };
  if (!resumed && first_epoch < E && boundary(0)) return interrupted();

  for (int epoch = first_epoch; epoch < E; ++epoch) {
    const double epoch_start = clock.seconds();
    for (auto& p : pub) {
      p.cost = 0;
      p.done = 0;
    }
    if (tiled) {
      Rng rng(args_.seed * 0x9E3779B97F4A7C15ull + 7919ull * (epoch + 1));
      for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(static_cast<uint32_t>(i))]);
    }
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
        pub[tid].cost.store(cost, std::memory_order_relaxed);
        pub[tid].done.store(done, std::memory_order_relaxed);
        if (tid == 0 && on_progress) {
          const double now = clock.seconds();
          if (report.due(now)) {
            double c = 0;
            uint64_t d = 0;
            for (auto& p : pub) {
              c += p.cost.load(std::memory_order_relaxed);
              d += p.done.load(std::memory_order_relaxed);
            }
            const double frac = (epoch + static_cast<double>(d) / N) / E;
            // This session's share (a resumed run started at first_epoch).
            const double here = epoch - first_epoch + static_cast<double>(d) / N;
            const double rate = here * N / std::max(1e-9, now) / T;
            const double left = here > 0 ? now * (E - first_epoch - here) / here : 0.0;
            on_progress(Progress{frac, rate, eta, d ? c / d : 0.0, left, epoch + 1});
          }
        }
      };
      try {
        if (tiled) {
#pragma omp for schedule(dynamic, 1)
          for (size_t i = 0; i < order.size(); ++i) {
            if (abort.load(std::memory_order_relaxed)) continue;
            const uint64_t b = tile_start_[order[i]], e = tile_start_[order[i] + 1];
            for (uint64_t p = b; p < e; p += kChunk)
              process(tiled_.data() + p, static_cast<size_t>(std::min<uint64_t>(kChunk, e - p)));
          }
        } else {
          std::vector<CooccurRecord> buf(kChunk);
          const uint64_t begin = N * tid / T, end = N * (tid + 1) / T;
          for (uint64_t pos = begin; pos < end && !abort.load(std::memory_order_relaxed);) {
            const size_t n = fetch(pos, buf.data(), static_cast<size_t>(std::min<uint64_t>(kChunk, end - pos)));
            if (n == 0) throw Error("unexpected end of the co-occurrence data");
            process(buf.data(), n);
            pos += n;
          }
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (!error) error = std::current_exception();
        abort = true;
      }
    }
    if (error) std::rethrow_exception(error);
    double c = 0;
    for (auto& p : pub) c += p.cost.load();
    GloveEpoch ep{epoch + 1, c / N, clock.seconds() - epoch_start};
    if (!std::isfinite(ep.cost))
      throw Error("training diverged in epoch " + std::to_string(epoch + 1) + " (cost is not finite); try a smaller --eta");
    stats.epochs.push_back(ep);
    if (on_epoch) on_epoch(ep);
    if (epoch + 1 < E && boundary(epoch + 1)) return interrupted();
  }
  std::vector<CooccurRecord>().swap(tiled_);
  stats.seconds = seconds_before + clock.seconds();
  for (const Matrix* m : {&w_, &c_})
    for (int64_t r = 0; r < m->rows(); ++r)
      for (int k = 0; k < args_.dim + 2; ++k)
        if (!std::isfinite(m->row(r)[k]))
          throw Error("training diverged (vectors contain NaN or Inf); try a smaller --eta");
  return stats;
}

GloveStats GloveTrainer::train(const CooccurReader& in) {
  if (in.header().vocab_size != V_)
    throw Error("co-occurrence file '" + in.path() + "' was counted over " + std::to_string(in.header().vocab_size) +
                " words but the vocabulary has " + std::to_string(V_));
  return run(in.records(), [&](uint64_t first, CooccurRecord* out, size_t n) { return in.read(first, out, n); });
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
