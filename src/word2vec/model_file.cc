#include "wembed/word2vec/model_file.h"

#include <cstdlib>
#include <map>
#include <sstream>

#include "wembed/core/error.h"
#include "wembed/core/report.h"
#include "wembed/word2vec/huffman.h"
#include "wembed/word2vec/pipeline.h"

namespace wembed {

namespace {

const char* schedule(LrSchedule s) {
  return s == LrSchedule::kGlobal ? "global" : s == LrSchedule::kPerThread ? "per-thread" : "auto";
}

LrSchedule parseSchedule(const std::string& s) {
  if (s == "global") return LrSchedule::kGlobal;
  if (s == "per-thread") return LrSchedule::kPerThread;
  if (s == "auto") return LrSchedule::kAuto;
  throw Error("unknown lr-schedule '" + s + "'");
}

// The "key value" lines, each key once.
std::map<std::string, std::string> settingLines(const std::string& text) {
  std::map<std::string, std::string> kv;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto sp = line.find(' ');
    if (sp == std::string::npos || sp == 0) throw Error("bad settings line '" + line + "'");
    if (!kv.emplace(line.substr(0, sp), line.substr(sp + 1)).second)
      throw Error("setting '" + line.substr(0, sp) + "' given twice");
  }
  return kv;
}

double number(const std::map<std::string, std::string>& kv, const std::string& key) {
  const auto it = kv.find(key);
  if (it == kv.end()) throw Error("no setting '" + key + "'");
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || *end != '\0') throw Error("setting '" + key + "' is not a number: '" + it->second + "'");
  return v;
}

const std::string& text(const std::map<std::string, std::string>& kv, const std::string& key) {
  const auto it = kv.find(key);
  if (it == kv.end()) throw Error("no setting '" + key + "'");
  return it->second;
}

// The rows the layers must have for these settings and V words.
void checkLayers(const SavedWord2Vec& s) {
  const Vectors& v = s.vectors;
  const TrainArgs& a = s.args;
  const int64_t V = static_cast<int64_t>(v.words.size());
  if (V == 0) throw Error("the model has no words");
  if (v.counts.size() != v.words.size()) throw Error("the model has no word counts");
  if (v.matrix.cols() != a.dim)
    throw Error("the vectors have " + std::to_string(v.matrix.cols()) + " dimensions, the settings say " +
                std::to_string(a.dim));
  const int64_t out = v.model->output.rows();
  const int64_t want = a.loss == LossType::kHierarchicalSoftmax ? HuffmanTree(v.counts).innerNodes() : V;
  if (out != want)
    throw Error("the output layer has " + std::to_string(out) + " rows; " + toString(a.loss) + " over " +
                std::to_string(V) + " words needs " + std::to_string(want));
  if (a.subwords.enabled() != static_cast<bool>(v.subwords))
    throw Error(a.subwords.enabled() ? "the settings name subwords but the file has none"
                                     : "the file has subwords but the settings name none");
  if (v.subwords && (v.subwords->args.minn != a.subwords.minn || v.subwords->args.maxn != a.subwords.maxn ||
                     v.subwords->args.bucket != a.subwords.bucket))
    throw Error("the subword section and the settings disagree");
}

}  // namespace

std::string word2vecSettings(const TrainArgs& a) {
  std::string s = "kind word2vec\n";
  s += "model " + toString(a.model) + "\nloss " + toString(a.loss) + "\n";
  s += stringPrintf("dim %d\nwindow %d\nnegative %d\nsample %.17g\nns-exponent %.17g\nalpha %.17g\nepochs %d\n", a.dim,
                    a.window, a.negative, a.sample, a.effectiveNsExponent(), a.effectiveAlpha(), a.epochs);
  s += stringPrintf("min-count %lld\nupdate %s\nlr-schedule %s\n", static_cast<long long>(a.vocab.min_count),
                    toString(a.update).c_str(), schedule(a.lr_schedule));
  s += stringPrintf("minn %d\nmaxn %d\nbucket %lld\n", a.subwords.minn, a.subwords.maxn,
                    static_cast<long long>(a.subwords.bucket));
  return s;
}

TrainArgs parseWord2VecSettings(const std::string& settings, const std::string& path) {
  return withContext("'" + path + "'", [&] {
    const auto kv = settingLines(settings);
    if (text(kv, "kind") != "word2vec") throw Error("a model of kind '" + text(kv, "kind") + "', not word2vec");
    TrainArgs a;
    a.model = parseModel(text(kv, "model"));
    if (a.model == ModelType::kGlove) throw Error("a GloVe model, not word2vec");
    a.loss = parseLoss(text(kv, "loss"));
    a.dim = static_cast<int>(number(kv, "dim"));
    a.window = static_cast<int>(number(kv, "window"));
    a.negative = static_cast<int>(number(kv, "negative"));
    a.sample = number(kv, "sample");
    a.ns_exponent = number(kv, "ns-exponent");
    a.alpha = number(kv, "alpha");
    a.epochs = static_cast<int>(number(kv, "epochs"));
    a.vocab.min_count = static_cast<int64_t>(number(kv, "min-count"));
    a.update = parseUpdate(text(kv, "update"));
    a.lr_schedule = parseSchedule(text(kv, "lr-schedule"));
    a.subwords.minn = static_cast<int>(number(kv, "minn"));
    a.subwords.maxn = static_cast<int>(number(kv, "maxn"));
    a.subwords.bucket = static_cast<int64_t>(number(kv, "bucket"));
    if (a.dim < 1 || a.window < 1 || a.negative < 0 || a.epochs < 1) throw Error("settings out of range");
    return a;
  });
}

void writeWord2VecModelFile(PendingFiles& out, const std::string& path, const TrainArgs& a, const Word2VecModel& m) {
  writeModelFile(out, path, m.vectors, word2vecSettings(a), m.outputLayer());
}

SavedWord2Vec loadWord2VecModel(const std::string& flag, const std::string& path) {
  return withContext(flag, [&] {
    checkVectorFile(path);
    SavedWord2Vec s;
    s.vectors = loadVectors(path);
    if (!s.vectors.model)
      throw Error("'" + path + "' holds vectors only, not a full model (write one with 'wembed train --save-model')");
    s.args = parseWord2VecSettings(s.vectors.model->settings, path);
    withContext("'" + path + "'", [&] { checkLayers(s); });
    return s;
  });
}

}  // namespace wembed
