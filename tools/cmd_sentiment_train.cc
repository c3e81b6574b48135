// wembed sentiment train: options in, trainSentiment, progress and summary out.
#include <algorithm>
#include <cstdio>
#include <string>

#include "sentiment_cli.h"
#include "wembed/core/error.h"
#include "wembed/core/progress.h"

namespace wembed::cli {

namespace {

// The option strings that become enums.
struct TrainChoices {
  std::string cell = "gru", pooling = "max", parallel = "batch";
  int64_t seed = 1;
  bool quiet = false;
};

po::options_description trainOptions(SentimentRunArgs& a, ModelFileOption& model, TrainChoices& c) {
  NetConfig& nc = a.net;
  SentimentTrainArgs& o = a.training;
  po::options_description io("input and output");
  io.add_options()
    ("help,h", "show this help")
    ("vectors", po::value(&a.vectors), "word vectors to start from (any format wembed reads: word2vec binary or text, GloVe, fastText .vec, native .wev)")
    ("train", po::value(&a.train), "training data: TSV with a header (.xz/.gz read directly)")
    ("dev", po::value(&a.dev), "dev data for model selection and early stopping (same format)");
  model.addTo(io, true);
  io.add_options()
    ("quiet,q", po::bool_switch(&c.quiet), "no progress output")
    ("checkpoint", po::value(&a.checkpoint), "write the full training state here (atomically) between minibatches, "
     "every --checkpoint-every seconds")
    ("checkpoint-every", po::value(&a.checkpoint_every)->default_value(600), "seconds between checkpoints")
    ("resume", po::value(&a.resume), "continue the run saved in this checkpoint (settings and inputs come from it; "
     "--model-file, --checkpoint, --checkpoint-every, --quiet may be given)");
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

// Settings given on the command line (not with --resume: the checkpoint holds them).
void applyChoices(const po::variables_map& vm, const TrainChoices& c, SentimentRunArgs& a) {
  if (!a.resume.empty()) {
    for (const auto& [name, value] : vm)
      if (!value.defaulted() && name != "resume" && name != "model-file" && name != "output" && name != "model" &&
          name != "checkpoint" && name != "checkpoint-every" && name != "quiet")
        throw Error("--" + name + " cannot be given with --resume (the checkpoint holds the settings)");
    return;
  }
  a.net.cell = parseCell(c.cell);
  a.net.pooling = parsePooling(c.pooling);
  if (c.parallel != "batch" && c.parallel != "gemm") throw Error("--parallel must be batch or gemm");
  a.training.split_batch = c.parallel == "batch";
  if (c.seed < 0) throw Error("--seed must be 0 or more");
  a.training.seed = static_cast<uint64_t>(c.seed);
}

// The progress lines on stderr; `run` is filled by on_args.
void addProgress(SentimentHooks& h, const SentimentRunArgs& run, double& total_train_s) {
  h.on_setup = [&](const SentimentSetup& s) {
    const NetConfig& nc = run.net;
    const SentimentTrainArgs& o = run.training;
    total_train_s = s.resumed_train_seconds;
    std::fprintf(stderr,
                 "sentiment: %lld train / %lld dev texts, %d words x %d dims from %s; unknown words: %.2f%% of "
                 "train tokens, %.2f%% of dev tokens (%.1f s)\n",
                 static_cast<long long>(s.train_texts), static_cast<long long>(s.dev_texts), s.vocab_size,
                 s.embed_dim, run.vectors.c_str(), s.train_tokens ? 100.0 * s.train_unknown / s.train_tokens : 0.0,
                 s.dev_tokens ? 100.0 * s.dev_unknown / s.dev_tokens : 0.0, s.seconds);
    std::fprintf(stderr,
                 "sentiment: %s%s, hidden %d, %d layer%s, %s pooling, dropout %g, %s embeddings, batch %d, "
                 "lr %g, clip %g, %d threads (%s)\n",
                 nc.bidirectional ? "bidirectional " : "", toString(nc.cell).c_str(), nc.hidden, nc.layers,
                 nc.layers > 1 ? "s" : "", toString(nc.pooling).c_str(), o.dropout,
                 o.fine_tune ? "fine-tuned" : "frozen", o.batch, o.lr, o.clip, s.threads,
                 o.split_batch ? "batch" : "gemm");
  };
  h.on_progress = [&](int epoch, double f, double sps, double loss, double eta) {
    char buf[160];
    std::snprintf(buf, sizeof(buf), "epoch %d/%d %5.1f%%  %.0f seq/s  loss %.4f  epoch ETA %s", epoch,
                  run.training.epochs, 100 * f, sps, loss, formatDuration(eta).c_str());
    showProgressLine(buf);
  };
  h.on_epoch = [&](const EpochStats& s) {
    const int epochs = run.training.epochs;
    total_train_s += s.seconds;
    endProgressLine();
    const double per_epoch = total_train_s / s.epoch;
    std::fprintf(stderr, "epoch %d/%d: train loss %.4f, dev accuracy %s (loss %.4f)%s, %.0f seq/s, %s, ETA %s\n",
                 s.epoch, epochs, s.train_loss, percent(s.dev.accuracy()).c_str(), s.dev.meanLoss(),
                 s.best ? " *best*" : "", s.seqs_per_sec, formatDuration(s.seconds).c_str(),
                 formatDuration(per_epoch * (epochs - s.epoch)).c_str());
  };
}

}  // namespace

int sentimentTrain(int argc, char** argv) {
  return guarded("sentiment train", [&]() {
    SentimentRunArgs a;
    ModelFileOption model;
    TrainChoices c;
    const po::options_description all = trainOptions(a, model, c);
    po::variables_map vm;
    if (!parse("sentiment train", "--vectors V --train FILE --dev FILE --model-file OUT [options]", argc, argv, all,
               nullptr, vm))
      return 0;
    a.model_file = model.get();
    applyChoices(vm, c, a);
    SentimentRunArgs run;  // the effective settings (after --resume)
    double total_train_s = 0;
    SentimentHooks hooks;
    if (!c.quiet) addProgress(hooks, run, total_train_s);
    hooks.on_args = [&](const SentimentRunArgs& e) {
      checkDistinctFiles({{"--model-file", e.model_file}}, {e.vectors, e.train, e.dev});
      run = e;
    };
    const TrainResult r = trainSentiment(a, hooks);
    if (!c.quiet)
      std::fprintf(stderr,
                   "sentiment: best dev accuracy %s at epoch %d of %d; %lld sequences in %s (%.0f seq/s); wrote %s\n",
                   percent(r.best_dev.accuracy()).c_str(), r.best_epoch, r.epochs_run,
                   static_cast<long long>(r.sequences), formatDuration(r.train_seconds).c_str(),
                   r.sequences / std::max(r.train_seconds, 1e-9), run.model_file.c_str());
    return 0;
  });
}

}  // namespace wembed::cli
