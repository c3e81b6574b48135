#pragma once
// GloVe (Pennington et al. 2014): weighted least squares on log co-occurrence
// counts, J = sum_ij f(X_ij) (w_i . c_j + b_i + bc_j - log X_ij)^2 / 2 with
// f(x) = min(1, (x / x_max)^alpha), trained by AdaGrad over the shuffled
// records of a co-occurrence file, Hogwild over OpenMP threads (each thread
// takes a contiguous slice of the file in every epoch).
//
// The AdaGrad step is the reference implementation's: with g the gradient of
// one record and G the running sum (starting at 1) of (eta g)^2,
// step = eta g / sqrt(G), then G += (eta g)^2; each component of eta g is
// clipped to [-grad_clip, grad_clip] first (grad_clip 0: no clipping).
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "wembed/glove/cooccur.h"
#include "wembed/core/checkpoint_settings.h"
#include "wembed/core/matrix.h"
#include "wembed/core/progress.h"

namespace wembed {

struct GloveArgs {
  int dim = 100;
  int epochs = 15;
  double x_max = 100.0;
  double alpha = 0.75;      // exponent of the weighting function
  double eta = 0.15;        // AdaGrad learning rate (Stanford: 0.05; see README)
  double grad_clip = 1.0;   // bound on each component of eta * gradient (Stanford: 100); 0: off
  double init_scale = -1;   // vectors and biases start uniform in [-s, s); <0: 0.5 / dim
  int threads = 0;          // 0: all cores
  uint64_t seed = 1;
  // Records that fit in memory_gb are held in memory grouped into tiles of
  // tile_words x tile_words (word block x context block; 0: blocks whose rows
  // take ~1 MB, <0: no tiling); every epoch visits the tiles in a new random
  // order (records within a tile in file order), so a tile's rows stay in
  // cache. Otherwise each thread streams its slice of the (shuffled) file.
  double memory_gb = 2.0;
  int64_t tile_words = 0;
  // mpirun -np N (see README): each rank trains on its records and the ranks
  // sum their rows' changes (parameters and AdaGrad sums) every sync_seconds,
  // or every sync_records records a rank trains when > 0 (--sync-every).
  double sync_seconds = 0.5;
  int64_t sync_records = 0;
  void validate() const;
  int effectiveThreads() const;
};

struct GloveEpoch {
  int epoch;          // 1-based
  double cost;        // mean of f(x) (w.c + b + bc - log x)^2 / 2 over the records
  double seconds;     // this epoch
};

struct GloveStats {
  std::vector<GloveEpoch> epochs;   // every epoch done, also those before a resume
  uint64_t records = 0;
  bool tiled = false;
  double seconds = 0;               // training time, also that before a resume
  bool interrupted = false;         // ended early after a checkpoint (a test hook)
  // mpirun -np N: the ranks, and this rank's synchronisations (the one at
  // every epoch's end included), the bytes combined and the time they took.
  int ranks = 1;
  int syncs = 0;
  int64_t sync_bytes = 0;
  double sync_seconds = 0;
};

struct GloveCheckpoint;  // glove_checkpoint.h
struct GloveRun;

// The cost f(x) (w.c + bw + bc - log x)^2 / 2 of one record (scalar
// reference in double; the trainer uses gloveStep).
double gloveRecordCost(const float* w, const float* c, float bw, float bc, float x, float x_max, float alpha, int dim);
inline float gloveWeight(float x, float x_max, float alpha);

// Parameter rows. A word's row holds [w_0..w_{d-1}, b, 1, 0...] and then, at
// offset S (the padded width, a multiple of 16 with room for d + 2), its
// AdaGrad sums [G_0..G_{d-1}, G_b, +inf, 1...]; a context row holds
// [c_0..c_{d-1}, 1, b~, 0...] and [G~_0..G~_{d-1}, +inf, G~_b, 1...]. So
// the dot product over S is w.c + b + b~, and one vector update moves the
// biases too while the constant 1s (with infinite sums) never change: the
// whole record touches two contiguous rows.
int gloveRowWidth(int dim);  // S

// One AdaGrad update of a word row and a context row for scaled residual
// g = eta f(x) diff: w -= clip(g c) / sqrt(Gw), c -= clip(g w) / sqrt(Gc)
// (both from the old values), Gw += clip(g c)^2, Gc += clip(g w)^2, over the
// S columns (64-byte aligned). Biases are clipped like the other components.
void gloveUpdate(float* __restrict w, float* __restrict c, float* __restrict gw, float* __restrict gc, float g,
                 float clip, int S);

// Trains on one record: returns its cost before the update.
float gloveStep(float* __restrict wrow, float* __restrict crow, int S, float x, float x_max, float log_x_max,
                float alpha, float eta, float clip);

class GloveTrainer {
 public:
  GloveTrainer(const GloveArgs& args, int32_t vocab_size);
  ~GloveTrainer();

  // Trains on a co-occurrence file whose vocabulary size must equal this one's.
  GloveStats train(const CooccurReader& in);
  // Trains on records [first, first + n) of the file (a rank's share of it).
  GloveStats train(const CooccurReader& in, uint64_t first, uint64_t n);
  // Trains on records in memory (tests, small data).
  GloveStats train(const std::vector<CooccurRecord>& recs);

  // Whether n records are trained tile by tile from memory (else streamed).
  bool tiles(uint64_t n) const;

  Matrix wordVectors() const;     // W
  Matrix contextVectors() const;  // W~
  Matrix sumVectors() const;      // W + W~ (Stanford's -model 2), the default output
  float wordBias(int32_t i) const { return w_.row(i)[args_.dim]; }
  float contextBias(int32_t j) const { return c_.row(j)[args_.dim + 1]; }
  // Raw rows (see gloveRowWidth), for tests.
  float* wordRow(int32_t i) { return w_.row(i); }
  float* contextRow(int32_t j) { return c_.row(j); }
  int rowWidth() const { return S_; }
  // Mean cost of the current parameters over the records (no update).
  double cost(const std::vector<CooccurRecord>& recs) const;

  // Progress (from one thread, about once a second): the epoch (from 1), the
  // fraction of all epochs done, records/s/thread, eta as lr, the cost so far
  // this epoch, the time left.
  std::function<void(const Progress&)> on_progress;
  // After each epoch.
  std::function<void(const GloveEpoch&)> on_epoch;

  // Checkpoints: when checkpointing.path is set, the full state (see
  // glove/checkpoint.h) is written there atomically at an epoch boundary
  // (before the first epoch, or after any but the last) once
  // checkpointing.every_seconds have passed since the last one was written, or
  // since train() began minus checkpoint_elapsed (time already spent, e.g.
  // counting); 0: at every boundary. The granularity is one epoch.
  CheckpointSettings checkpointing;
  double checkpoint_elapsed = 0;
  std::shared_ptr<const GloveRun> checkpoint_run;  // copied into every checkpoint (may be null)
  // Continue the run saved in c (same settings and vocabulary size; train()
  // must then get the same records): the tables, the epochs done, the tile
  // order and the costs so far are taken from it.
  void restore(GloveCheckpoint&& c);

 private:
  struct Pass;  // the state of one train() call
  GloveStats run(uint64_t n, const std::function<size_t(uint64_t, CooccurRecord*, size_t)>& fetch);
  void resumePass(Pass& p);
  bool boundary(Pass& p, int epochs_done);
  double trainEpoch(Pass& p, int epoch);
  void report(Pass& p, int epoch, double now);
  void loadTiled(uint64_t n, const std::function<size_t(uint64_t, CooccurRecord*, size_t)>& fetch);
  int64_t tileWords() const;
  Matrix copyColumns(const Matrix& m, bool add_context) const;

  GloveArgs args_;
  int32_t V_;
  int S_;
  Matrix w_, c_;  // V x 2S: parameters then AdaGrad sums
  std::vector<CooccurRecord> tiled_;   // records grouped by tile (tiled mode)
  std::vector<uint64_t> tile_start_;   // tile t: tiled_[tile_start_[t], tile_start_[t + 1])
  int threads_;
  std::unique_ptr<GloveCheckpoint> resume_;
};

inline float gloveWeight(float x, float x_max, float alpha) {
  return x >= x_max ? 1.0f : static_cast<float>(std::pow(static_cast<double>(x) / x_max, alpha));
}

}  // namespace wembed
