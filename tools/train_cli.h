#pragma once
// `wembed train`: its options (cmd_train.cc) and the word2vec run (cmd_train_word2vec.cc).
#include <cstdint>
#include <optional>
#include <string>

#include "cli_common.h"
#include "wembed/core/checkpoint_settings.h"
#include "wembed/core/run_history.h"
#include "wembed/glove/pipeline.h"
#include "wembed/word2vec/args.h"

namespace wembed::cli {

// The options of `train` as given, before they are turned into TrainArgs.
struct TrainCli {
  TrainArgs a;
  std::string model = "skipgram", loss = "ns", update = "auto", format = "auto", lr_schedule = "auto";
  std::string checkpoint, resume, plot_loss;
  std::string sync_every = "0.5s";
  double checkpoint_every = 600;
  std::optional<double> min_alpha;  // --min-alpha, if given
  int64_t seed = 1;
  bool quiet = false;
  GloveTrainArgs glove;  // the glove-only options
};

// Turns the word2vec options (model, loss, update, lr-schedule, min-alpha) into c.a.
void settleWord2Vec(TrainCli& c);
// Trains (or resumes) and prints what the run reports; with plot_loss set,
// also draws the run there (--plot-loss).
int trainWord2Vec(const TrainArgs& a, const CheckpointSettings& ck, bool quiet, const std::string& plot_loss);
int resumeWord2Vec(const ResumeArgs& resume, bool quiet, const std::string& plot_loss);

// --plot-loss: checked before anything is trained (a picture name, in an
// existing directory; runPlotted adds it to the run's files, which must all
// differ), drawn once the run has ended. Nothing happens when path is empty.
void checkLossPlot(const TrainCli& c);
void drawLossPlot(const RunRecorder& recorder, const std::string& path, bool quiet);

// run(hooks) (a run that reports what it did), its progress recorded by
// record(hooks, recorder) when plot_loss is set, then drawn there.
template <class Hooks, class Run>
int runPlotted(Hooks hooks, void (*record)(Hooks&, RunRecorder&), const std::string& plot_loss, bool quiet, Run run) {
  RunRecorder recorder(ProgressSpan::kWholeRun);
  if (!plot_loss.empty()) {
    record(hooks, recorder);
    hooks.more_files = [&plot_loss](FilePlan& plan) { plan.write("--plot-loss", plot_loss); };
  }
  const int rc = run(static_cast<const Hooks&>(hooks));
  drawLossPlot(recorder, plot_loss, quiet);
  return rc;
}

}  // namespace wembed::cli
