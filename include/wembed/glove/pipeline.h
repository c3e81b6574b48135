#pragma once
// The GloVe pipelines, from files to files, as `wembed cooccur` and `wembed
// train --model glove` run them (the command line only parses options into
// these structs and prints what the hooks report). Mistakes throw
// wembed::Error with one line that names the command-line flag.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "wembed/core/checkpoint_settings.h"
#include "wembed/core/output_check.h"
#include "wembed/core/progress.h"
#include "wembed/core/report.h"
#include "wembed/core/run_history.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/glove/cooccur.h"
#include "wembed/glove/trainer.h"
#include "wembed/vectors/format.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

// --- cooccur -----------------------------------------------------------------

struct CooccurRunArgs {
  VocabArgs vocab;          // the corpus (vocab.input) and how its vocabulary is counted
  std::string read_vocab;   // use this vocabulary instead of counting it
  std::string save_vocab;   // also write the vocabulary counted
  std::string output;       // the co-occurrence file
  CooccurArgs counting;
};

// `wembed cooccur`: the vocabulary (counted or read), then the shuffled
// co-occurrence records; output and save_vocab are renamed into place
// together at the end. log gets the counting's progress and notes, and the
// final "cooccur: wrote N records to OUTPUT ..." line. Under mpirun every
// rank counts its share and rank 0 writes the outputs.
CooccurStats runCooccur(const CooccurRunArgs& args, const Reporter& log = {});

// --- train --model glove -------------------------------------------------------

struct GloveTrainArgs {
  VocabArgs vocab;            // the corpus (vocab.input) and how its vocabulary is counted
  std::string read_vocab;     // use this vocabulary instead of counting it
  std::string save_vocab;     // also write the vocabulary counted (training from vocab.input only)
  std::string cooccur_file;   // train from these counts (needs read_vocab) instead of vocab.input
  std::string save_cooccur;   // keep the counts made from vocab.input here
  std::string output;         // vectors
  std::string output_context; // optional: the context vectors W~
  VectorFormat format = VectorFormat::kAuto;
  std::string vectors = "sum";  // written: sum (W + W~) or word (W)
  std::string tmp_dir;        // spool, counting runs and scratch counts; default $TMPDIR or /tmp
  std::string init_vectors;   // --init-vectors: W's rows of the words found in this vector file start from it
  GloveArgs glove;            // the trainer (its memory_gb also decides tiling)
  CooccurArgs counting;       // counting from vocab.input (its tmp_dir is tmp_dir)
};

// What a run is about to do, once the counts are ready.
struct GloveSetup {
  GloveArgs args;             // the effective settings (a resumed run's come from its checkpoint)
  int32_t vocab_size = 0;
  uint64_t records = 0;
  bool tiled = false;         // records held in memory tile by tile (else streamed from the file)
  bool resumed = false;
};

struct GloveHooks {
  Reporter log;  // counting ("vocab: ...", "cooccur: ...") and warnings ("train: warning: ...")
  std::function<void(const GloveSetup&)> on_setup;
  std::function<void(const Progress&)> on_progress;  // see GloveTrainer
  std::function<void(const GloveEpoch&)> on_epoch;
  // Adds the files the caller writes itself (--plot-loss) to the run's, which
  // are checked together before any work (see FilePlan).
  std::function<void(FilePlan&)> more_files;
};

// The trained model: the vectors as written (vectors == "sum": W + W~, else
// W) with the vocabulary and its counts, and the context vectors W~.
struct GloveModel {
  Vectors vectors;
  Matrix context;
};

struct GloveResult {
  GloveStats stats;
  int epochs = 0;
  int32_t vocab_size = 0;
  std::string output;  // the vectors written (none if stats.interrupted or no output was asked for)
  std::shared_ptr<GloveModel> model;  // trainGloveModel only
};

// The CLI's status line: "Progress:  50.0%  epoch 3  records/sec/thread: ...  cost: ...  ETA: ...".
std::string formatGloveProgress(const Progress& p);
// The CLI's line at the end of an epoch: "train: epoch 3/15  cost 0.041234  (2.1 s)".
std::string formatGloveEpoch(const GloveEpoch& e, int epochs);

// Counts co-occurrences in vocab.input (kept beside a checkpoint as
// CHECKPOINT.cooccur until the run ends, unless save_cooccur names them) or
// reads cooccur_file, trains, and writes output and output_context together.
// Under mpirun every rank counts its share and trains on the pairs it owns
// (or its slice of cooccur_file), the ranks' rows combined as GloveArgs'
// sync_* say; rank 0 writes; checkpoints and save_cooccur are refused.
GloveResult runGlove(const GloveTrainArgs& args, const CheckpointSettings& checkpoint = {},
                     const GloveHooks& hooks = {});

// As runGlove, and keeps the model in memory (GloveResult::model): the
// library's entry for callers that use the vectors at once (the Python
// module). args.output may be empty: then no file is written.
GloveResult trainGloveModel(const GloveTrainArgs& args, const GloveHooks& hooks = {});

// Continues the run saved in resume.path (a GloVe checkpoint), after checking
// that its co-occurrence file has not changed. Refused under mpirun.
GloveResult resumeGlove(const ResumeArgs& resume, const GloveHooks& hooks = {});

// Makes hooks also record the run (its cost and learning rate, and a title
// with its settings) into recorder, for plotRunHistory (`train --plot-loss`).
// The recorder must outlive the run.
void recordGloveRun(GloveHooks& hooks, RunRecorder& recorder);

}  // namespace wembed
