#pragma once
// Sentiment classifier training checkpoints: everything `wembed sentiment
// train --resume` needs to continue a run between two minibatches and end
// with the model of an uninterrupted run: the inputs (paths, sizes, hashes) and
// settings, the parameters that train, Adam's moments and step count, the
// place in the epoch (epoch, next batch, the batch RNG's state when the
// epoch's batches were drawn, the epoch's loss so far), the minibatch count
// (it seeds the dropout masks), model selection (best dev accuracy, its
// parameters, epochs since it improved) and the totals so far. Framed as
// every checkpoint (checkpoint_io.h), magic WEMBCKSN.
#include <cstdint>
#include <string>

#include "wembed/core/file_identity.h"
#include "wembed/sentiment/adam.h"
#include "wembed/sentiment/net.h"
#include "wembed/sentiment/train.h"

namespace wembed {

// What the command trained on and writes (the trainer itself uses none of it).
struct SentimentRun {
  std::string vectors, train, dev, model;
  FileIdentity vectors_id, train_id, dev_id;  // sizes and hashes at the start
  std::string text_column, label_column;
  int32_t max_len = 0;
  int64_t max_vocab = 0;
};

struct SentimentCheckpoint {
  SentimentTrainArgs args;        // effective (threads resolved)
  NetConfig config;
  SentimentRun run;
  int64_t embedding_rows = 0;     // the whole table: vocabulary + 1
  int64_t train_examples = 0, dev_examples = 0;
  // Where training stands: the next minibatch is `batch` (0-based) of epoch
  // `epoch` (1-based); rng is the batch generator's state (std::mt19937_64,
  // text) before that epoch's batches were drawn.
  int32_t epoch = 1;
  int64_t batch = 0;
  std::string rng;
  uint64_t step = 0;              // minibatches done
  double loss_sum = 0;            // the epoch so far
  int64_t seen = 0;
  double epoch_seconds = 0;
  double best_acc = -1, best_loss = 0;
  int32_t since_best = 0;
  TrainResult result;             // best epoch and its dev metrics, epochs run, time, sequences so far
  AlignedVector<float> dense;     // current parameters
  RowMat<float> rows;             // the trainable top rows of the embedding table (all when fine-tuning, else row 0)
  Adam::State adam;
  AlignedVector<float> best_dense;
  RowMat<float> best_rows;
};

// Version 2 added a hash of each input beside its size; version 1 files are
// refused (their inputs could not be told from others of the same sizes).
constexpr uint32_t kSentimentCheckpointVersion = 2;

// The parameter arrays, passed by pointer so a running trainer saves without
// copying them: `dense` and the moments `m`, `v` hold dense_size floats,
// `rows` and `tm`, `tv` (table moments) hold table_rows x embed_dim floats.
struct SentimentArrays {
  const float *dense, *rows, *m, *v, *tm, *tv, *best_dense, *best_rows;
  size_t dense_size;
  int64_t table_rows;
  int64_t adam_t;
};

// Writes through AtomicFile; the arrays of c are ignored (a gives them).
void saveSentimentCheckpoint(const std::string& path, const SentimentCheckpoint& c, const SentimentArrays& a);
// Throws Error naming the file on a missing, truncated, corrupted
// (checksum), inconsistent or foreign file (another kind of checkpoint: the
// error names the command that resumes it), or an unsupported version.
SentimentCheckpoint loadSentimentCheckpoint(const std::string& path);

}  // namespace wembed
