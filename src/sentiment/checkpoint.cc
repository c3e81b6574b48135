#include "wembed/sentiment/checkpoint.h"

#include <random>
#include <sstream>

#include "wembed/core/checkpoint_io.h"
#include "wembed/core/error.h"

namespace wembed {

namespace {

void writeMetrics(CheckpointWriter& f, const BinaryMetrics& m) {
  f.pod<int64_t>(m.tp);
  f.pod<int64_t>(m.fp);
  f.pod<int64_t>(m.tn);
  f.pod<int64_t>(m.fn);
  f.pod<double>(m.loss);
}

BinaryMetrics readMetrics(CheckpointReader& f) {
  BinaryMetrics m;
  m.tp = f.pod<int64_t>();
  m.fp = f.pod<int64_t>();
  m.tn = f.pod<int64_t>();
  m.fn = f.pod<int64_t>();
  m.loss = f.pod<double>();
  if (m.tp < 0 || m.fp < 0 || m.tn < 0 || m.fn < 0) f.fail("bad metrics");
  return m;
}

}  // namespace

void saveSentimentCheckpoint(const std::string& path, const SentimentCheckpoint& c, const SentimentArrays& a) {
  CheckpointWriter f(path, CheckpointKind::kSentiment);
  f.pod<uint32_t>(kSentimentCheckpointVersion);
  const SentimentTrainOptions& o = c.options;
  f.pod<uint8_t>(o.fine_tune ? 1 : 0);
  f.pod<int32_t>(o.batch);
  f.pod<int32_t>(o.epochs);
  f.pod<int32_t>(o.patience);
  f.pod<double>(o.lr);
  f.pod<double>(o.clip);
  f.pod<double>(o.dropout);
  f.pod<uint64_t>(o.seed);
  f.pod<int32_t>(o.threads);
  f.pod<int32_t>(o.bucket);
  f.pod<uint8_t>(o.split_batch ? 1 : 0);
  const NetConfig& n = c.config;
  f.pod<int32_t>(static_cast<int32_t>(n.cell));
  f.pod<int32_t>(n.embed_dim);
  f.pod<int32_t>(n.hidden);
  f.pod<int32_t>(n.layers);
  f.pod<uint8_t>(n.bidirectional ? 1 : 0);
  f.pod<int32_t>(static_cast<int32_t>(n.pooling));
  const SentimentRun& r = c.run;
  f.str(r.vectors);
  f.str(r.train);
  f.str(r.dev);
  f.str(r.model);
  f.pod<uint64_t>(r.vectors_bytes);
  f.pod<uint64_t>(r.train_bytes);
  f.pod<uint64_t>(r.dev_bytes);
  f.str(r.text_column);
  f.str(r.label_column);
  f.pod<int32_t>(r.max_len);
  f.pod<int64_t>(r.max_vocab);
  f.pod<int64_t>(c.embedding_rows);
  f.pod<int64_t>(c.train_examples);
  f.pod<int64_t>(c.dev_examples);
  f.pod<int32_t>(c.epoch);
  f.pod<int64_t>(c.batch);
  f.str(c.rng);
  f.pod<uint64_t>(c.step);
  f.pod<double>(c.loss_sum);
  f.pod<int64_t>(c.seen);
  f.pod<double>(c.epoch_seconds);
  f.pod<double>(c.best_acc);
  f.pod<double>(c.best_loss);
  f.pod<int32_t>(c.since_best);
  f.pod<int32_t>(c.result.best_epoch);
  writeMetrics(f, c.result.best_dev);
  f.pod<int32_t>(c.result.epochs_run);
  f.pod<double>(c.result.train_seconds);
  f.pod<int64_t>(c.result.sequences);
  const uint64_t table = static_cast<uint64_t>(a.table_rows) * static_cast<uint64_t>(n.embed_dim);
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
  const uint32_t version = f.pod<uint32_t>();
  if (version != kSentimentCheckpointVersion)
    f.fail("version " + std::to_string(version) + " (this wembed reads version " +
           std::to_string(kSentimentCheckpointVersion) + ")");
  auto flag = [&]() {
    const uint8_t v = f.pod<uint8_t>();
    if (v > 1) f.fail("bad flag");
    return v == 1;
  };
  SentimentCheckpoint c;
  SentimentTrainOptions& o = c.options;
  o.fine_tune = flag();
  o.batch = f.pod<int32_t>();
  o.epochs = f.pod<int32_t>();
  o.patience = f.pod<int32_t>();
  o.lr = f.pod<double>();
  o.clip = f.pod<double>();
  o.dropout = f.pod<double>();
  o.seed = f.pod<uint64_t>();
  o.threads = f.pod<int32_t>();
  o.bucket = f.pod<int32_t>();
  o.split_batch = flag();
  NetConfig& n = c.config;
  const int32_t cell = f.pod<int32_t>();
  if (cell < 0 || cell > 1) f.fail("bad settings");
  n.cell = static_cast<CellType>(cell);
  n.embed_dim = f.pod<int32_t>();
  n.hidden = f.pod<int32_t>();
  n.layers = f.pod<int32_t>();
  n.bidirectional = flag();
  const int32_t pooling = f.pod<int32_t>();
  if (pooling < 0 || pooling > 3) f.fail("bad settings");
  n.pooling = static_cast<Pooling>(pooling);
  try {
    o.validate();
    n.validate();
  } catch (const Error& e) {
    f.fail(std::string("bad settings: ") + e.what());
  }
  SentimentRun& r = c.run;
  r.vectors = f.str();
  r.train = f.str();
  r.dev = f.str();
  r.model = f.str();
  r.vectors_bytes = f.pod<uint64_t>();
  r.train_bytes = f.pod<uint64_t>();
  r.dev_bytes = f.pod<uint64_t>();
  r.text_column = f.str();
  r.label_column = f.str();
  r.max_len = f.pod<int32_t>();
  r.max_vocab = f.pod<int64_t>();
  c.embedding_rows = f.pod<int64_t>();
  c.train_examples = f.pod<int64_t>();
  c.dev_examples = f.pod<int64_t>();
  c.epoch = f.pod<int32_t>();
  c.batch = f.pod<int64_t>();
  c.rng = f.str();
  c.step = f.pod<uint64_t>();
  c.loss_sum = f.pod<double>();
  c.seen = f.pod<int64_t>();
  c.epoch_seconds = f.pod<double>();
  c.best_acc = f.pod<double>();
  c.best_loss = f.pod<double>();
  c.since_best = f.pod<int32_t>();
  c.result.best_epoch = f.pod<int32_t>();
  c.result.best_dev = readMetrics(f);
  c.result.epochs_run = f.pod<int32_t>();
  c.result.train_seconds = f.pod<double>();
  c.result.sequences = f.pod<int64_t>();
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
  c.dense.resize(layout.size);
  f.floats(c.dense.data(), layout.size, "weights");
  c.rows.resize(table_rows, cols);
  f.floats(c.rows.data(), table, "embedding rows");
  c.adam.t = f.pod<int64_t>();
  c.adam.m.resize(layout.size);
  f.floats(c.adam.m.data(), layout.size, "optimiser state");
  c.adam.v.resize(layout.size);
  f.floats(c.adam.v.data(), layout.size, "optimiser state");
  c.adam.tm.resize(table_rows, cols);
  f.floats(c.adam.tm.data(), table, "optimiser state");
  c.adam.tv.resize(table_rows, cols);
  f.floats(c.adam.tv.data(), table, "optimiser state");
  c.best_dense.resize(layout.size);
  f.floats(c.best_dense.data(), layout.size, "best weights");
  c.best_rows.resize(table_rows, cols);
  f.floats(c.best_rows.data(), table, "best embedding rows");
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
