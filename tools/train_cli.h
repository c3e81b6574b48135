#pragma once
// `wembed train`: its options (cmd_train.cc) and the word2vec run (cmd_train_word2vec.cc).
#include <cstdint>
#include <string>

#include "cli_common.h"
#include "wembed/core/checkpoint_settings.h"
#include "wembed/glove/pipeline.h"
#include "wembed/word2vec/args.h"

namespace wembed::cli {

// The options of `train` as given, before they are turned into TrainArgs.
struct TrainCli {
  TrainArgs a;
  std::string model = "skipgram", loss = "ns", update = "auto", format = "auto", lr_schedule = "auto";
  std::string checkpoint, resume;
  double checkpoint_every = 600;
  double min_alpha = -1;
  int64_t seed = 1;
  bool quiet = false;
  GloveTrainArgs glove;  // the glove-only options
};

// Turns the word2vec options (model, loss, update, lr-schedule, min-alpha) into c.a.
void settleWord2Vec(TrainCli& c);
// Trains (or resumes) and prints what the run reports.
int trainWord2Vec(const TrainArgs& a, const CheckpointSettings& ck, bool quiet);
int resumeWord2Vec(const ResumeArgs& resume, bool quiet);

}  // namespace wembed::cli
