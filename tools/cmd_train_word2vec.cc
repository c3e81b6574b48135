// `wembed train --model skipgram|cbow`: the word2vec options into TrainArgs,
// then runWord2Vec, printing what it reports.
#include <algorithm>
#include <cstdio>

#include "train_cli.h"
#include "wembed/core/error.h"
#include "wembed/core/progress.h"
#include "wembed/distributed/comm.h"
#include "wembed/word2vec/pipeline.h"

namespace wembed::cli {

void settleWord2Vec(TrainCli& c) {
  TrainArgs& a = c.a;
  a.loss = parseLoss(c.loss);
  a.update = parseUpdate(c.update);
  a.format = parseFormat(c.format);
  if (c.lr_schedule != "auto" && c.lr_schedule != "global" && c.lr_schedule != "per-thread")
    throw Error("--lr-schedule must be auto, global or per-thread, not '" + c.lr_schedule + "'");
  a.lr_schedule = c.lr_schedule == "auto"     ? LrSchedule::kAuto
                  : c.lr_schedule == "global" ? LrSchedule::kGlobal
                                              : LrSchedule::kPerThread;
  if (c.min_alpha) a.setMinAlpha(*c.min_alpha);
  a.setSyncEvery(c.sync_every);
}

namespace {

Word2VecHooks printing(bool quiet) {
  Word2VecHooks h;
  if (quiet || !distributed::reporting()) return h;  // rank 0 alone prints
  h.log = stderrReporter();
  h.on_setup = [](const Word2VecSetup& s) {
    const TrainArgs& a = s.args;
    std::fprintf(stderr, "train: %s%s-%s (%s updates), %d words, dim %d, window %d, %d epochs, %d threads, alpha %g (%s decay)\n",
                 s.resumed ? "resuming " : "", toString(a.model).c_str(), toString(a.loss).c_str(),
                 toString(a.effectiveUpdate()).c_str(), s.vocab_size, a.dim, a.window, a.epochs,
                 a.effectiveThreads(), a.effectiveAlpha(), a.lrPerThread() ? "per-thread" : "global");
    if (a.subwords.enabled())
      std::fprintf(stderr, "train: subwords: character %d- to %d-grams in %lld buckets (%.0f MB)\n", a.subwords.minn,
                   a.subwords.maxn, static_cast<long long>(a.subwords.bucket),
                   static_cast<double>(a.subwords.bucket) * ((a.dim + 15) / 16 * 16) * 4 / 1e6);
  };
  h.on_progress = [](const Progress& p) { showProgressLine(formatProgress(p)); };
  return h;
}

int report(const Word2VecResult& r, int epochs, bool quiet) {
  endProgressLine();
  if (quiet || !distributed::reporting()) return 0;
  // Words actually read: with --read-vocab the vocabulary's counts may come
  // from another corpus.
  std::fprintf(stderr, "train: %lld words x %d epochs in %s (%.0f words/s)\n",
               static_cast<long long>(r.stats.words_in_epoch.back()), epochs, formatDuration(r.stats.seconds).c_str(),
               static_cast<double>(r.stats.words_read) / std::max(1e-9, r.stats.seconds));
  const Word2VecStats& s = r.stats;
  if (s.ranks > 1)
    std::fprintf(stderr, "train: %d ranks, %d synchronisations, %.1f MB combined each (%.1f MB in all, each rank "
                 "sending about %.1f MB), %.1f%% of the time synchronising\n", s.ranks, s.syncs,
                 s.sync_bytes / 1e6 / std::max(1, s.syncs), s.sync_bytes / 1e6,
                 s.sync_bytes / 1e6 * 2 * (s.ranks - 1) / s.ranks, 100 * s.sync_seconds / std::max(1e-9, s.seconds));
  std::fprintf(stderr, "train: wrote %s\n", r.output.c_str());
  return 0;
}

}  // namespace

int trainWord2Vec(const TrainArgs& a, const CheckpointSettings& ck, bool quiet, const std::string& plot_loss) {
  return runPlotted(printing(quiet), recordWord2VecRun, plot_loss, quiet,
                    [&](const Word2VecHooks& h) { return report(runWord2Vec(a, ck, h), a.epochs, quiet); });
}

int resumeWord2Vec(const ResumeArgs& resume, bool quiet, const std::string& plot_loss) {
  return runPlotted(printing(quiet), recordWord2VecRun, plot_loss, quiet, [&](const Word2VecHooks& h) {
    const Word2VecResult r = wembed::resumeWord2Vec(resume, h);
    return report(r, static_cast<int>(r.stats.words_in_epoch.size()), quiet);
  });
}

}  // namespace wembed::cli
