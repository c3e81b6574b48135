#include "wembed/args.h"

#include <omp.h>

#include <cmath>

#include "wembed/error.h"

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

VectorFormat parseFormat(const std::string& s) {
  if (s == "auto") return VectorFormat::kAuto;
  if (s == "bin" || s == "w2v-bin" || s == "binary") return VectorFormat::kWord2vecBinary;
  if (s == "txt" || s == "w2v-txt" || s == "text" || s == "vec") return VectorFormat::kWord2vecText;
  throw Error("unknown format '" + s + "' (expected bin or txt)");
}

std::string toString(ModelType m) {
  return m == ModelType::kSkipGram ? "skipgram" : m == ModelType::kCbow ? "cbow" : "glove";
}
std::string toString(LossType l) { return l == LossType::kNegativeSampling ? "ns" : "hs"; }

static bool endsWith(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

VectorFormat formatFromPath(const std::string& path) {
  if (endsWith(path, ".bin")) return VectorFormat::kWord2vecBinary;
  if (endsWith(path, ".txt") || endsWith(path, ".vec")) return VectorFormat::kWord2vecText;
  throw Error("cannot tell the vector format from '" + path +
              "': use a .bin, .txt or .vec extension, or --format bin|txt");
}

void VocabArgs::validate() const {
  if (input.empty()) throw Error("no input given (--input FILE...)");
  if (min_count < 1) throw Error("--min-count must be at least 1");
  if (max_vocab < 0) throw Error("--max-vocab must be >= 0 (0 means unlimited)");
  if (prune_at < 1000) throw Error("--prune-at must be at least 1000");
}

double TrainArgs::effectiveAlpha() const {
  if (alpha > 0) return alpha;
  return model == ModelType::kCbow ? 0.05 : 0.025;
}

int TrainArgs::effectiveThreads() const { return threads > 0 ? threads : omp_get_num_procs(); }

void TrainArgs::validate() const {
  if (read_vocab.empty()) vocab.validate();
  else if (vocab.input.empty()) throw Error("no input given (--input FILE...)");
  if (output.empty()) throw Error("no output given (--output FILE)");
  if (dim < 1 || dim > 10000) throw Error("--dim must be between 1 and 10000");
  if (window < 1 || window > 1000) throw Error("--window must be between 1 and 1000");
  if (loss == LossType::kNegativeSampling && (negative < 1 || negative > 1000))
    throw Error("--negative must be between 1 and 1000 with --loss ns");
  if (epochs < 1 || epochs > 100000) throw Error("--epochs must be at least 1");
  if (!(sample >= 0) || sample >= 1) throw Error("--sample must be in [0, 1)");
  if (alpha != -1 && (!(alpha > 0) || alpha > 10 || !std::isfinite(alpha)))
    throw Error("--alpha must be a positive number");
  if (threads < 0 || threads > 1024) throw Error("--threads must be between 0 (all cores) and 1024");
  if (max_sentence < 1) throw Error("--max-sentence must be at least 1");
  if (!output_context.empty() && loss != LossType::kNegativeSampling)
    throw Error("--output-context needs --loss ns (hs has no per-word context vectors)");
}

}  // namespace wembed
