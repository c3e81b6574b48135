#pragma once
// Pieces shared by `wembed cooccur` and `wembed train --model glove`.
#include <string>

#include "cli_common.h"
#include "wembed/core/checkpoint_settings.h"
#include "wembed/glove/pipeline.h"
#include "wembed/word2vec/args.h"

namespace wembed::cli {

// The counting options (--memory, --max-open, --asymmetric, --cross-sentences);
// the window, threads, seed, tmp-dir and quiet flags are declared by the caller.
void addCountingOptions(po::options_description& d, CooccurArgs& c);
// The glove group of `train` (into the glove-only fields of g).
void addGloveOptions(po::options_description& d, GloveTrainArgs& g);
// Throws if a glove-only option was given without --model glove.
void rejectGloveOptions(const po::variables_map& vm);

// `wembed train --model glove`: the shared options in a (the glove defaults
// for --epochs and --window where they were not given), the glove ones in g.
int trainGlove(const TrainArgs& a, GloveTrainArgs& g, const po::variables_map& vm, const CheckpointSettings& ck,
               bool quiet, const std::string& plot_loss);
// `wembed train --resume FILE` of a GloVe checkpoint.
int resumeGlove(const ResumeArgs& resume, bool quiet, const std::string& plot_loss);
int cmdCooccur(int argc, char** argv);

}  // namespace wembed::cli
