#include "wembed/word2vec/args.h"

#include <omp.h>
#include <unistd.h>

#include "wembed/core/error.h"
#include "wembed/core/range_check.h"
#include "wembed/core/report.h"
#include "wembed/core/threads.h"

namespace wembed {

ModelType parseModel(const std::string& s) {
  if (s == "skipgram" || s == "sg") return ModelType::kSkipGram;
  if (s == "cbow") return ModelType::kCbow;
  if (s == "glove") return ModelType::kGlove;
  throw Error("unknown model '" + s + "' (expected skipgram, cbow or glove)");
}

LossType parseLoss(const std::string& s) {
  if (s == "ns") return LossType::kNegativeSampling;
  if (s == "hs") return LossType::kHierarchicalSoftmax;
  throw Error("unknown loss '" + s + "' (expected ns or hs)");
}

UpdateMode parseUpdate(const std::string& s) {
  if (s == "auto") return UpdateMode::kAuto;
  if (s == "pair") return UpdateMode::kPair;
  if (s == "batch") return UpdateMode::kBatch;
  throw Error("unknown update mode '" + s + "' (expected auto, pair or batch)");
}

std::string toString(ModelType m) {
  return m == ModelType::kSkipGram ? "skipgram" : m == ModelType::kCbow ? "cbow" : "glove";
}
std::string toString(LossType l) { return l == LossType::kNegativeSampling ? "ns" : "hs"; }
std::string toString(UpdateMode u) {
  return u == UpdateMode::kAuto ? "auto" : u == UpdateMode::kPair ? "pair" : "batch";
}

double TrainArgs::effectiveAlpha() const {
  if (alpha) return *alpha;
  return model == ModelType::kCbow ? 0.05 : 0.025;
}

double TrainArgs::effectiveNsExponent() const {
  if (ns_exponent) return *ns_exponent;
  // fastText's table (unigram^0.5) for skip-gram with subwords: on the
  // benchmark it moves analogies from semantic to syntactic ones, as
  // fastText's, +0.56 points median over 3 seeds (bench/subword_bench.sh).
  // CBOW with subwords keeps 0.75 (already above fastText; 0.5 not measured).
  return subwords.enabled() && model == ModelType::kSkipGram ? 0.5 : 0.75;
}

UpdateMode TrainArgs::effectiveUpdate() const {
  if (update != UpdateMode::kAuto) return update;
  // With subwords, per-pair updates (each context word with its own
  // negatives, the centre word composed once) score ~5 analogy points above
  // HogBatch's shared negatives on the benchmark (bench/subword_bench.sh).
  // Without subwords HogBatch is faster at equal accuracy, with negative
  // sampling and with hierarchical softmax (bench/word2vec_bench.sh).
  // CBOW with negative sampling: blocks of positions far apart sharing
  // their negatives, faster at equal accuracy (bench/word2vec_bench.sh).
  if (subwords.enabled()) return UpdateMode::kPair;
  if (model == ModelType::kSkipGram) return UpdateMode::kBatch;
  return loss == LossType::kNegativeSampling ? UpdateMode::kBatch : UpdateMode::kPair;
}

bool TrainArgs::lrPerThread() const {
  if (lr_schedule != LrSchedule::kAuto) return lr_schedule == LrSchedule::kPerThread;
  return model == ModelType::kCbow;
}

int TrainArgs::effectiveThreads() const { return resolveThreads(threads); }

void TrainArgs::setMinAlpha(double min_alpha) {
  checkRange("--min-alpha", min_alpha, Range::closed(0, effectiveAlpha()));
  min_alpha_fraction = min_alpha / effectiveAlpha();
}

void checkSubwordMemory(int64_t rows, int dim) {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  const double stride = static_cast<double>((dim + 15) / 16 * 16);
  const double need = static_cast<double>(rows) * stride * 4;
  if (pages > 0 && page > 0 && need > static_cast<double>(pages) * static_cast<double>(page))
    throw Error(stringPrintf("--bucket %lld with --dim %d needs %.1f GB for the n-gram rows alone; this machine has "
                             "%.1f GB of memory: use a smaller --bucket or --dim",
                             static_cast<long long>(rows), dim, need / 1e9,
                             static_cast<double>(pages) * static_cast<double>(page) / 1e9));
}

void TrainArgs::validate(bool need_output) const {
  if (read_vocab.empty()) vocab.validate();
  else if (vocab.input.empty()) throw Error("no input given (--input FILE...)");
  else vocab.validateLimits();
  if (need_output && output.empty()) throw Error("no output given (--output FILE)");
  checkRange("--dim", dim, Range::closed(1, 10000));
  checkRange("--sync-every", sync_seconds, Range::closed(0.01, 1e6));
  checkRange("--window", window, Range::closed(1, 1000));
  if (loss == LossType::kNegativeSampling) checkRange("--negative", negative, Range::closed(1, 1000));
  checkRange("--epochs", epochs, Range::closed(1, 100000));
  checkRange("--sample", sample, Range::openHigh(0, 1).orZero("off"));
  if (alpha) checkRange("--alpha", *alpha, Range::openLow(0, 1));
  if (ns_exponent) checkRange("--ns-exponent", *ns_exponent, Range::closed(-1, 1));
  checkRange("min_alpha_fraction", min_alpha_fraction, Range::closed(0, 1));
  checkRange("cbow_block", cbow_block, Range::closed(1, 8));
  resolveThreads(threads);  // refuses a count out of range
  checkRange("--max-sentence", max_sentence, Range::closed(1, 1000000));
  subwords.validate();
  if (subwords.enabled()) checkSubwordMemory(subwords.bucket, dim);
  if (update == UpdateMode::kBatch && model != ModelType::kSkipGram &&
      (loss != LossType::kNegativeSampling || subwords.enabled()))
    throw Error("--update batch applies to --model skipgram, or cbow with --loss ns and no subwords");
  if (update == UpdateMode::kBatch && subwords.enabled() && loss != LossType::kNegativeSampling)
    throw Error("--update batch with subwords applies to --loss ns only");
  if (!init_model.empty() && !init_vectors.empty())
    throw Error("give --init (a model to continue) or --init-vectors (pretrained vectors), not both");
  if (!init_model.empty() && !read_vocab.empty())
    throw Error("--read-vocab cannot be given with --init (the vocabulary is the model's, grown by the input's new words)");
  if (freeze_old && init_model.empty()) throw Error("--freeze-old needs --init (the model whose words it keeps)");
  if (freeze_old && subwords.enabled()) throw Error("--freeze-old does not apply to a model with subwords");
  if (!output_context.empty() && loss != LossType::kNegativeSampling)
    throw Error("--output-context needs --loss ns (hs has no per-word context vectors)");
}

void TrainArgs::setSyncEvery(const std::string& every) {
  const std::string bad = "--sync-every must be seconds (2, 0.5s) or words (1000000w), not '" + every + "'";
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(every, &used);
  } catch (const std::exception&) {
    throw Error(bad);
  }
  const std::string unit = every.substr(used);
  if (unit.empty() || unit == "s") {
    sync_seconds = v;
    sync_words = 0;
  } else if (unit == "w" && v >= 1000 && v <= 1e15) {
    sync_words = static_cast<int64_t>(v);
  } else {
    throw Error(bad);
  }
  if (!(sync_seconds >= 0.01 && sync_seconds <= 1e6)) throw Error(bad);
}

}  // namespace wembed
