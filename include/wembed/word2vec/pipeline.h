#pragma once
// The word2vec pipeline, from files to files, as `wembed train` runs it (the
// command line only parses options into TrainArgs and prints what the hooks
// report): the vocabulary (counted, read with read_vocab, or the
// checkpoint's), stdin/.gz inputs spooled to a temporary file, training with
// checkpoints (or continuing one, after checking that it fits its inputs),
// then every output (vectors, context vectors, vocabulary) written to a
// temporary file and all renamed together. Mistakes throw wembed::Error with
// one line that names the command-line flag.
#include <functional>
#include <string>

#include "wembed/core/checkpoint_settings.h"
#include "wembed/core/output_check.h"
#include "wembed/core/progress.h"
#include "wembed/core/report.h"
#include "wembed/core/run_history.h"
#include "wembed/vectors/vectors.h"
#include "wembed/word2vec/args.h"
#include "wembed/word2vec/trainer.h"

namespace wembed {

// What a run is about to do, once the vocabulary is ready.
struct Word2VecSetup {
  TrainArgs args;          // the effective settings (a resumed run's come from its checkpoint)
  int32_t vocab_size = 0;
  bool resumed = false;
};

struct Word2VecHooks {
  Reporter log;  // the vocabulary's counting ("vocab: ...")
  std::function<void(const Word2VecSetup&)> on_setup;
  std::function<void(const Progress&)> on_progress;  // see Word2VecTrainer::on_progress
  // Adds the files the caller writes itself (--plot-loss) to the run's, which
  // are checked together before any work (see FilePlan).
  std::function<void(FilePlan&)> more_files;
  // Called once before the first update with the trainer's input and output
  // layers as training starts from them (tests; not on a resumed run).
  std::function<void(const Matrix& input, const Matrix& output)> on_start;
};

// The trained model as its files hold it: the vocabulary with its counts,
// the input vectors (with subwords: composed from the word's rows, the rows
// themselves in vectors.subwords) and the output layer.
struct Word2VecModel {
  Vectors vectors;
  Matrix context;  // the output layer without subwords (with them: vectors.subwords->output)
  // ns: one row per word; hs: one per inner node of the Huffman tree (V - 1).
  const Matrix& outputLayer() const { return vectors.subwords ? vectors.subwords->output : context; }
};

struct Word2VecResult {
  Word2VecStats stats;
  int32_t vocab_size = 0;
  std::string output;      // the vectors written (none if stats.interrupted or no output was asked for)
  std::shared_ptr<Word2VecModel> model;  // trainWord2VecModel only
};

// Trains as `wembed train --model skipgram|cbow` and writes args.output (and
// output_context, save_vocab). With checkpoint.path set, the full training
// state is written there now and then (the inputs must then be plain files).
Word2VecResult runWord2Vec(const TrainArgs& args, const CheckpointSettings& checkpoint = {},
                           const Word2VecHooks& hooks = {});

// As runWord2Vec, and keeps the model in memory (Word2VecResult::model): the
// library's entry for callers that use the vectors at once (the Python
// module). args.output may be empty: then no file is written.
Word2VecResult trainWord2VecModel(const TrainArgs& args, const Word2VecHooks& hooks = {});

// Continues the run saved in resume.path (a word2vec checkpoint): same
// settings, vocabulary and input files, which must not have changed.
Word2VecResult resumeWord2Vec(const ResumeArgs& resume, const Word2VecHooks& hooks = {});

// Makes hooks also record the run (its loss and learning rate, and a title
// with its settings) into recorder, for plotRunHistory (`train --plot-loss`).
// The recorder must outlive the run.
void recordWord2VecRun(Word2VecHooks& hooks, RunRecorder& recorder);

}  // namespace wembed
