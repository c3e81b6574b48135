#include "wembed/word2vec/args.h"

#include <omp.h>

#include <cmath>

#include "wembed/core/error.h"
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
  if (alpha > 0) return alpha;
  return model == ModelType::kCbow ? 0.05 : 0.025;
}

UpdateMode TrainArgs::effectiveUpdate() const {
  if (update != UpdateMode::kAuto) return update;
  return model == ModelType::kSkipGram && loss == LossType::kNegativeSampling ? UpdateMode::kBatch : UpdateMode::kPair;
}

bool TrainArgs::lrPerThread() const {
  if (lr_schedule != LrSchedule::kAuto) return lr_schedule == LrSchedule::kPerThread;
  return model == ModelType::kCbow;
}

int TrainArgs::effectiveThreads() const { return resolveThreads(threads); }

void TrainArgs::validate() const {
  if (read_vocab.empty()) vocab.validate();
  else if (vocab.input.empty()) throw Error("no input given (--input FILE...)");
  if (output.empty()) throw Error("no output given (--output FILE)");
  if (dim < 1 || dim > 10000) throw Error("--dim must be between 1 and 10000");
  if (window < 1 || window > 1000) throw Error("--window must be between 1 and 1000");
  if (loss == LossType::kNegativeSampling && (negative < 1 || negative > 1000))
    throw Error("--negative must be between 1 and 1000 with --loss ns");
  if (epochs < 1 || epochs > 100000) throw Error("--epochs must be between 1 and 100000");
  if (!(sample >= 0) || sample >= 1) throw Error("--sample must be in [0, 1)");
  if (alpha != -1 && (!(alpha > 0) || alpha > 10 || !std::isfinite(alpha)))
    throw Error("--alpha must be a positive number");
  if (threads < 0 || threads > 1024) throw Error("--threads must be between 0 (all cores) and 1024");
  if (max_sentence < 1) throw Error("--max-sentence must be at least 1");
  if (update == UpdateMode::kBatch && (model != ModelType::kSkipGram || loss != LossType::kNegativeSampling))
    throw Error("--update batch applies to --model skipgram --loss ns only");
  if (!output_context.empty() && loss != LossType::kNegativeSampling)
    throw Error("--output-context needs --loss ns (hs has no per-word context vectors)");
}

}  // namespace wembed
