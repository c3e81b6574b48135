#include "wembed/sentiment/train.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>

#include "wembed/sentiment/adam.h"
#include "wembed/core/error.h"
#include "wembed/core/progress.h"
#include "wembed/core/range_check.h"
#include "wembed/core/threads.h"
#include "wembed/sentiment/checkpoint.h"
#include "core/testing_hooks.h"

namespace wembed {

void SentimentTrainArgs::validate() const {
  checkRange("--batch", batch, Range::closed(1, 100000));
  checkRange("--epochs", epochs, Range::closed(1, 100000));
  checkRange("--patience", patience, Range::closed(0, 100000).orZero("no early stopping"));
  checkRange("--lr", lr, Range::openLow(0, 10));
  checkRange("--clip", clip, Range::closed(0, 1e6).orZero("off"));
  checkRange("--dropout", dropout, Range::openHigh(0, 1));
  resolveThreads(threads);  // refuses a count out of range
  checkRange("--bucket", bucket, Range::closed(1, 100000));
}

int SentimentTrainArgs::effectiveThreads() const { return resolveThreads(threads); }

void BinaryMetrics::add(int label, float prob) {
  const bool pos = prob >= 0.5f;
  if (label == 1) (pos ? tp : fn)++;
  else (pos ? fp : tn)++;
  const double p = std::min(std::max(static_cast<double>(prob), 1e-12), 1.0 - 1e-12);
  loss -= label == 1 ? std::log(p) : std::log(1 - p);
}

double BinaryMetrics::accuracy() const { return total() ? static_cast<double>(tp + tn) / total() : 0; }
double BinaryMetrics::meanLoss() const { return total() ? loss / total() : 0; }

double BinaryMetrics::precision(int cls) const {
  const int64_t correct = cls ? tp : tn, predicted = cls ? tp + fp : tn + fn;
  return predicted ? static_cast<double>(correct) / predicted : 0;
}

double BinaryMetrics::recall(int cls) const {
  const int64_t correct = cls ? tp : tn, actual = cls ? tp + fn : tn + fp;
  return actual ? static_cast<double>(correct) / actual : 0;
}

double BinaryMetrics::f1(int cls) const {
  const double p = precision(cls), r = recall(cls);
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

std::vector<float> predictProbabilities(const NetParams<float>& net, const std::vector<Example>& data, int threads,
                                        int batch) {
  std::vector<float> probs(data.size());
  if (data.empty()) return probs;
  // Sort by length so each batch holds similar lengths.
  std::vector<int> idx(data.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return data[a].ids.size() > data[b].ids.size(); });
  const int nb = static_cast<int>((data.size() + batch - 1) / batch);
  const int nt = resolveThreads(threads);
  std::vector<NetWorkspace<float>> ws(nt);
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
  for (int k = 0; k < nb; ++k) {
    NetWorkspace<float>& w = ws[omp_get_thread_num()];
    const int begin = k * batch, n = std::min<int>(batch, static_cast<int>(data.size()) - begin);
    std::vector<const Example*> ptrs(n);
    for (int i = 0; i < n; ++i) ptrs[i] = &data[idx[begin + i]];
    netForward<float>(net, ptrs.data(), n, w, 0.0, 0);
    for (int i = 0; i < n; ++i) probs[idx[begin + i]] = w.prob[i];
  }
  return probs;
}

BinaryMetrics evaluate(const NetParams<float>& net, const std::vector<Example>& data, int threads) {
  const std::vector<float> p = predictProbabilities(net, data, threads);
  BinaryMetrics m;
  for (size_t i = 0; i < data.size(); ++i) m.add(data[i].label, p[i]);
  return m;
}

SentimentTrainer::SentimentTrainer(const SentimentTrainArgs& o, NetParams<float>& net) : o_(o), net_(net) {
  o_.validate();
}

SentimentTrainer::~SentimentTrainer() = default;

void SentimentTrainer::restore(SentimentCheckpoint&& c) {
  const SentimentTrainArgs& a = c.args;
  const NetConfig &x = c.config, &y = net_.config;
  if (a.fine_tune != o_.fine_tune || a.batch != o_.batch || a.epochs != o_.epochs || a.patience != o_.patience ||
      a.lr != o_.lr || a.clip != o_.clip || a.dropout != o_.dropout || a.seed != o_.seed || a.bucket != o_.bucket ||
      a.split_batch != o_.split_batch || a.threads != o_.effectiveThreads())
    throw Error("the checkpoint was written with other training settings");
  if (x.cell != y.cell || x.embed_dim != y.embed_dim || x.hidden != y.hidden || x.layers != y.layers ||
      x.bidirectional != y.bidirectional || x.pooling != y.pooling || c.embedding_rows != net_.embeddings.rows() ||
      c.dense.size() != net_.dense.size())
    throw Error("the checkpoint was written for another network or vocabulary");
  resume_ = std::make_unique<SentimentCheckpoint>(std::move(c));
}

namespace {

uint64_t mix(uint64_t a, uint64_t b) {
  uint64_t z = a * 0x9E3779B97F4A7C15ull + b + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// One epoch's minibatches: shuffle, cut into buckets of `bucket` batches,
// sort each bucket by length, cut into batches, shuffle the batches.
std::vector<std::vector<int>> makeBatches(const std::vector<Example>& data, int batch, int bucket, std::mt19937_64& rng) {
  std::vector<int> idx(data.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::shuffle(idx.begin(), idx.end(), rng);
  const size_t span = static_cast<size_t>(batch) * bucket;
  std::vector<std::vector<int>> batches;
  for (size_t s = 0; s < idx.size(); s += span) {
    const size_t e = std::min(idx.size(), s + span);
    std::stable_sort(idx.begin() + s, idx.begin() + e,
                     [&](int a, int b) { return data[a].ids.size() > data[b].ids.size(); });
    for (size_t b = s; b < e; b += batch) batches.emplace_back(idx.begin() + b, idx.begin() + std::min(e, b + batch));
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

// The state of one SentimentTrainer::train() call: the data, the optimiser,
// the best epoch so far, the place in the run and the checkpoint clock.
class TrainLoop {
 public:
  TrainLoop(const SentimentTrainer& t, const SentimentTrainArgs& o, NetParams<float>& net,
            const std::vector<Example>& train, const std::vector<Example>& dev);
  // Continue from a checkpoint (its arrays are moved out).
  void restore(SentimentCheckpoint& c);
  TrainResult run();

 private:
  // One minibatch: forward and backward passes (threads take parts of it),
  // reduction, clipping, the Adam step; adds the losses to loss_sum.
  void step(const std::vector<int>& bt, double& loss_sum);
  // The dev evaluation after an epoch, and model selection.
  EpochStats endEpoch(int epoch, double seconds, double loss_sum, int64_t seen);
  // Writes a checkpoint if one is due; returns true when training should stop (tests).
  bool checkpoint(int epoch, size_t batch, const std::mt19937_64& batch_rng, double loss_sum, int64_t seen,
                  double epoch_seconds);

  const SentimentTrainer& t_;
  const SentimentTrainArgs& o_;
  NetParams<float>& net_;
  const std::vector<Example>& train_;
  const std::vector<Example>& dev_;
  const int nt_, workers_;
  // Rows of the embedding table that can be trained: all, or the unknown-word row.
  const int64_t train_rows_;
  std::vector<NetWorkspace<float>> ws_;
  std::vector<NetGrad<float>> grads_;
  Adam adam_;
  // Best state so far (only the trainable part of the embedding table).
  AlignedVector<float> best_dense_;
  RowMat<float> best_emb_;
  std::mt19937_64 rng_;
  TrainResult result_;
  double best_acc_ = -1, best_loss_ = 0;
  int since_best_ = 0;
  uint64_t step_ = 0;
  // Where a resumed run starts: epoch, batch and the epoch's totals so far.
  int first_epoch_ = 1;
  size_t first_batch_ = 0;
  double loss0_ = 0, seconds0_ = 0;
  int64_t seen0_ = 0;
  // Checkpoints.
  Stopwatch ck_clock_;
  double ck_last_ = 0;
};

AdamArgs adamArgs(const SentimentTrainArgs& o) {
  AdamArgs a;
  a.lr = o.lr;
  return a;
}

TrainLoop::TrainLoop(const SentimentTrainer& t, const SentimentTrainArgs& o, NetParams<float>& net,
                     const std::vector<Example>& train, const std::vector<Example>& dev)
    : t_(t),
      o_(o),
      net_(net),
      train_(train),
      dev_(dev),
      nt_(o.effectiveThreads()),
      workers_(o.split_batch ? nt_ : 1),
      train_rows_(o.fine_tune ? net.embeddings.rows() : 1),
      ws_(workers_),
      grads_(workers_),
      adam_(adamArgs(o), net.dense.size(), train_rows_, static_cast<int>(net.embeddings.cols())),
      best_dense_(net.dense),
      best_emb_(net.embeddings.topRows(train_rows_)),
      rng_(o.seed) {
  Eigen::setNbThreads(o_.split_batch ? 1 : nt_);
  for (auto& g : grads_) g.reset(net_);
}

void TrainLoop::restore(SentimentCheckpoint& c) {
  if (c.train_examples != static_cast<int64_t>(train_.size()) || c.dev_examples != static_cast<int64_t>(dev_.size()))
    throw Error("the checkpoint was written for other training or dev data");
  std::istringstream rs(c.rng);
  rs >> rng_;
  if (rs.fail()) throw Error("the checkpoint holds a bad random state");
  adam_.setState(std::move(c.adam));
  net_.dense = c.dense;
  net_.embeddings.topRows(train_rows_) = c.rows;
  best_dense_ = std::move(c.best_dense);
  best_emb_ = std::move(c.best_rows);
  result_ = c.result;
  best_acc_ = c.best_acc;
  best_loss_ = c.best_loss;
  since_best_ = c.since_best;
  step_ = c.step;
  first_epoch_ = c.epoch;
  first_batch_ = static_cast<size_t>(c.batch);
  loss0_ = c.loss_sum;
  seen0_ = c.seen;
  seconds0_ = c.epoch_seconds;
}

bool TrainLoop::checkpoint(int epoch, size_t batch, const std::mt19937_64& batch_rng, double loss_sum, int64_t seen,
                           double epoch_seconds) {
  if (!t_.checkpointing.enabled() || ck_clock_.seconds() - ck_last_ < t_.checkpointing.every_seconds) return false;
  SentimentCheckpoint c;
  c.args = o_;
  c.args.threads = nt_;
  c.config = net_.config;
  if (t_.checkpoint_run) c.run = *t_.checkpoint_run;
  c.embedding_rows = net_.embeddings.rows();
  c.train_examples = static_cast<int64_t>(train_.size());
  c.dev_examples = static_cast<int64_t>(dev_.size());
  c.epoch = epoch;
  c.batch = static_cast<int64_t>(batch);
  std::ostringstream rs;
  rs << batch_rng;
  c.rng = rs.str();
  c.step = step_;
  c.loss_sum = loss_sum;
  c.seen = seen;
  c.epoch_seconds = epoch_seconds;
  c.best_acc = best_acc_;
  c.best_loss = best_loss_;
  c.since_best = since_best_;
  c.result = result_;
  SentimentArrays a;
  a.dense = net_.dense.data();
  a.rows = net_.embeddings.data();  // the top rows of a row-major table are contiguous
  a.m = adam_.denseMoment1().data();
  a.v = adam_.denseMoment2().data();
  a.tm = adam_.rowMoment1().data();
  a.tv = adam_.rowMoment2().data();
  a.best_dense = best_dense_.data();
  a.best_rows = best_emb_.data();
  a.dense_size = net_.dense.size();
  a.table_rows = train_rows_;
  a.adam_t = adam_.steps();
  saveSentimentCheckpoint(t_.checkpointing.path, c, a);
  ck_last_ = ck_clock_.seconds();
  if (t_.checkpointing.on_written) t_.checkpointing.on_written(t_.checkpointing.path);
  return testing::checkpointEndsRun();
}

void TrainLoop::step(const std::vector<int>& bt, double& loss_sum) {
  const int B = static_cast<int>(bt.size());
  const float scale = 1.0f / static_cast<float>(B);
  ++step_;
  std::vector<double> losses(workers_, 0.0);
  auto work = [&](int k) {
    // Interleaved parts of the (length-sorted) batch, so parts have similar work.
    std::vector<const Example*> part;
    for (int i = k; i < B; i += workers_) part.push_back(&train_[bt[i]]);
    grads_[k].zero();
    if (!part.empty()) {
      const int n = static_cast<int>(part.size());
      netForward<float>(net_, part.data(), n, ws_[k], o_.dropout, mix(o_.seed, step_ * 64 + k));
      losses[k] = netBackward<float>(net_, part.data(), n, ws_[k], grads_[k], scale, o_.fine_tune);
    }
  };
  if (workers_ == 1) {
    work(0);  // Eigen's products may use all threads
  } else {
#pragma omp parallel num_threads(workers_)
    work(omp_get_thread_num());
  }
  // Reduce into worker 0.
  NetGrad<float>& g = grads_[0];
  for (int k = 1; k < workers_; ++k) {
    const size_t n = g.dense.size();
    float* a = g.dense.data();
    const float* b = grads_[k].dense.data();
    for (size_t i = 0; i < n; ++i) a[i] += b[i];
    const SparseRows<float>& s = grads_[k].embeddings;
    for (size_t r = 0; r < s.ids.size(); ++r) g.embeddings.add(s.ids[r], s.rows.row(static_cast<int64_t>(r)).data());
  }
  for (double l : losses) loss_sum += l;
  // Global gradient norm clipping.
  double clip_scale = 1.0;
  if (o_.clip > 0) {
    double sq = 0;
    for (float v : g.dense) sq += static_cast<double>(v) * v;
    const int64_t nr = static_cast<int64_t>(g.embeddings.ids.size());
    if (nr) sq += g.embeddings.rows.topRows(nr).template cast<double>().squaredNorm();
    const double norm = std::sqrt(sq);
    if (norm > o_.clip) clip_scale = o_.clip / norm;
  }
  adam_.beginStep();
  adam_.updateDense(net_.dense.data(), g.dense.data(), clip_scale);
  if (!g.embeddings.ids.empty()) adam_.updateRows(net_.embeddings, g.embeddings.ids, g.embeddings.rows, clip_scale);
}

EpochStats TrainLoop::endEpoch(int epoch, double seconds, double loss_sum, int64_t seen) {
  EpochStats st;
  st.epoch = epoch;
  st.seconds = seconds;
  st.train_loss = loss_sum / std::max<int64_t>(seen, 1);
  st.seqs_per_sec = seen / std::max(st.seconds, 1e-9);
  st.dev = evaluate(net_, dev_, nt_);
  result_.train_seconds += st.seconds;
  result_.sequences += seen;
  result_.epochs_run = epoch;
  const double acc = st.dev.accuracy(), dl = st.dev.meanLoss();
  st.best = acc > best_acc_ || (acc == best_acc_ && dl < best_loss_);
  if (st.best) {
    best_acc_ = acc;
    best_loss_ = dl;
    since_best_ = 0;
    result_.best_epoch = epoch;
    result_.best_dev = st.dev;
    best_dense_ = net_.dense;
    best_emb_ = net_.embeddings.topRows(train_rows_);
  } else {
    ++since_best_;
  }
  return st;
}

TrainResult TrainLoop::run() {
  for (int epoch = first_epoch_; epoch <= o_.epochs; ++epoch) {
    const std::mt19937_64 epoch_rng = rng_;  // before this epoch's batches are drawn
    const auto batches = makeBatches(train_, o_.batch, o_.bucket, rng_);
    Stopwatch sw;
    double loss_sum = 0, seconds_before = 0;
    Throttle report;  // progress, once a second
    int64_t seen = 0, seen_before = 0;
    size_t start = 0;
    if (epoch == first_epoch_ && (first_batch_ > 0 || seen0_ > 0)) {
      if (first_batch_ >= batches.size()) throw Error("the checkpoint holds a position outside the training data");
      start = first_batch_;
      loss_sum = loss0_;
      seen = seen_before = seen0_;
      seconds_before = seconds0_;
    }
    for (size_t bi = start; bi < batches.size(); ++bi) {
      step(batches[bi], loss_sum);
      seen += static_cast<int64_t>(batches[bi].size());
      if (t_.on_progress) {
        const double el = sw.seconds();
        if (report.due(el, bi + 1 == batches.size())) {
          const double frac = static_cast<double>(seen) / train_.size();
          const double rate = (seen - seen_before) / std::max(el, 1e-9);
          t_.on_progress(Progress{frac, rate, o_.lr, loss_sum / seen, (train_.size() - seen) / std::max(rate, 1e-9), epoch});
        }
      }
      if (bi + 1 < batches.size() && checkpoint(epoch, bi + 1, epoch_rng, loss_sum, seen, seconds_before + sw.seconds())) {
        result_.interrupted = true;
        return result_;
      }
    }
    const EpochStats st = endEpoch(epoch, seconds_before + sw.seconds(), loss_sum, seen);
    if (t_.on_epoch) t_.on_epoch(st);
    if (st.best && t_.on_best) t_.on_best(st);
    if (o_.patience > 0 && since_best_ >= o_.patience) break;
    if (epoch < o_.epochs && checkpoint(epoch + 1, 0, rng_, 0, 0, 0)) {
      result_.interrupted = true;
      return result_;
    }
  }
  net_.dense = best_dense_;
  net_.embeddings.topRows(train_rows_) = best_emb_;
  return result_;
}

}  // namespace

TrainResult SentimentTrainer::train(const std::vector<Example>& train, const std::vector<Example>& dev) {
  if (train.empty()) throw Error("no training examples");
  if (dev.empty()) throw Error("no dev examples");
  for (const auto* set : {&train, &dev})
    for (const Example& e : *set)
      if (e.label != 0 && e.label != 1) throw Error("labels must be 0 or 1");
  TrainLoop loop(*this, o_, net_, train, dev);
  if (resume_) {
    loop.restore(*resume_);
    resume_.reset();
  }
  return loop.run();
}

}  // namespace wembed
