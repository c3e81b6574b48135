// `wembed train --model glove`: options into GloveTrainArgs, then runGlove,
// printing what it reports.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "glove_cli.h"
#include "train_cli.h"
#include "wembed/core/error.h"
#include "wembed/core/progress.h"
#include "wembed/distributed/comm.h"

namespace wembed::cli {

void addGloveOptions(po::options_description& d, GloveTrainArgs& g) {
  d.add_options()
    ("cooccur", po::value(&g.cooccur_file), "train from this co-occurrence file (from 'wembed cooccur'; needs --read-vocab) instead of --input")
    ("save-cooccur", po::value(&g.save_cooccur), "keep the co-occurrence counts made from --input in this file")
    ("x-max", po::value(&g.glove.x_max)->default_value(100.0, "100"), "weighting cutoff: f(x) = min(1, (x/x_max)^alpha-weight)")
    ("alpha-weight", po::value(&g.glove.alpha)->default_value(0.75, "0.75"), "exponent of the weighting function")
    ("eta", po::value(&g.glove.eta)->default_value(0.15, "0.15"), "AdaGrad learning rate (Stanford's default is 0.05)")
    ("grad-clip", po::value(&g.glove.grad_clip)->default_value(1.0, "1"), "clip each component of eta*gradient to +-this (0: off; Stanford: 100)")
    ("glove-vectors", po::value(&g.vectors)->default_value("sum"), "vectors written: sum (W + W~, as Stanford's -model 2) or word (W alone)");
  addCountingOptions(d, g.counting);
}

void rejectGloveOptions(const po::variables_map& vm) {
  for (const char* o : {"cooccur", "save-cooccur", "x-max", "alpha-weight", "eta", "grad-clip", "glove-vectors",
                        "memory", "max-open", "asymmetric", "cross-sentences"}) {
    auto it = vm.find(o);
    if (it == vm.end() || it->second.defaulted()) continue;
    if ((std::string(o) == "asymmetric" || std::string(o) == "cross-sentences") && !it->second.as<bool>()) continue;
    throw Error(std::string("--") + o + " only applies to --model glove");
  }
}

namespace {

// " x 2 ranks" under mpirun -np 2, else "".
std::string ranks() {
  return distributed::active() ? " x " + std::to_string(distributed::size()) + " ranks" : std::string();
}

GloveHooks printing(bool quiet) {
  GloveHooks h;
  if (quiet || !distributed::reporting()) return h;  // rank 0 alone prints
  h.log = stderrReporter();
  auto epochs = std::make_shared<int>(0);
  h.on_setup = [epochs](const GloveSetup& s) {
    *epochs = s.args.epochs;
    std::fprintf(stderr,
                 "train: %sglove, %d words, %llu records (%s), dim %d, %d epochs, %d threads%s, x_max %g, "
                 "alpha %g, eta %g\n",
                 s.resumed ? "resuming " : "", s.vocab_size, static_cast<unsigned long long>(s.records),
                 s.tiled ? "held in memory, trained tile by tile" : "streamed from the file: more than --memory",
                 s.args.dim, s.args.epochs, s.args.effectiveThreads(), ranks().c_str(), s.args.x_max, s.args.alpha,
                 s.args.eta);
  };
  h.on_progress = [](const Progress& p) {
    showProgressLine(formatGloveProgress(p));
  };
  h.on_epoch = [epochs](const GloveEpoch& e) {
    endProgressLine();
    std::fprintf(stderr, "%s\n", formatGloveEpoch(e, *epochs).c_str());
  };
  return h;
}

int report(const GloveResult& r, bool quiet) {
  endProgressLine();
  if (quiet || !distributed::reporting()) return 0;
  std::fprintf(stderr, "train: %llu records x %d epochs in %s (%.0f records/s)\n",
               static_cast<unsigned long long>(r.stats.records), r.epochs, formatDuration(r.stats.seconds).c_str(),
               r.stats.records * static_cast<double>(r.epochs) / std::max(1e-9, r.stats.seconds));
  const GloveStats& s = r.stats;
  if (s.ranks > 1)  // as word2vec's line
    std::fprintf(stderr, "train: %d ranks, %d synchronisations, %.1f MB combined each (%.1f MB in all, each rank "
                 "sending about %.1f MB), %.1f%% of the time synchronising\n", s.ranks, s.syncs,
                 s.sync_bytes / 1e6 / std::max(1, s.syncs), s.sync_bytes / 1e6,
                 s.sync_bytes / 1e6 * 2 * (s.ranks - 1) / s.ranks, 100 * s.sync_seconds / std::max(1e-9, s.seconds));
  std::fprintf(stderr, "train: wrote %s\n", r.output.c_str());
  return 0;
}

}  // namespace

int resumeGlove(const ResumeArgs& resume, bool quiet, const std::string& plot_loss) {
  return runPlotted(printing(quiet), recordGloveRun, plot_loss, quiet,
                    [&](const GloveHooks& h) { return report(wembed::resumeGlove(resume, h), quiet); });
}

int trainGlove(const TrainArgs& a, GloveTrainArgs& g, const po::variables_map& vm, const CheckpointSettings& ck,
               bool quiet, const std::string& plot_loss) {
  // word2vec-only flags would silently do nothing: refuse them.
  for (const char* o : {"loss", "negative", "sample", "alpha", "min-alpha", "lr-schedule", "max-sentence", "init",
                        "save-model", "freeze-old", "phrases", "sync-mean"}) {
    auto it = vm.find(o);
    if (it != vm.end() && !it->second.defaulted())
      throw Error(std::string("--") + o + " does not apply to --model glove" +
                  (std::string(o).find("alpha") != std::string::npos ? " (the learning rate is --eta)" : ""));
  }
  g.vocab = a.vocab;
  g.read_vocab = a.read_vocab;
  g.save_vocab = a.save_vocab;
  g.output = a.output;
  g.output_context = a.output_context;
  g.format = a.format;
  g.tmp_dir = a.tmp_dir;
  g.init_vectors = a.init_vectors;
  g.glove.dim = a.dim;
  g.glove.epochs = vm["epochs"].defaulted() ? 15 : a.epochs;
  g.glove.threads = g.counting.threads = a.threads;
  g.glove.seed = g.counting.seed = a.seed;
  g.glove.memory_gb = g.counting.memory_gb;
  g.glove.sync_seconds = a.sync_seconds;
  g.glove.sync_records = a.sync_words;
  g.counting.window = vm["window"].defaulted() ? 10 : a.window;
  g.counting.tmp_dir = a.tmp_dir;
  return runPlotted(printing(quiet), recordGloveRun, plot_loss, quiet,
                    [&](const GloveHooks& h) { return report(runGlove(g, ck, h), quiet); });
}

}  // namespace wembed::cli
