#pragma once
// The history of a training run, for a picture of it: the loss and the
// learning rate over the run and a score per epoch (the classifier's dev
// accuracy), recorded from a trainer's progress callback by RunRecorder.
// plot/run_plot.h draws it; recording needs no plot library (no cairo).
#include <functional>
#include <string>
#include <vector>

#include "wembed/core/progress.h"

namespace wembed {

struct RunPoint {
  double x = 0;     // where in the run, in epochs (0: the start, 2.5: half-way through the third)
  double loss = 0;  // as the trainer reports it (see Progress::loss)
  double lr = 0;
};

struct EpochScore {
  double x = 0;      // the end of the epoch, in epochs (epoch 3 ends at 3)
  double value = 0;  // a fraction, 0..1 (drawn as a percentage)
};

struct RunHistory {
  std::string title;
  std::string x_label = "epoch";
  std::vector<RunPoint> points;     // in the order reported
  std::string score_label = "dev accuracy";
  std::vector<EpochScore> scores;   // empty: the picture has no score panel
};

// What a trainer's Progress::fraction is a fraction of.
enum class ProgressSpan {
  kWholeRun,  // the whole run (word2vec, GloVe): x = fraction x epochs
  kEpoch,     // the current epoch (sentiment): x = epoch - 1 + fraction
};

// Turns progress reports into history points. Trainers report from one
// thread at a time, so a recorder needs no lock.
class RunRecorder {
 public:
  // epochs: the run's number of epochs (only kWholeRun uses it).
  explicit RunRecorder(ProgressSpan span, int epochs = 1, std::string title = "");

  void record(const Progress& p);
  // The run's number of epochs, once known (a resumed run's come from its checkpoint).
  void setEpochs(int epochs) { epochs_ = epochs; }
  // The score at the end of epoch `epoch` (1-based).
  void recordScore(int epoch, double value);
  // A progress callback that records each report, then passes it to next
  // (if set): trainer.on_progress = recorder.wrap(trainer.on_progress). The
  // recorder must outlive the callback.
  std::function<void(const Progress&)> wrap(std::function<void(const Progress&)> next);

  RunHistory& history() { return history_; }
  const RunHistory& history() const { return history_; }

 private:
  ProgressSpan span_;
  int epochs_;
  RunHistory history_;
};

}  // namespace wembed
