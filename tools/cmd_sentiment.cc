// wembed sentiment train|eval|predict|tokenize: the GRU/LSTM sentiment classifier.
// The subcommands, and the options they share.
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

po::options_description trainOptions(SentimentRunArgs& a, ModelFileOption& model, TrainChoices& c) {
  NetConfig& nc = a.net;
  SentimentTrainArgs& o = a.training;
  po::options_description io("input and output");
  io.add_options()
    ("help,h", "show this help")
    ("vectors", po::value(&a.vectors), "word vectors to start from (any format wembed reads: word2vec binary or text, GloVe, fastText .bin/.vec, native .wev)")
    ("train", po::value(&a.train), "training data: TSV with a header (.xz/.gz read directly)")
    ("dev", po::value(&a.dev), "dev data for model selection and early stopping (same format)");
  model.addTo(io, true);
  io.add_options()
    ("quiet,q", po::bool_switch(&c.quiet), "no progress output")
    ("plot-loss", po::value(&c.plot_loss), "after training, draw the loss and the dev accuracy per epoch here "
     "(.svg or .png)")
    ("checkpoint", po::value(&a.checkpoint), "write the full training state here (atomically) between minibatches, "
     "every --checkpoint-every seconds")
    ("checkpoint-every", po::value(&a.checkpoint_every)->default_value(600), "seconds between checkpoints")
    ("resume", po::value(&a.resume), "continue the run saved in this checkpoint (settings and inputs come from it; "
     "--model-file, --checkpoint, --checkpoint-every, --plot-loss, --quiet may be given)");
  addColumnOptions(io, a.columns);
  po::options_description m("model");
  m.add_options()
    ("cell", po::value(&c.cell)->default_value("gru"), "gru or lstm")
    ("hidden", po::value(&nc.hidden)->default_value(128), "recurrent state size per direction")
    ("layers", po::value(&nc.layers)->default_value(1), "stacked recurrent layers")
    ("bidirectional", po::bool_switch(&nc.bidirectional), "also read right to left (features = 2 x hidden)")
    ("pooling", po::value(&c.pooling)->default_value("max"), "over time: last, mean, max or attention")
    ("dropout", po::value(&o.dropout)->default_value(0.5), "dropout on the pooled features")
    ("fine-tune", po::bool_switch(&o.fine_tune), "also train the word vectors (default: frozen; the unknown-word "
     "vector always trains)")
    ("max-len", po::value(&a.max_len)->default_value(400), "use the first N words of each text (0: all)")
    ("max-vocab", po::value(&a.max_vocab)->default_value(0), "keep the first N words of the vector file (0: all)");
  po::options_description t("training");
  t.add_options()
    ("epochs", po::value(&o.epochs)->default_value(10), "maximum passes over the training data")
    ("patience", po::value(&o.patience)->default_value(3), "stop after N epochs without a better dev accuracy (0: never)")
    ("batch", po::value(&o.batch)->default_value(32), "minibatch size")
    ("bucket", po::value(&o.bucket)->default_value(50), "batches per length bucket (shuffle, sort a bucket by length, cut)")
    ("lr", po::value(&o.lr)->default_value(1e-3, "0.001"), "Adam learning rate")
    ("clip", po::value(&o.clip)->default_value(5.0, "5"), "clip the global gradient norm to this (0: off)")
    ("seed", po::value(&c.seed)->default_value(1), "random seed (initialisation, batches, dropout)")
    ("threads", po::value(&o.threads)->default_value(0), "threads (0: all cores)")
    ("parallel", po::value(&c.parallel)->default_value("batch"), "batch: each thread takes part of every minibatch; "
     "gemm: one pass per minibatch with threaded matrix products");
  po::options_description all;
  all.add(io).add(m).add(t);
  return all;
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
