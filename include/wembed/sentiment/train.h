#pragma once
// Training the sentiment network (minibatches bucketed by length, Adam,
// gradient-norm clipping, dropout, early stopping on a dev set, OpenMP
// threads) and scoring it (accuracy, per-class precision/recall/F1).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "wembed/core/checkpoint_settings.h"
#include "wembed/core/progress.h"
#include "wembed/sentiment/net.h"

namespace wembed {

struct SentimentTrainArgs {
  bool fine_tune = false;  // also train the embedding rows (the unknown-word row always trains)
  int batch = 32;
  int epochs = 10;
  int patience = 3;        // stop after this many epochs without a better dev accuracy (0: never)
  double lr = 1e-3;
  double clip = 5;         // maximum global gradient norm (0: no clipping)
  double dropout = 0.5;    // on the pooled features
  uint64_t seed = 1;
  int threads = 0;         // 0: all cores
  int bucket = 50;         // batches per length bucket (shuffled, then sorted by length)
  bool split_batch = true; // threads take interleaved parts of each batch; false: Eigen's threaded products
  void validate() const;   // throws Error on nonsense values
  int effectiveThreads() const;
};

struct BinaryMetrics {
  int64_t tp = 0, fp = 0, tn = 0, fn = 0;  // positive class = label 1
  double loss = 0;                         // summed binary cross-entropy

  void add(int label, float prob);  // predicted positive when prob >= 0.5
  int64_t total() const { return tp + fp + tn + fn; }
  double accuracy() const;
  double meanLoss() const;
  // Per class (1 positive, 0 negative); 0 when undefined.
  double precision(int cls) const;
  double recall(int cls) const;
  double f1(int cls) const;
};

// P(positive) for every example (in order), in batches of similar length,
// spread over threads (0: all cores).
std::vector<float> predictProbabilities(const NetParams<float>& net, const std::vector<Example>& data,
                                        int threads = 0, int batch = 64);
BinaryMetrics evaluate(const NetParams<float>& net, const std::vector<Example>& data, int threads = 0);

struct EpochStats {
  int epoch = 0;             // 1-based
  double train_loss = 0;     // mean over the epoch's examples
  double seconds = 0;        // training time of the epoch (without the dev evaluation)
  double seqs_per_sec = 0;   // training sequences per second
  BinaryMetrics dev;
  bool best = false;         // the best dev accuracy so far
};

struct TrainResult {
  int best_epoch = 0;
  BinaryMetrics best_dev;
  int epochs_run = 0;
  double train_seconds = 0;  // sum of the epochs' training time
  int64_t sequences = 0;     // training sequences processed
  bool interrupted = false;  // ended early after a checkpoint (a test hook)
};

struct SentimentCheckpoint;  // sentiment_checkpoint.h
struct SentimentRun;

class SentimentTrainer {
 public:
  SentimentTrainer(const SentimentTrainArgs& o, NetParams<float>& net);

  // Called between batches about once a second and after an epoch's last:
  // the epoch, the fraction of it done, sequences/s, the learning rate, the
  // running mean loss, estimated seconds left in the epoch.
  std::function<void(const Progress&)> on_progress;
  // Called after each epoch's dev evaluation.
  std::function<void(const EpochStats&)> on_epoch;
  // Called when the dev accuracy improves, with the network in that state (e.g. to save it).
  std::function<void(const EpochStats&)> on_best;

  // Checkpoints: when checkpointing.path is set, the full training state (see
  // sentiment/checkpoint.h) is written there atomically between two
  // minibatches, or after an epoch's dev evaluation, once
  // checkpointing.every_seconds have passed since the last one (0: after
  // every minibatch).
  CheckpointSettings checkpointing;
  std::shared_ptr<const SentimentRun> checkpoint_run;  // copied into every checkpoint (may be null)
  // Continue the run saved in c (same settings, network and data): the next
  // train() takes the parameters, optimiser, position and model selection
  // from it. Throws Error if it does not fit this trainer's settings or network.
  void restore(SentimentCheckpoint&& c);

  SentimentTrainer(const SentimentTrainer&) = delete;
  SentimentTrainer& operator=(const SentimentTrainer&) = delete;
  ~SentimentTrainer();

  // Trains on train, selecting on dev (labels 0/1). At the end the network
  // holds the weights of the best epoch (after an interruption: the current ones).
  TrainResult train(const std::vector<Example>& train, const std::vector<Example>& dev);

 private:
  SentimentTrainArgs o_;
  NetParams<float>& net_;
  std::unique_ptr<SentimentCheckpoint> resume_;
};

}  // namespace wembed
