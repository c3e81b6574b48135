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
#include "wembed/core/threads.h"
#include "wembed/sentiment/checkpoint.h"

namespace wembed {

void SentimentTrainOptions::validate() const {
  if (batch < 1) throw Error("--batch must be at least 1");
  if (epochs < 1) throw Error("--epochs must be at least 1");
  if (patience < 0) throw Error("--patience must be 0 (no early stopping) or more");
  if (!(lr > 0)) throw Error("--lr must be positive");
  if (!(clip >= 0)) throw Error("--clip must be 0 (off) or positive");
  if (!(dropout >= 0 && dropout < 1)) throw Error("--dropout must be in [0, 1)");
  if (threads < 0) throw Error("--threads must be 0 (all cores) or more");
  if (bucket < 1) throw Error("--bucket must be at least 1");
}

int SentimentTrainOptions::effectiveThreads() const { return resolveThreads(threads); }

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

SentimentTrainer::SentimentTrainer(const SentimentTrainOptions& o, NetParams<float>& net) : o_(o), net_(net) {
  o_.validate();
}

SentimentTrainer::~SentimentTrainer() = default;

void SentimentTrainer::restore(SentimentCheckpoint&& c) {
  const SentimentTrainOptions& a = c.options;
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

}  // namespace

TrainResult SentimentTrainer::train(const std::vector<Example>& train, const std::vector<Example>& dev) {
  if (train.empty()) throw Error("no training examples");
  if (dev.empty()) throw Error("no dev examples");
  for (const auto* set : {&train, &dev})
    for (const Example& e : *set)
      if (e.label != 0 && e.label != 1) throw Error("labels must be 0 or 1");

  const int nt = o_.effectiveThreads();
  const int workers = o_.split_batch ? nt : 1;
  Eigen::setNbThreads(o_.split_batch ? 1 : nt);
  std::vector<NetWorkspace<float>> ws(workers);
  std::vector<NetGrad<float>> grads(workers);
  for (auto& g : grads) g.reset(net_);
  // Rows of the embedding table that can be trained: all, or the unknown-word row.
  const int64_t train_rows = o_.fine_tune ? net_.embeddings.rows() : 1;
  AdamOptions ao;
  ao.lr = o_.lr;
  Adam adam(ao, net_.dense.size(), train_rows, static_cast<int>(net_.embeddings.cols()));

  // Best state so far (only the trainable part of the embedding table).
  AlignedVector<float> best_dense = net_.dense;
  RowMat<float> best_emb = net_.embeddings.topRows(train_rows);

  std::mt19937_64 rng(o_.seed);
  TrainResult result;
  double best_acc = -1, best_loss = 0;
  int since_best = 0;
  uint64_t step = 0;
  // Where a resumed run starts: epoch, batch and the epoch's totals so far.
  int first_epoch = 1;
  size_t first_batch = 0;
  double loss0 = 0, seconds0 = 0;
  int64_t seen0 = 0;
  if (resume_) {
    SentimentCheckpoint& c = *resume_;
    if (c.train_examples != static_cast<int64_t>(train.size()) || c.dev_examples != static_cast<int64_t>(dev.size()))
      throw Error("the checkpoint was written for other training or dev data");
    std::istringstream rs(c.rng);
    rs >> rng;
    if (rs.fail()) throw Error("the checkpoint holds a bad random state");
    adam.setState(std::move(c.adam));
    net_.dense = c.dense;
    net_.embeddings.topRows(train_rows) = c.rows;
    best_dense = std::move(c.best_dense);
    best_emb = std::move(c.best_rows);
    result = c.result;
    best_acc = c.best_acc;
    best_loss = c.best_loss;
    since_best = c.since_best;
    step = c.step;
    first_epoch = c.epoch;
    first_batch = static_cast<size_t>(c.batch);
    loss0 = c.loss_sum;
    seen0 = c.seen;
    seconds0 = c.epoch_seconds;
    resume_.reset();
  }

  // Checkpoints; returns true when training should stop (tests).
  Stopwatch ck_clock;
  double ck_last = 0;
  int ck_written = 0;
  auto checkpoint = [&](int epoch, size_t batch, const std::mt19937_64& batch_rng, double loss_sum, int64_t seen,
                        double epoch_seconds) {
    if (!checkpointing.enabled() || ck_clock.seconds() - ck_last < checkpointing.every_seconds) return false;
    SentimentCheckpoint c;
    c.options = o_;
    c.options.threads = nt;
    c.config = net_.config;
    if (checkpoint_run) c.run = *checkpoint_run;
    c.embedding_rows = net_.embeddings.rows();
    c.train_examples = static_cast<int64_t>(train.size());
    c.dev_examples = static_cast<int64_t>(dev.size());
    c.epoch = epoch;
    c.batch = static_cast<int64_t>(batch);
    std::ostringstream rs;
    rs << batch_rng;
    c.rng = rs.str();
    c.step = step;
    c.loss_sum = loss_sum;
    c.seen = seen;
    c.epoch_seconds = epoch_seconds;
    c.best_acc = best_acc;
    c.best_loss = best_loss;
    c.since_best = since_best;
    c.result = result;
    SentimentArrays a;
    a.dense = net_.dense.data();
    a.rows = net_.embeddings.data();  // the top rows of a row-major table are contiguous
    a.m = adam.denseMoment1().data();
    a.v = adam.denseMoment2().data();
    a.tm = adam.rowMoment1().data();
    a.tv = adam.rowMoment2().data();
    a.best_dense = best_dense.data();
    a.best_rows = best_emb.data();
    a.dense_size = net_.dense.size();
    a.table_rows = train_rows;
    a.adam_t = adam.steps();
    saveSentimentCheckpoint(checkpointing.path, c, a);
    ck_last = ck_clock.seconds();
    if (checkpointing.on_written) checkpointing.on_written(checkpointing.path);
    return stop_after_checkpoints_ > 0 && ++ck_written >= stop_after_checkpoints_;
  };

  for (int epoch = first_epoch; epoch <= o_.epochs; ++epoch) {
    const std::mt19937_64 epoch_rng = rng;  // before this epoch's batches are drawn
    const auto batches = makeBatches(train, o_.batch, o_.bucket, rng);
    Stopwatch sw;
    double loss_sum = 0, seconds_before = 0;
    Throttle report;  // progress, once a second
    int64_t seen = 0, seen_before = 0;
    size_t start = 0;
    if (epoch == first_epoch && (first_batch > 0 || seen0 > 0)) {
      if (first_batch >= batches.size()) throw Error("the checkpoint holds a position outside the training data");
      start = first_batch;
      loss_sum = loss0;
      seen = seen_before = seen0;
      seconds_before = seconds0;
    }
    for (size_t bi = start; bi < batches.size(); ++bi) {
      const std::vector<int>& bt = batches[bi];
      const int B = static_cast<int>(bt.size());
      const float scale = 1.0f / static_cast<float>(B);
      ++step;
      std::vector<double> losses(workers, 0.0);
      auto work = [&](int k) {
        // Interleaved parts of the (length-sorted) batch, so parts have similar work.
        std::vector<const Example*> part;
        for (int i = k; i < B; i += workers) part.push_back(&train[bt[i]]);
        grads[k].zero();
        if (!part.empty()) {
          const int n = static_cast<int>(part.size());
          netForward<float>(net_, part.data(), n, ws[k], o_.dropout, mix(o_.seed, step * 64 + k));
          losses[k] = netBackward<float>(net_, part.data(), n, ws[k], grads[k], scale, o_.fine_tune);
        }
      };
      if (workers == 1) {
        work(0);  // Eigen's products may use all threads
      } else {
#pragma omp parallel num_threads(workers)
        work(omp_get_thread_num());
      }
      // Reduce into worker 0.
      NetGrad<float>& g = grads[0];
      for (int k = 1; k < workers; ++k) {
        const size_t n = g.dense.size();
        float* a = g.dense.data();
        const float* b = grads[k].dense.data();
        for (size_t i = 0; i < n; ++i) a[i] += b[i];
        const SparseRows<float>& s = grads[k].embeddings;
        for (size_t r = 0; r < s.ids.size(); ++r) g.embeddings.add(s.ids[r], s.rows.row(static_cast<int64_t>(r)).data());
      }
      for (double l : losses) loss_sum += l;
      seen += B;
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
      adam.beginStep();
      adam.updateDense(net_.dense.data(), g.dense.data(), clip_scale);
      if (!g.embeddings.ids.empty()) adam.updateRows(net_.embeddings, g.embeddings.ids, g.embeddings.rows, clip_scale);

      if (on_progress) {
        const double el = sw.seconds();
        if (report.due(el, bi + 1 == batches.size())) {
          const double frac = static_cast<double>(seen) / train.size();
          const double rate = (seen - seen_before) / std::max(el, 1e-9);
          on_progress(Progress{frac, rate, o_.lr, loss_sum / seen, (train.size() - seen) / std::max(rate, 1e-9), epoch});
        }
      }
      if (bi + 1 < batches.size() && checkpoint(epoch, bi + 1, epoch_rng, loss_sum, seen, seconds_before + sw.seconds())) {
        result.interrupted = true;
        return result;
      }
    }
    EpochStats st;
    st.epoch = epoch;
    st.seconds = seconds_before + sw.seconds();
    st.train_loss = loss_sum / std::max<int64_t>(seen, 1);
    st.seqs_per_sec = seen / std::max(st.seconds, 1e-9);
    st.dev = evaluate(net_, dev, nt);
    result.train_seconds += st.seconds;
    result.sequences += seen;
    result.epochs_run = epoch;
    const double acc = st.dev.accuracy(), dl = st.dev.meanLoss();
    st.best = acc > best_acc || (acc == best_acc && dl < best_loss);
    if (st.best) {
      best_acc = acc;
      best_loss = dl;
      since_best = 0;
      result.best_epoch = epoch;
      result.best_dev = st.dev;
      best_dense = net_.dense;
      best_emb = net_.embeddings.topRows(train_rows);
    } else {
      ++since_best;
    }
    if (on_epoch) on_epoch(st);
    if (st.best && on_best) on_best(st);
    if (o_.patience > 0 && since_best >= o_.patience) break;
    if (epoch < o_.epochs && checkpoint(epoch + 1, 0, rng, 0, 0, 0)) {
      result.interrupted = true;
      return result;
    }
  }
  net_.dense = best_dense;
  net_.embeddings.topRows(train_rows) = best_emb;
  return result;
}

}  // namespace wembed
