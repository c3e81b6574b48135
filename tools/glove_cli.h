#pragma once
// Pieces shared by `wembed cooccur` and `wembed train --model glove`.
#include <memory>
#include <string>

#include "cli_common.h"
#include "wembed/word2vec/args.h"
#include "wembed/glove/cooccur.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/glove/trainer.h"
#include "wembed/core/io.h"

namespace wembed::cli {

// Options of `train` that only --model glove uses.
struct GloveCli {
  GloveArgs glove;
  CooccurArgs cooccur;
  std::string cooccur_file;   // train from this file instead of a corpus
  std::string save_cooccur;   // keep the counts made from the corpus here
  std::string vectors = "sum";
};

// The counting options (--memory, --max-open, --asymmetric, --cross-sentences);
// the window, threads, seed, tmp-dir and quiet flags are declared by the caller.
void addCountingOptions(po::options_description& d, CooccurArgs& c);
// The glove group of `train`.
void addGloveOptions(po::options_description& d, GloveCli& g);
// Throws if a glove-only option was given without --model glove.
void rejectGloveOptions(const po::variables_map& vm);

// Reads the vocabulary (read_vocab) or counts it, spooling stdin/.gz inputs
// to tmp_dir so the counting threads can read them; `spool` keeps the copy.
Dictionary prepareCorpus(const VocabArgs& vocab, const std::string& read_vocab, const std::string& tmp_dir,
                         bool quiet, std::vector<std::string>& files, std::unique_ptr<TempFile>& spool);

// Throws unless dir (if given) is an existing directory.
void checkTmpDir(const std::string& dir);

// --checkpoint FILE and --checkpoint-every SECONDS (no path: none).
struct GloveCheck {
  std::string path;
  double every = 600;
};

// Trains from --input (the counts are kept beside the checkpoint as
// FILE.cooccur unless --save-cooccur names them) or --cooccur.
int trainGlove(TrainArgs& a, GloveCli& g, const po::variables_map& vm, const GloveCheck& ck = {});
// `wembed train --resume FILE` of a GloVe checkpoint; output (if not empty)
// replaces the saved --output.
int resumeGlove(const std::string& path, const std::string& output, const GloveCheck& ck, bool quiet);
int cmdCooccur(int argc, char** argv);

}  // namespace wembed::cli
