#pragma once
// The sentiment classifier's pipelines, from files to files, as `wembed
// sentiment train|eval|predict|tokenize` run them (the command line only
// parses options into these structs and prints what they report):
// trainSentiment builds a classifier from word vectors and labelled TSV
// files, trains it (with checkpoints, or resuming one) and writes the model
// of the best dev epoch; evalSentiment scores a model on a labelled file;
// predictSentiment classifies texts; tokenizeSentiment shows the words the
// classifier sees. Mistakes (a missing file, a bad setting) throw wembed::Error
// with one line that names the command-line flag.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "wembed/core/output_check.h"
#include "wembed/core/run_history.h"
#include "wembed/sentiment/data.h"
#include "wembed/sentiment/model.h"
#include "wembed/sentiment/net.h"
#include "wembed/sentiment/train.h"

namespace wembed {

// The columns of a labelled TSV file (with a header line).
struct SentimentColumns {
  std::string text;             // empty: the first of "sentence", "text"
  std::string label = "label";  // values 0/1
};

// Examples from labelled rows: each text cleaned, its first max_len words
// (0: all) mapped through vocab. unknown and total (if given) are
// incremented by the number of unknown words and of all words.
std::vector<Example> encodeExamples(const std::vector<LabeledText>& rows, const Vocabulary& vocab, int max_len,
                                    int64_t* unknown = nullptr, int64_t* total = nullptr);

// --- train -------------------------------------------------------------------

struct SentimentRunArgs {
  std::string vectors;     // word vectors to start from (any format wembed reads)
  std::string train, dev;  // labelled TSV files (.gz/.xz read directly); dev selects the epoch and stops early
  std::string model_file;  // output: the model of the best dev epoch
  SentimentColumns columns;
  int max_len = 400;       // words per text (0: all)
  int64_t max_vocab = 0;   // the first N usable words of the vector file (0: all)
  NetConfig net;           // embed_dim comes from the vectors
  SentimentTrainArgs training;
  // Checkpoints: the full training state is written to `checkpoint` (empty:
  // none) every checkpoint_every seconds. `resume` continues the run saved
  // in that checkpoint: inputs and settings come from it; model_file (else
  // the checkpoint's), checkpoint (else the resumed file) and
  // checkpoint_every are taken from these args.
  std::string checkpoint;
  double checkpoint_every = 600;
  std::string resume;
  // Throws Error on a missing name or a bad value (the network's embed_dim is
  // not checked: it comes from the vectors).
  void validate() const;
};

// What trainSentiment has read and built, before the first epoch.
struct SentimentSetup {
  int64_t train_texts = 0, dev_texts = 0;
  int vocab_size = 0;           // words with a vector (the table has one more row: unknown words)
  int64_t composed_words = 0;   // of them, words of the texts outside the vector file, composed from n-grams
  int embed_dim = 0;
  int64_t train_tokens = 0, train_unknown = 0;  // words of the training texts (after max_len), those without a vector
  int64_t dev_tokens = 0, dev_unknown = 0;
  double seconds = 0;           // reading the data and the vectors
  double resumed_train_seconds = 0;  // training time before the resumed checkpoint (0: a new run)
  int threads = 0;              // training threads (resolved)
};

struct SentimentHooks {
  // The effective settings (after `resume`), once checked and before any
  // file is read or written.
  std::function<void(const SentimentRunArgs&)> on_args;
  std::function<void(const SentimentSetup&)> on_setup;
  decltype(SentimentTrainer::on_progress) on_progress;  // see SentimentTrainer
  std::function<void(const EpochStats&)> on_epoch;
  // Adds the files the caller writes itself (--plot-loss) to the run's, which
  // are checked together before any work (see FilePlan).
  std::function<void(FilePlan&)> more_files;
};

// Reads the data and vectors, builds the classifier (vocabulary: the vector
// words made of a-z, see classifierVocabulary; with subwords also the words of
// the train and dev texts outside the vector file, their vectors composed from
// n-grams, see addComposedWords), trains it and writes the
// model of the best dev epoch to model_file (each time the dev accuracy
// improves; a resumed run writes it again at the end).
TrainResult trainSentiment(const SentimentRunArgs& args, const SentimentHooks& hooks = {});

// The CLI's lines: the progress line ("epoch 2/10  45.0%  812 seq/s  loss
// 0.4012  epoch ETA 0h00m12s") and the line after an epoch's dev evaluation
// (eta_seconds: the time the remaining epochs are expected to take).
std::string formatSentimentProgress(const Progress& p, int epochs);
std::string formatSentimentEpoch(const EpochStats& e, int epochs, double eta_seconds);

// Makes hooks also record the run for a picture of it (plot/run_plot.h):
// the loss and learning rate of every progress report, the dev accuracy of
// every epoch, and a title naming the network. The hooks already set still
// run. The recorder (made with ProgressSpan::kEpoch) must outlive the hooks.
// A resumed run records from where it resumes.
void recordSentimentRun(SentimentHooks& hooks, RunRecorder& recorder);

// --- eval --------------------------------------------------------------------

struct SentimentEvalArgs {
  std::string model_file;  // from trainSentiment
  std::string data;        // labelled TSV ('-': stdin)
  SentimentColumns columns;
  int threads = 0;         // 0: all cores
  void validate() const;   // throws Error on a missing name or a bad value
};

struct SentimentEvalResult {
  BinaryMetrics metrics;
  double seconds = 0;  // the predictions, without reading
};

SentimentEvalResult evalSentiment(const SentimentEvalArgs& args);

// --- predict -----------------------------------------------------------------

struct SentimentPrediction {
  int label = 0;            // 1 positive, 0 negative
  float probability = 0;    // the model's probability of that label (>= 0.5)
};

// One prediction per text, in order.
std::vector<SentimentPrediction> predictSentiment(const SentimentModel& model, const std::vector<std::string_view>& texts,
                                                  int threads = 0);

struct SentimentPredictArgs {
  std::string model_file;
  std::string input = "-";  // one text per line ('-': stdin; .gz/.xz read directly)
  int threads = 0;
  void validate() const;
};

// Predicts every line of the input (an empty line too) and passes the
// predictions to `out` in input order, a chunk of lines at a time.
void predictSentiment(const SentimentPredictArgs& args,
                      const std::function<void(const std::vector<SentimentPrediction>&)>& out);

// --- tokenize ----------------------------------------------------------------

enum class TokenFormat { kTsv, kFastText };
TokenFormat parseTokenFormat(const std::string& s);  // tsv | fasttext

struct SentimentTokenizeArgs {
  std::string data;  // TSV with a header; the label column may be missing
  SentimentColumns columns;
  TokenFormat format = TokenFormat::kTsv;  // 'label<TAB>words' or '__label__L words'
  int max_len = 0;                         // the first N words (0: all)
  void validate() const;
};

// The cleaned words of every row, one line each, as format says.
std::string tokenizeSentiment(const SentimentTokenizeArgs& args);

}  // namespace wembed
