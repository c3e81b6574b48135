// wembed sentiment train|eval|predict|tokenize: the GRU/LSTM sentiment classifier.
#include <cstdio>
#include <string>

#include "sentiment_cli.h"
#include "wembed/core/error.h"

namespace wembed::cli {

void addColumnOptions(po::options_description& o, SentimentColumns& c) {
  o.add_options()
    ("text-column", po::value(&c.text), "name of the text column (default: 'sentence' or 'text')")
    ("label-column", po::value(&c.label)->default_value("label"), "name of the label column (values 0/1)");
}

void ModelFileOption::addTo(po::options_description& o, bool output_file) {
  is_output = output_file;
  if (is_output) {
    o.add_options()
      ("model-file", po::value(&model_file), "output: the classifier of the best dev epoch")
      ("output,o", po::value(&output), "the same as --model-file");
  } else {
    o.add_options()("model-file", po::value(&model_file), "the classifier, from 'wembed sentiment train'");
  }
  o.add_options()("model", po::value(&old_spelling), "old spelling of --model-file");
}

std::string ModelFileOption::get() const {
  std::string given;
  int n = 0;
  for (const std::string* s : {&model_file, &output, &old_spelling})
    if (!s->empty()) {
      given = *s;
      ++n;
    }
  if (n > 1)
    throw Error(std::string("give the model file once (--model-file") + (is_output ? ", -o/--output" : "") +
                " and --model name the same file)");
  return given;
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f%%", 100 * fraction);
  return buf;
}

namespace {

void subUsage(FILE* out) {
  std::fprintf(out,
               "usage: wembed sentiment SUBCOMMAND [OPTIONS]\n\n"
               "subcommands:\n"
               "  train     train a GRU/LSTM classifier on labelled TSV files, starting from word vectors\n"
               "  eval      accuracy, precision/recall/F1 per class and confusion matrix on a labelled file\n"
               "  predict   one line of text in, 'label<TAB>probability' out\n"
               "  tokenize  the words the classifier sees, one text per line (tsv or fastText format)\n\n"
               "'wembed sentiment SUBCOMMAND --help' describes each.\n");
}

}  // namespace

int cmdSentiment(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "wembed sentiment: error: no subcommand given: train, eval, predict or tokenize (see 'wembed sentiment --help')\n");
    return 1;
  }
  const std::string sub = argv[1];
  if (sub == "-h" || sub == "--help" || sub == "help") {
    subUsage(stdout);
    return 0;
  }
  if (sub == "train") return sentimentTrain(argc - 1, argv + 1);
  if (sub == "eval") return sentimentEval(argc - 1, argv + 1);
  if (sub == "predict") return sentimentPredict(argc - 1, argv + 1);
  if (sub == "tokenize") return sentimentTokenize(argc - 1, argv + 1);
  std::fprintf(stderr, "wembed sentiment: error: unknown subcommand '%s' (see 'wembed sentiment --help')\n",
               sub.c_str());
  return 1;
}

}  // namespace wembed::cli
