// wembed sentiment train: options in, trainSentiment, progress and summary out.
#include <algorithm>
#include <cstdio>
#include <string>

#include "sentiment_cli.h"
#include "wembed/core/error.h"
#include "wembed/core/progress.h"
#include "wembed/core/run_history.h"
#include "wembed/plot/run_plot.h"

namespace wembed::cli {

namespace {

// Settings given on the command line (not with --resume: the checkpoint holds them).
void applyChoices(const po::variables_map& vm, const TrainChoices& c, SentimentRunArgs& a) {
  if (!a.resume.empty()) {
    for (const auto& [name, value] : vm)
      if (!value.defaulted() && name != "resume" && name != "model-file" && name != "output" && name != "model" &&
          name != "checkpoint" && name != "checkpoint-every" && name != "plot-loss" && name != "quiet")
        throw Error("--" + name + " cannot be given with --resume (the checkpoint holds the settings)");
    return;
  }
  a.net.cell = parseCell(c.cell);
  a.net.pooling = parsePooling(c.pooling);
  if (c.parallel != "batch" && c.parallel != "gemm") throw Error("--parallel must be batch or gemm");
  a.training.split_batch = c.parallel == "batch";
  a.training.seed = static_cast<uint64_t>(c.seed);
}

// The progress lines on stderr; `run` is filled by on_args.
void addProgress(SentimentHooks& h, const SentimentRunArgs& run, double& total_train_s) {
  h.on_setup = [&](const SentimentSetup& s) {
    const NetConfig& nc = run.net;
    const SentimentTrainArgs& o = run.training;
    total_train_s = s.resumed_train_seconds;
    const std::string composed =
        s.composed_words ? " (" + std::to_string(s.composed_words) + " of the data's, composed from n-grams)" : "";
    std::fprintf(stderr,
                 "sentiment: %lld train / %lld dev texts, %d words%s x %d dims from %s; unknown words: %.2f%% of "
                 "train tokens, %.2f%% of dev tokens (%.1f s)\n",
                 static_cast<long long>(s.train_texts), static_cast<long long>(s.dev_texts), s.vocab_size,
                 composed.c_str(), s.embed_dim, run.vectors.c_str(),
                 s.train_tokens ? 100.0 * s.train_unknown / s.train_tokens : 0.0,
                 s.dev_tokens ? 100.0 * s.dev_unknown / s.dev_tokens : 0.0, s.seconds);
    std::fprintf(stderr,
                 "sentiment: %s%s, hidden %d, %d layer%s, %s pooling, dropout %g, %s embeddings, batch %d, "
                 "lr %g, clip %g, %d threads (%s)\n",
                 nc.bidirectional ? "bidirectional " : "", toString(nc.cell).c_str(), nc.hidden, nc.layers,
                 nc.layers > 1 ? "s" : "", toString(nc.pooling).c_str(), o.dropout,
                 o.fine_tune ? "fine-tuned" : "frozen", o.batch, o.lr, o.clip, s.threads,
                 o.split_batch ? "batch" : "gemm");
  };
  h.on_progress = [&](const Progress& p) { showProgressLine(formatSentimentProgress(p, run.training.epochs)); };
  h.on_epoch = [&](const EpochStats& s) {
    const int epochs = run.training.epochs;
    total_train_s += s.seconds;
    endProgressLine();
    const double per_epoch = total_train_s / s.epoch;
    std::fprintf(stderr, "%s\n", formatSentimentEpoch(s, epochs, per_epoch * (epochs - s.epoch)).c_str());
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
    hooks.on_args = [&](const SentimentRunArgs& e) { run = e; };
    RunRecorder recorder(ProgressSpan::kEpoch);
    if (!c.plot_loss.empty()) {
      withContext("--plot-loss", [&] { checkPlotPath(c.plot_loss); });
      recordSentimentRun(hooks, recorder);
      hooks.more_files = [&](FilePlan& plan) { plan.write("--plot-loss", c.plot_loss); };
    }
    const TrainResult r = trainSentiment(a, hooks);
    if (!c.plot_loss.empty()) plotRunHistory(recorder.history(), c.plot_loss);
    if (!c.quiet)
      std::fprintf(stderr,
                   "sentiment: best dev accuracy %s at epoch %d of %d; %lld sequences in %s (%.0f seq/s); wrote %s\n",
                   percent(r.best_dev.accuracy()).c_str(), r.best_epoch, r.epochs_run,
                   static_cast<long long>(r.sequences), formatDuration(r.train_seconds).c_str(),
                   r.sequences / std::max(r.train_seconds, 1e-9), run.model_file.c_str());
    if (!c.quiet && !c.plot_loss.empty()) std::fprintf(stderr, "sentiment: wrote the run's plot %s\n", c.plot_loss.c_str());
    return 0;
  });
}

}  // namespace wembed::cli
