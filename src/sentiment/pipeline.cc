#include "wembed/sentiment/pipeline.h"

#include <cstdio>
#include <memory>
#include <utility>

#include "wembed/core/error.h"
#include "wembed/core/file_identity.h"
#include "wembed/core/io.h"
#include "wembed/core/output_check.h"
#include "wembed/core/progress.h"
#include "wembed/core/range_check.h"
#include "wembed/core/report.h"
#include "wembed/core/threads.h"
#include "wembed/sentiment/checkpoint.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

std::vector<Example> encodeExamples(const std::vector<LabeledText>& rows, const Vocabulary& vocab, int max_len,
                                    int64_t* unknown, int64_t* total) {
  std::vector<Example> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    out[i].ids = vocab.encode(rows[i].text, max_len, unknown, total);
    out[i].label = rows[i].label;
  }
  return out;
}

namespace {

// --max-len: the words of a text used (0: all).
const Range kMaxLenRange = Range::closed(0, 1000000).orZero("all");

std::vector<LabeledText> readRows(const std::string& path, const SentimentColumns& c) {
  auto rows = readLabeledTsv(path, c.text, c.label, true);
  if (rows.empty()) throw Error(quotedName(path) + " has no rows");
  return rows;
}

}  // namespace

// --- train -------------------------------------------------------------------

void SentimentRunArgs::validate() const {
  CheckpointSettings{checkpoint, checkpoint_every, {}}.validate();
  if (vectors.empty()) throw Error("no --vectors file given");
  if (train.empty()) throw Error("no --train file given");
  if (dev.empty()) throw Error("no --dev file given");
  if (model_file.empty()) throw Error("no --model-file output given");
  checkRange("--max-len", max_len, kMaxLenRange);
  checkRange("--max-vocab", max_vocab, Range::closed(0, 1e9).orZero("all"));
  NetConfig n = net;
  n.embed_dim = 1;  // checked again once the vectors are read
  n.validate();
  training.validate();
}

namespace {

// `resume`: the inputs and settings of the saved run, whose inputs must not
// have changed; returns the checkpoint.
std::unique_ptr<SentimentCheckpoint> applyResume(SentimentRunArgs& a) {
  auto saved = std::make_unique<SentimentCheckpoint>(loadSentimentCheckpoint(a.resume));
  const SentimentRun& r = saved->run;
  a.vectors = r.vectors;
  a.train = r.train;
  a.dev = r.dev;
  if (a.model_file.empty()) a.model_file = r.model;
  a.columns = {r.text_column, r.label_column};
  a.max_len = r.max_len;
  a.max_vocab = r.max_vocab;
  a.net = saved->config;
  a.training = saved->args;  // its seed and resolved thread count too
  if (a.checkpoint.empty()) a.checkpoint = a.resume;
  for (const auto& [p, id] : {std::pair{a.vectors, r.vectors_id}, std::pair{a.train, r.train_id},
                              std::pair{a.dev, r.dev_id}}) {
    checkReadable(p);
    checkUnchanged(p, id, a.resume);
  }
  return saved;
}

// Fails now, not after training, if an output is an input or another
// output, cannot be written, or an input cannot be read; a resumed run first
// removes what a killed one may have been writing.
void checkFiles(const SentimentRunArgs& a, const SentimentHooks& hooks) {
  FilePlan plan;
  planVectorInput(plan, "--vectors", a.vectors);
  plan.read("--train", a.train);
  plan.read("--dev", a.dev);
  plan.read("--resume", a.resume);
  plan.write("--model-file", a.model_file);
  plan.write("--checkpoint", a.checkpoint);
  plan.allowRewrite("--checkpoint", "--resume");  // a resumed run writes its own checkpoint again
  if (hooks.more_files) hooks.more_files(plan);
  plan.check();
  if (!a.resume.empty())
    for (const auto& p : {a.model_file, a.checkpoint, a.resume}) removeAtomicLeftovers(p);
  { AtomicFile probe(a.model_file); }
  if (!a.checkpoint.empty()) AtomicFile probe(a.checkpoint);
  for (const auto& p : {a.vectors, a.train, a.dev}) checkReadable(p);
}

// What every checkpoint records about the inputs (null without checkpoints).
std::shared_ptr<SentimentRun> runRecord(const SentimentRunArgs& a) {
  if (a.checkpoint.empty()) return nullptr;
  auto run = std::make_shared<SentimentRun>();
  run->vectors = a.vectors;
  run->train = a.train;
  run->dev = a.dev;
  run->model = a.model_file;
  for (auto [p, id] : {std::pair{&a.vectors, &run->vectors_id}, std::pair{&a.train, &run->train_id},
                       std::pair{&a.dev, &run->dev_id}}) {
    if (isStdinPath(*p)) throw Error("--checkpoint needs input files (stdin cannot be read again on --resume)");
    *id = identify(*p);
  }
  run->text_column = a.columns.text;
  run->label_column = a.columns.label;
  run->max_len = a.max_len;
  run->max_vocab = a.max_vocab;
  return run;
}

struct Prepared {
  SentimentModel model;
  std::vector<Example> train, dev;
  SentimentSetup setup;
};

// Reads the data and the vectors, builds the untrained model, encodes the texts.
Prepared prepare(const SentimentRunArgs& a) {
  Stopwatch sw;
  const auto train_rows = readRows(a.train, a.columns);
  const auto dev_rows = readRows(a.dev, a.columns);
  Prepared p;
  {
    const Vectors vec = loadWord2vec(a.vectors);
    VectorVocabulary v = classifierVocabulary(vec.words, a.max_vocab);
    if (vec.subwords) {  // the words of the data outside the file get their vectors from n-grams, as fastText's
      std::vector<std::string_view> texts;
      for (const auto* rows : {&train_rows, &dev_rows})
        for (const LabeledText& r : *rows) texts.push_back(r.text);
      p.setup.composed_words = addComposedWords(v, vec.words, *vec.subwords, texts, a.max_len);
    }
    if (v.words.empty()) throw Error(quotedName(a.vectors) + " has no word made of lower-case letters a-z");
    p.model = newSentimentModel(vec.matrix, std::move(v), a.net, a.max_len, a.training.seed);
  }
  SentimentSetup& s = p.setup;
  p.train = encodeExamples(train_rows, p.model.vocab, a.max_len, &s.train_unknown, &s.train_tokens);
  p.dev = encodeExamples(dev_rows, p.model.vocab, a.max_len, &s.dev_unknown, &s.dev_tokens);
  s.train_texts = static_cast<int64_t>(p.train.size());
  s.dev_texts = static_cast<int64_t>(p.dev.size());
  s.vocab_size = p.model.vocab.size();
  s.embed_dim = p.model.net.config.embed_dim;
  s.seconds = sw.seconds();
  s.threads = a.training.effectiveThreads();
  return p;
}

}  // namespace

TrainResult trainSentiment(const SentimentRunArgs& given, const SentimentHooks& hooks) {
  SentimentRunArgs a = given;
  CheckpointSettings{a.checkpoint, a.checkpoint_every, {}}.validate();  // also with resume
  std::unique_ptr<SentimentCheckpoint> saved;
  if (!a.resume.empty()) saved = applyResume(a);
  a.validate();
  if (hooks.on_args) hooks.on_args(a);
  checkFiles(a, hooks);
  const std::shared_ptr<SentimentRun> run = runRecord(a);
  Prepared p = prepare(a);
  if (saved) p.setup.resumed_train_seconds = saved->result.train_seconds;
  if (hooks.on_setup) hooks.on_setup(p.setup);
  if (saved && (saved->embedding_rows != p.model.net.embeddings.rows() || saved->config.embed_dim != p.setup.embed_dim))
    throw Error(quotedName(a.vectors) + " does not give the vocabulary checkpoint " + quotedName(a.resume) + " was written with");
  SentimentTrainer trainer(a.training, p.model.net);
  if (saved) trainer.restore(std::move(*saved));
  if (run) {
    trainer.checkpointing.path = a.checkpoint;
    trainer.checkpointing.every_seconds = a.checkpoint_every;
    trainer.checkpoint_run = run;
  }
  trainer.on_progress = hooks.on_progress;
  trainer.on_epoch = hooks.on_epoch;
  trainer.on_best = [&](const EpochStats&) { p.model.save(a.model_file); };
  const TrainResult r = trainer.train(p.train, p.dev);
  // A resumed run may not improve on the best epoch before the checkpoint:
  // write that one (the network now holds it) in case model_file is new.
  if (saved) p.model.save(a.model_file);
  return r;
}

void recordSentimentRun(SentimentHooks& hooks, RunRecorder& recorder) {
  hooks.on_args = [&recorder, next = std::move(hooks.on_args)](const SentimentRunArgs& a) {
    const NetConfig& n = a.net;
    char buf[160];
    std::snprintf(buf, sizeof(buf), "sentiment train: %s%s, hidden %d, %s pooling, batch %d, lr %g%s",
                  n.bidirectional ? "bidirectional " : "", toString(n.cell).c_str(), n.hidden,
                  toString(n.pooling).c_str(), a.training.batch, a.training.lr, a.resume.empty() ? "" : " (resumed)");
    recorder.history().title = buf;
    if (next) next(a);
  };
  hooks.on_progress = recorder.wrap(std::move(hooks.on_progress));
  hooks.on_epoch = [&recorder, next = std::move(hooks.on_epoch)](const EpochStats& s) {
    recorder.recordScore(s.epoch, s.dev.accuracy());
    if (next) next(s);
  };
}

// --- eval --------------------------------------------------------------------

void SentimentEvalArgs::validate() const {
  if (model_file.empty()) throw Error("no --model-file given");
  if (data.empty()) throw Error("no --data file given");
  resolveThreads(threads);  // refuses a count out of range
}

SentimentEvalResult evalSentiment(const SentimentEvalArgs& a) {
  a.validate();
  checkReadable(a.data);
  const SentimentModel model = SentimentModel::load(a.model_file);
  const auto set = encodeExamples(readRows(a.data, a.columns), model.vocab, model.max_len);
  Stopwatch sw;
  SentimentEvalResult r;
  r.metrics = evaluate(model.net, set, a.threads);
  r.seconds = sw.seconds();
  return r;
}

// --- predict -----------------------------------------------------------------

std::vector<SentimentPrediction> predictSentiment(const SentimentModel& model, const std::vector<std::string_view>& texts,
                                                  int threads) {
  std::vector<Example> examples;
  examples.reserve(texts.size());
  for (std::string_view t : texts) examples.push_back(model.encode(t));
  const std::vector<float> p = predictProbabilities(model.net, examples, threads);
  std::vector<SentimentPrediction> out(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    out[i].label = p[i] >= 0.5f ? 1 : 0;
    out[i].probability = out[i].label ? p[i] : 1.0f - p[i];
  }
  return out;
}

void SentimentPredictArgs::validate() const {
  if (model_file.empty()) throw Error("no --model-file given");
  resolveThreads(threads);  // refuses a count out of range
}

void predictSentiment(const SentimentPredictArgs& a,
                      const std::function<void(const std::vector<SentimentPrediction>&)>& out) {
  constexpr size_t kChunk = 8192;  // lines predicted together
  a.validate();
  checkReadable(a.input);
  const SentimentModel model = SentimentModel::load(a.model_file);
  LineReader in(a.input, kMaxTextLine);
  std::vector<std::string> lines;
  std::string line;
  auto flush = [&] {
    const std::vector<std::string_view> chunk(lines.begin(), lines.end());
    out(predictSentiment(model, chunk, a.threads));
    lines.clear();
  };
  while (in.next(line)) {
    lines.push_back(std::move(line));
    if (lines.size() == kChunk) flush();
  }
  if (!lines.empty()) flush();
}

// --- tokenize ----------------------------------------------------------------

TokenFormat parseTokenFormat(const std::string& s) {
  if (s == "tsv") return TokenFormat::kTsv;
  if (s == "fasttext") return TokenFormat::kFastText;
  throw Error("--format must be tsv or fasttext");
}

void SentimentTokenizeArgs::validate() const {
  if (data.empty()) throw Error("no --data file given");
  checkRange("--max-len", max_len, kMaxLenRange);
}

std::string tokenizeSentiment(const SentimentTokenizeArgs& a) {
  a.validate();
  checkReadable(a.data);
  const auto rows = readLabeledTsv(a.data, a.columns.text, a.columns.label, false);
  std::string out;
  for (const auto& r : rows) {
    const std::string label = r.label < 0 ? "" : std::to_string(r.label);
    if (a.format == TokenFormat::kFastText)
      out += r.label < 0 ? "" : "__label__" + label + " ";
    else
      out += label + "\t";
    TextCleaner c(r.text);
    std::string_view w;
    int n = 0;
    while ((a.max_len == 0 || n < a.max_len) && c.next(w)) {
      if (n++) out.push_back(' ');
      out.append(w);
    }
    out.push_back('\n');
  }
  return out;
}

std::string formatSentimentProgress(const Progress& p, int epochs) {
  return stringPrintf("epoch %d/%d %5.1f%%  %.0f seq/s  loss %.4f  epoch ETA %s", p.epoch, epochs, 100 * p.fraction,
                      p.rate, p.loss, formatDuration(p.eta_seconds).c_str());
}

std::string formatSentimentEpoch(const EpochStats& e, int epochs, double eta_seconds) {
  return stringPrintf("epoch %d/%d: train loss %.4f, dev accuracy %.2f%% (loss %.4f)%s, %.0f seq/s, %s, ETA %s", e.epoch,
                      epochs, e.train_loss, 100 * e.dev.accuracy(), e.dev.meanLoss(), e.best ? " *best*" : "",
                      e.seqs_per_sec, formatDuration(e.seconds).c_str(), formatDuration(eta_seconds).c_str());
}

}  // namespace wembed
