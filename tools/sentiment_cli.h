#pragma once
// Pieces shared by the `wembed sentiment` subcommands (cmd_sentiment*.cc).
#include <string>

#include "cli_common.h"
#include "wembed/sentiment/pipeline.h"

namespace wembed::cli {

// --text-column and --label-column.
void addColumnOptions(po::options_description& o, SentimentColumns& c);

// The classifier's file: --model-file, where it is the output (train) also
// -o/--output, and the old spelling --model.
struct ModelFileOption {
  std::string model_file, output, old_spelling;
  bool is_output = false;
  void addTo(po::options_description& o, bool output_file);
  // The one given ("" if none); throws Error if two of the spellings are given.
  std::string get() const;
};

// `sentiment train`: the option strings that become enums, and the other values.
struct TrainChoices {
  std::string cell = "gru", pooling = "max", parallel = "batch";
  int64_t seed = 1;
  bool quiet = false;
  std::string plot_loss;  // --plot-loss: a picture of the run (.svg or .png)
};

// The options of `sentiment train`, into a, model and c.
po::options_description trainOptions(SentimentRunArgs& a, ModelFileOption& model, TrainChoices& c);

// "12.34%"
std::string percent(double fraction);

int sentimentTrain(int argc, char** argv);
int sentimentEval(int argc, char** argv);
int sentimentPredict(int argc, char** argv);
int sentimentTokenize(int argc, char** argv);

}  // namespace wembed::cli
