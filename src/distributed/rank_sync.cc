#include "distributed/rank_sync.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#include "wembed/core/progress.h"
#include "wembed/distributed/comm.h"

namespace wembed {

namespace {
constexpr int64_t kChunkFloats = int64_t(1) << 20;  // 4 MB averaged at a time while training runs
}

RankSync::RankSync(Matrix& in, Matrix& out, int32_t vocab, bool hs, const SyncSettings& a,
                   const std::atomic<int64_t>& words, std::atomic<int64_t>& others, std::atomic<bool>& abort,
                   int threads, double checkpoint_every, std::function<bool(RankSync&)> take_checkpoint)
    : in_(in), out_(out), mean_(a.mean), mean_rows_(a.mean_rows), vocab_(vocab), hs_(hs), every_seconds_(a.seconds),
      every_words_(a.words), checkpoint_every_(checkpoint_every), take_checkpoint_(std::move(take_checkpoint)),
      words_(words), others_(others), abort_(abort), running_(threads), buf_(kChunkFloats), snap_(kChunkFloats) {
  if (!mean_) {  // every rank starts from the same matrices (the same seed)
    in_base_ = Matrix(in.rows(), in.cols());
    out_base_ = Matrix(out.rows(), out.cols());
    std::copy(in.row(0), in.row(0) + in.rows() * in.stride(), in_base_.row(0));
    std::copy(out.row(0), out.row(0) + out.rows() * out.stride(), out_base_.row(0));
  }
  thread_ = std::thread([this] {
    try {
      loop();
    } catch (...) {  // a collective failed, or another rank stopped alone: finish() throws it
      error_ = std::current_exception();
      any_failed_ = true;
      abort_.store(true);
    }
  });
}

RankSync::~RankSync() {
  if (thread_.joinable()) thread_.join();
}

void RankSync::threadDone() {
  std::lock_guard<std::mutex> lock(mu_);
  --running_;
  cv_.notify_all();
}

void RankSync::failed() {
  std::lock_guard<std::mutex> lock(mu_);
  failed_ = true;
  cv_.notify_all();
}

bool RankSync::finish() {
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return any_failed_;
}

// Until the next synchronisation is due (by the clock, or by the words read
// when every_words_ > 0), or this rank's training has ended or failed.
void RankSync::waitDue(double next_due, int64_t next_words) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto stop = [&] { return running_ == 0 || failed_; };
  if (every_words_ > 0) {
    while (!stop() && words_.load(std::memory_order_relaxed) < next_words)
      cv_.wait_for(lock, std::chrono::milliseconds(1));
    return;
  }
  const double wait = next_due - clock_.seconds();
  if (wait > 0) cv_.wait_for(lock, std::chrono::duration<double>(wait), stop);
}

void RankSync::loop() {
  const int ranks = distributed::size();
  double next_due = every_seconds_, last_checkpoint = 0;
  for (int step = 0;; ++step) {
    waitDue(next_due, words_.load(std::memory_order_relaxed) + every_words_);
    const Stopwatch t;
    int64_t msg[4];
    {
      std::lock_guard<std::mutex> lock(mu_);
      msg[0] = running_ == 0 ? 1 : 0;
      msg[1] = failed_ ? 1 : 0;
    }
    msg[2] = words_.load(std::memory_order_relaxed);
    msg[3] = take_checkpoint_ && distributed::rank() == 0 && clock_.seconds() - last_checkpoint >= checkpoint_every_;
    const int64_t mine = msg[2];
    distributed::allreduceSum(msg, 4);
    others_.store(msg[2] - mine, std::memory_order_relaxed);
    if (msg[1] > 0 && !any_failed_) {
      any_failed_ = true;
      abort_.store(true);
    }
    const bool all_done = msg[0] == ranks;
    if (!any_failed_) {
      if (all_done) {
        averageAll();
      } else if (msg[3] > 0) {
        last_checkpoint = clock_.seconds();
        if (take_checkpoint_(*this)) {
          any_failed_ = true;
          abort_.store(true);
        }
      } else {
        averageStep(step);
      }
      ++fig_.syncs;
    }
    fig_.seconds += t.seconds();
    if (all_done) return;
    next_due = clock_.seconds() + every_seconds_;
  }
}

void RankSync::averageAll() { averageMatrices(in_.rows(), out_.rows(), true); }

void RankSync::averageStep(int step) {
  if ((step + 1) % kFullEvery == 0) return averageMatrices(in_.rows(), out_.rows(), false);
  const int64_t hot = std::max<int64_t>(1, (static_cast<int64_t>(vocab_) + kHotShare - 1) / kHotShare);
  averageMatrices(std::min(hot, in_.rows()), std::min(hot, out_.rows()), false);
}

// Input rows [0, in_hi) and out_rows output rows: the first ones, or with
// hierarchical softmax the last ones (the inner nodes near the root, on the
// frequent words' paths).
void RankSync::averageMatrices(int64_t in_hi, int64_t out_rows, bool settled) {
  const int64_t m_in = std::min(mean_rows_, in_.rows());
  const int64_t m_out = std::min(mean_rows_, out_.rows());
  averageRows(in_, in_base_, 0, in_hi, 0, m_in, settled);
  if (hs_) averageRows(out_, out_base_, out_.rows() - out_rows, out_.rows(), out_.rows() - m_out, out_.rows(), settled);
  else averageRows(out_, out_base_, 0, out_rows, 0, m_out, settled);
}

// Rows [lo, hi) of m combined over the ranks: their mean (mean_), or
// base plus every rank's change since base. The training threads may be
// writing to them: what they add meanwhile is kept (row += new - snapshot).
// settled: no thread writes (all ended or parked), and every rank takes the
// combined value itself (row + (new - row) may round differently on each).
void RankSync::averageRows(Matrix& m, Matrix& base, int64_t lo, int64_t hi, int64_t mean_lo, int64_t mean_hi,
                           bool settled) {
  if (hi <= lo) return;
  // In sum mode, the changes of rows [mean_lo, mean_hi) are averaged (scaled by 1/N).
  const int64_t D = m.stride();
  const int64_t ms = (std::max(mean_lo, lo) - lo) * D, me = (std::max(mean_hi, lo) - lo) * D;
  const float scale = 1.0f / static_cast<float>(distributed::size());
  float* p = m.row(lo);
  const float* b = mean_ ? nullptr : base.row(lo);
  float* nb = mean_ ? nullptr : base.row(lo);
  const int64_t n = (hi - lo) * m.stride();
  fig_.bytes += n * static_cast<int64_t>(sizeof(float));
  for (int64_t i = 0; i < n; i += kChunkFloats) {
    const int64_t k = std::min(kChunkFloats, n - i);
    float* q = p + i;
    std::copy(q, q + k, snap_.data());
    if (mean_) {
      std::copy(snap_.data(), snap_.data() + k, buf_.data());
    } else {
      for (int64_t j = 0; j < k; ++j) buf_[j] = snap_[j] == b[i + j] ? 0.f : snap_[j] - b[i + j];
    }
    distributed::allreduceSum(buf_.data(), k);
    if (mean_ && settled) {
      for (int64_t j = 0; j < k; ++j) q[j] = buf_[j] * scale;
    } else if (mean_) {
      for (int64_t j = 0; j < k; ++j) q[j] += buf_[j] * scale - snap_[j];
    } else {
      for (int64_t j = 0; j < k; ++j) {
        const bool averaged = i + j >= ms && i + j < me;
        const float now = b[i + j] + (averaged ? buf_[j] * scale : buf_[j]);
        if (settled) q[j] = now;
        else q[j] += now == snap_[j] ? 0.f : now - snap_[j];
        nb[i + j] = now;
      }
    }
  }
}

}  // namespace wembed
