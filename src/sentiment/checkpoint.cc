#include "wembed/sentiment/checkpoint.h"

#include <random>
#include <sstream>

#include "wembed/core/checkpoint_io.h"
#include "wembed/core/error.h"

namespace wembed {

namespace {

// The fields before the arrays are listed once (fields() below) and visited
// by Save, which writes each one, or by Load, which reads it into place and
// refuses flags other than 0/1 and enumerations out of range.
struct Save {
  CheckpointWriter& f;
  template <class T>
  void pod(const T& v) {
    f.pod<T>(v);
  }
  void flag(bool v) { f.pod<uint8_t>(v ? 1 : 0); }
  void str(const std::string& s) { f.str(s); }
  void identity(const FileIdentity& id) { f.identity(id); }
  template <class E>
  void enumeration(E v, int32_t /*max*/) {
    f.pod<int32_t>(static_cast<int32_t>(v));
  }
};

struct Load {
  CheckpointReader& f;
  template <class T>
  void pod(T& v) {
    v = f.pod<T>();
  }
  void flag(bool& v) {
    const uint8_t b = f.pod<uint8_t>();
    if (b > 1) f.fail("bad flag");
    v = b == 1;
  }
  void str(std::string& s) { s = f.str(); }
  void identity(FileIdentity& id) { id = f.identity(); }
  template <class E>
  void enumeration(E& v, int32_t max) {
    const int32_t x = f.pod<int32_t>();
    if (x < 0 || x > max) f.fail("bad settings");
    v = static_cast<E>(x);
  }
};

// The settings: training arguments, then the network. C is SentimentCheckpoint, const when saving.
template <class IO, class C>
void settingsFields(IO& io, C& c) {
  auto& o = c.args;
  io.flag(o.fine_tune);
  io.pod(o.batch);
  io.pod(o.epochs);
  io.pod(o.patience);
  io.pod(o.lr);
  io.pod(o.clip);
  io.pod(o.dropout);
  io.pod(o.seed);
  io.pod(o.threads);
  io.pod(o.bucket);
  io.flag(o.split_batch);
  auto& n = c.config;
  io.enumeration(n.cell, 1);
  io.pod(n.embed_dim);
  io.pod(n.hidden);
  io.pod(n.layers);
  io.flag(n.bidirectional);
  io.enumeration(n.pooling, 3);
}

// The run's inputs, the place in training and the totals so far.
template <class IO, class C>
void stateFields(IO& io, C& c) {
  auto& r = c.run;
  for (auto* s : {&r.vectors, &r.train, &r.dev, &r.model}) io.str(*s);
  for (auto* id : {&r.vectors_id, &r.train_id, &r.dev_id}) io.identity(*id);
  io.str(r.text_column);
  io.str(r.label_column);
  io.pod(r.max_len);
  io.pod(r.max_vocab);
  for (auto* n : {&c.embedding_rows, &c.train_examples, &c.dev_examples}) io.pod(*n);
  io.pod(c.epoch);
  io.pod(c.batch);
  io.str(c.rng);
  io.pod(c.step);
  io.pod(c.loss_sum);
  io.pod(c.seen);
  io.pod(c.epoch_seconds);
  io.pod(c.best_acc);
  io.pod(c.best_loss);
  io.pod(c.since_best);
  auto& res = c.result;
  io.pod(res.best_epoch);
  for (auto* n : {&res.best_dev.tp, &res.best_dev.fp, &res.best_dev.tn, &res.best_dev.fn}) io.pod(*n);
  io.pod(res.best_dev.loss);
  io.pod(res.epochs_run);
  io.pod(res.train_seconds);
  io.pod(res.sequences);
}

}  // namespace

void saveSentimentCheckpoint(const std::string& path, const SentimentCheckpoint& c, const SentimentArrays& a) {
  CheckpointWriter f(path, CheckpointKind::kSentiment);
  f.pod<uint32_t>(kSentimentCheckpointVersion);
  Save io{f};
  settingsFields(io, c);
  stateFields(io, c);
  const uint64_t table = static_cast<uint64_t>(a.table_rows) * static_cast<uint64_t>(c.config.embed_dim);
  f.pod<int64_t>(a.table_rows);
  f.floats(a.dense, a.dense_size);
  f.floats(a.rows, table);
  f.pod<int64_t>(a.adam_t);
  f.floats(a.m, a.dense_size);
  f.floats(a.v, a.dense_size);
  f.floats(a.tm, table);
  f.floats(a.tv, table);
  f.floats(a.best_dense, a.dense_size);
  f.floats(a.best_rows, table);
  f.commit();
}

SentimentCheckpoint loadSentimentCheckpoint(const std::string& path) {
  CheckpointReader f(path, CheckpointKind::kSentiment);
  f.checkVersion(kSentimentCheckpointVersion);
  SentimentCheckpoint c;
  Load io{f};
  settingsFields(io, c);
  const SentimentTrainArgs& o = c.args;
  const NetConfig& n = c.config;
  try {
    o.validate();
    n.validate();
  } catch (const Error& e) {
    f.fail(std::string("bad settings: ") + e.what());
  }
  stateFields(io, c);
  const BinaryMetrics& m = c.result.best_dev;
  if (m.tp < 0 || m.fp < 0 || m.tn < 0 || m.fn < 0) f.fail("bad metrics");
  const int64_t table_rows = f.pod<int64_t>();
  const NetLayout layout(n);
  const bool sizes_ok = n.embed_dim >= 1 && c.embedding_rows >= 2 && table_rows >= 1 &&
                        table_rows == (o.fine_tune ? c.embedding_rows : 1);
  if (!sizes_ok) f.fail("inconsistent contents");
  // Nothing is allocated that the file cannot fill: four arrays of the
  // weights (current, Adam's two moments, best) and four of the table rows
  // follow, so both sizes are checked against what is left before any of
  // them is sized (a configuration may ask for ~100 GB of weights).
  if (static_cast<uint64_t>(table_rows) > f.remaining() / (4 * sizeof(float)) / static_cast<uint64_t>(n.embed_dim))
    f.fail("truncated");
  const uint64_t table = static_cast<uint64_t>(table_rows) * static_cast<uint64_t>(n.embed_dim);
  if (layout.size > f.remaining() / (4 * sizeof(float)) || table + layout.size > f.remaining() / (4 * sizeof(float)))
    f.fail("truncated");
  const int64_t cols = n.embed_dim;
  auto dense = [&](AlignedVector<float>& v, const char* what) {
    v.resize(layout.size);
    f.floats(v.data(), layout.size, what);
  };
  auto rows = [&](RowMat<float>& r, const char* what) {
    r.resize(table_rows, cols);
    f.floats(r.data(), table, what);
  };
  dense(c.dense, "weights");
  rows(c.rows, "embedding rows");
  c.adam.t = f.pod<int64_t>();
  c.adam.m.resize(layout.size);
  f.floats(c.adam.m.data(), layout.size, "optimiser state");
  c.adam.v.resize(layout.size);
  f.floats(c.adam.v.data(), layout.size, "optimiser state");
  rows(c.adam.tm, "optimiser state");
  rows(c.adam.tv, "optimiser state");
  dense(c.best_dense, "best weights");
  rows(c.best_rows, "best embedding rows");
  f.finish();
  std::mt19937_64 probe;
  std::istringstream rs(c.rng);
  rs >> probe;
  const bool ok = !rs.fail() && c.epoch >= 1 && c.epoch <= o.epochs && c.batch >= 0 && c.seen >= 0 &&
                  c.train_examples >= 1 && c.dev_examples >= 1 && c.adam.t >= 0 &&
                  c.adam.t == static_cast<int64_t>(c.step) && c.since_best >= 0 &&
                  c.result.epochs_run == c.epoch - 1 && c.epoch_seconds >= 0;
  if (!ok) f.fail("inconsistent contents");
  return c;
}

}  // namespace wembed
