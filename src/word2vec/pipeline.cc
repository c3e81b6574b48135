#include "wembed/word2vec/pipeline.h"

#include <cstdint>
#include <algorithm>
#include <memory>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/output_check.h"
#include "wembed/corpus/prepare.h"
#include "wembed/distributed/comm.h"
#include "wembed/phrases/phrases.h"
#include "wembed/vectors/pretrained.h"
#include "wembed/vectors/vectors.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/word2vec/model_file.h"
#include "word2vec/grow.h"

namespace wembed {

namespace {

// A checkpoint that does not fit its inputs is named in the error.
void resuming(const std::string& resume, const std::function<void()>& f) {
  if (resume.empty()) return f();
  withContext("cannot resume from '" + resume + "'", f);
}

// Checks the files before hours of training, not after: no output is an
// input or another output, and each is writable. Returns the vectors' format.
VectorFormat checkOutputs(const TrainArgs& a, const std::string& checkpoint, const std::string& resume,
                          const Word2VecHooks& hooks) {
  FilePlan plan;
  plan.read("--input", a.vocab.input);
  plan.read("--read-vocab", a.read_vocab);
  plan.read("--resume", resume);
  planVectorInput(plan, "--init-vectors", a.init_vectors);
  plan.read("--init", a.init_model);
  plan.read("--phrases", a.phrases);
  planVectorOutput(plan, "--output", a.output, a.format);
  planVectorOutput(plan, "--output-context", a.output_context, a.format);
  plan.write("--save-vocab", a.save_vocab);
  plan.write("--save-model", a.save_model);
  plan.write("--checkpoint", checkpoint);
  plan.allowRewrite("--checkpoint", "--resume");  // a resumed run writes its own checkpoint again
  if (hooks.more_files) hooks.more_files(plan);
  plan.check();
  if (a.output.empty()) return a.format;  // the model kept in memory only
  if (!distributed::reporting()) return a.format;  // rank 0 alone writes the outputs
  const VectorFormat format = a.format == VectorFormat::kAuto ? formatFromPath(a.output) : a.format;
  if (format == VectorFormat::kTsv)
    throw Error("train does not write tsv; write another format and use 'wembed export OUT DIR --format tsv'");
  for (const std::string* p : {&a.output, &a.output_context})
    if (!p->empty())
      for (const auto& f : outputPaths(*p, format)) AtomicFile probe(f);
  for (const std::string* p : {&a.save_vocab, &a.save_model, &checkpoint})
    if (!p->empty()) AtomicFile probe(*p);
  if (!resume.empty()) {  // a killed run may have been writing these
    for (const std::string* p : {&a.output, &a.output_context})
      if (!p->empty())
        for (const auto& f : outputPaths(*p, format)) removeAtomicLeftovers(f);
    removeAtomicLeftovers(checkpoint);
    removeAtomicLeftovers(resume);
    removeAtomicLeftovers(a.save_model);
  }
  return format;
}

// The trained model with subwords, taken from the trainer (whose matrices
// are moved out): the words' composed vectors (the mean of their rows, as
// fastText's .vec) in m.vectors.matrix, the n-gram rows, the words' own rows,
// the output layer and fastText's settings in m.vectors.subwords.
void takeSubwords(const TrainArgs& a, const Dictionary& dict, Word2VecTrainer& trainer, Word2VecModel& m) {
  auto sub = std::make_shared<Subwords>();
  sub->args = a.subwords;
  Matrix in = std::move(trainer.input());
  const SubwordTable& table = trainer.subwordTable();
  const int32_t V = dict.size();
  Matrix& composed = m.vectors.matrix;
  composed = Matrix(V, a.dim);
  sub->own = Matrix(V, a.dim);
#pragma omp parallel for schedule(static)
  for (int32_t w = 0; w < V; ++w) {
    meanOfRows(in, table.rows(w), table.count(w), composed.row(w));
    std::copy(in.row(w), in.row(w) + in.stride(), sub->own.row(w));
  }
  in.dropLeadingRows(V);
  sub->buckets = std::move(in);
  sub->output = std::move(trainer.output());
  Subwords::Settings& s = sub->settings;
  s.window = a.window;
  s.epochs = a.epochs;
  s.min_count = static_cast<int>(std::min<int64_t>(a.vocab.min_count, INT32_MAX));
  s.negative = a.negative;
  s.loss = a.loss == LossType::kHierarchicalSoftmax ? 1 : 2;
  s.model = a.model == ModelType::kCbow ? 1 : 2;
  s.sample = a.sample;
  s.tokens = dict.totalCount();
  m.vectors.subwords = std::move(sub);
}

// The model, its matrices moved out of the trainer.
std::shared_ptr<Word2VecModel> takeModel(const TrainArgs& a, const Dictionary& dict, Word2VecTrainer& trainer) {
  auto m = std::make_shared<Word2VecModel>();
  wordsAndCounts(dict, m->vectors.words, m->vectors.counts);
  if (a.subwords.enabled()) {
    takeSubwords(a, dict, trainer, *m);
  } else {
    m->vectors.matrix = std::move(trainer.input());
    m->context = std::move(trainer.output());
  }
  return m;
}

// Every output goes to its temporary file first and they are renamed
// together: a failure in any (a full disk) leaves none of them, and every
// older file untouched. The vectors are not written when a.output is empty
// (a model kept in memory), the other files named still are.
void writeOutputs(const TrainArgs& a, VectorFormat format, const Dictionary& dict, const Word2VecModel& m) {
  const Vectors& v = m.vectors;
  PendingFiles outs;
  if (!a.output.empty()) writeVectors(outs, a.output, v.words, v.matrix, format, &v.counts, v.subwords.get());
  if (!a.output_context.empty()) writeVectors(outs, a.output_context, v.words, m.outputLayer(), format, &v.counts);
  if (!a.save_vocab.empty()) dict.write(outs.open(a.save_vocab));
  if (!a.save_model.empty()) writeWord2VecModelFile(outs, a.save_model, a, m);
  outs.commit();
}

// The corpus to train on: the checkpoint's vocabulary and files, or the
// vocabulary read or counted, with stdin/.gz inputs spooled.
// With --init (base): the model's vocabulary grown by the new text's words,
// and new_words the in-vocabulary tokens of the new text (the grown counts
// hold the old text's too).
PreparedCorpus prepare(const TrainArgs& a, const std::string& checkpoint, const Word2VecCheckpoint* saved,
                       const SavedWord2Vec* base, const TokenRewriting* phrases, const Reporter& log,
                       int64_t& new_words) {
  if (!saved) {
    if (needsSpool(a.vocab.input) && !checkpoint.empty())
      throw Error("--checkpoint needs plain input files (stdin and .gz input cannot be resumed)");
    VocabArgs vocab = a.vocab;
    vocab.threads = a.threads;  // the run's threads count the vocabulary too
    vocab.rewriting = phrases;
    if (!base) return prepareCorpus(vocab, a.read_vocab, a.tmp_dir, log);
    vocab.min_count = 1;  // every word's count is added to the model's; new words need --min-count
    vocab.max_vocab = 0;
    PreparedCorpus c = prepareCorpus(vocab, "", a.tmp_dir, log);
    const int32_t old_words = static_cast<int32_t>(base->vectors.words.size());
    Dictionary grown = growVocabulary(base->vectors, c.dict, a.vocab.min_count, a.vocab.max_vocab);
    new_words = 0;
    for (int32_t i = 0; i < c.dict.size(); ++i)
      if (grown.find(c.dict[i].word) >= 0) new_words += c.dict[i].count;
    c.dict = std::move(grown);
    log.say(stringPrintf("train: continuing '%s': %d words of the model, %d new ones (at least --min-count %lld "
                         "in the new text)", a.init_model.c_str(), old_words, c.dict.size() - old_words,
                         static_cast<long long>(a.vocab.min_count)));
    return c;
  }
  PreparedCorpus c;
  for (const auto& e : saved->vocab) c.dict.add(e.word, e.count);
  c.dict.finalizeInOrder();  // a grown vocabulary is not sorted by count
  c.files = a.vocab.input;
  return c;
}

// --phrases: the table, read before the corpus is counted (a damaged file
// stops the run at once).
std::unique_ptr<PhraseRewriting> readPhrases(const TrainArgs& a, const std::string& checkpoint, const Reporter& log) {
  if (a.phrases.empty()) return nullptr;
  if (!checkpoint.empty())
    throw Error("--phrases cannot be checkpointed (a resumed run would not apply the table); leave out --checkpoint");
  withContext("--phrases", [&] { checkReadable(a.phrases); });
  auto r = std::make_unique<PhraseRewriting>(readPhraseModel(a.phrases));
  size_t n = 0;
  for (const PhraseTable& t : r->model().passes) n += t.phrases.size();
  log.say(stringPrintf("train: joining %zu phrases (%zu passes) from --phrases '%s' while counting and training", n,
                       r->model().passes.size(), a.phrases.c_str()));
  return r;
}

// --init-vectors: the input rows of the words found in `pre` (with subwords
// the words' own rows, the first V rows of the input matrix).
void initialise(const TrainArgs& a, const Vectors& pre, const Dictionary& dict, Word2VecTrainer& trainer,
                const Reporter& log) {
  if (a.init_vectors.empty()) return;
  Matrix& in = trainer.input();
  const int64_t n = applyPretrained(pre, dict, [&in](int32_t w) { return in.row(w); });
  log.say(pretrainedSummary(n, dict.size(), "--init-vectors", a.init_vectors));
}

// What a distributed run (mpirun -np N) does not do yet.
void checkDistributed(const TrainArgs& a) {
  if (!distributed::active()) return;
  if (a.subwords.enabled()) throw Error("subwords (--maxn) cannot be trained by several MPI ranks yet");
  if (needsSpool(a.vocab.input))
    throw Error("a distributed run needs plain input files (not standard input or .gz), readable by every rank");
}

// runWord2Vec and resumeWord2Vec: a is checked; saved (if any) is the
// checkpoint in file `resume`.
// keep: return the model too (args.output may then be empty).
Word2VecResult train(const TrainArgs& given, const CheckpointSettings& ck, const Word2VecHooks& hooks,
                     std::unique_ptr<Word2VecCheckpoint> saved, const std::string& resume, bool keep = false) {
  given.validate(!keep);
  TrainArgs a = given;
  std::unique_ptr<SavedWord2Vec> base;  // --init: the model continued
  if (!saved && !a.init_model.empty()) {
    base = std::make_unique<SavedWord2Vec>(loadWord2VecModel("--init", a.init_model));
    a = continuedArgs(a, base->args, a.init_model);
    a.validate(!keep);
  }
  // A subword model named X.bin is fastText's model (X.bin and X.vec), as
  // fastText writes it; without subwords .bin stays word2vec's binary format.
  const std::string& o = a.output;
  if (a.subwords.enabled() && a.format == VectorFormat::kAuto && o.size() > 4 && o.compare(o.size() - 4, 4, ".bin") == 0)
    a.format = VectorFormat::kFastText;
  if (a.freeze_old && !ck.path.empty()) throw Error("--freeze-old cannot be checkpointed (a resumed run would not keep it)");
  checkDistributed(a);
  VectorFormat format = a.format;
  Vectors pre;
  // Every rank checks its files; a failure on any stops them all.
  distributed::together([&] {
    format = checkOutputs(a, ck.path, resume, hooks);
    resuming(resume, [&] {
      for (const auto& p : a.vocab.input) checkReadable(p);
    });
    // Read before the corpus is counted: a damaged file stops the run at once.
    if (!a.init_vectors.empty() && !saved) pre = loadPretrained("--init-vectors", a.init_vectors, a.dim);
  });
  std::unique_ptr<PhraseRewriting> phrases;
  distributed::together([&] { phrases = saved ? nullptr : readPhrases(a, ck.path, hooks.log); });
  int64_t new_words = 0;  // --init: the new text's tokens, which the learning rate decays over
  PreparedCorpus corpus;
  const auto count = [&] { corpus = prepare(a, ck.path, saved.get(), base.get(), phrases.get(), hooks.log, new_words); };
  if (a.read_vocab.empty()) count();  // counting agrees on failures itself
  else distributed::together(count);
  const Dictionary& dict = corpus.dict;
  if (dict.totalCount() > INT64_MAX / a.epochs)
    throw Error("the vocabulary's counts (" + std::to_string(dict.totalCount()) + ") times --epochs exceed 2^63");

  Word2VecTrainer trainer(a, dict);
  trainer.setRewriting(phrases.get());
  if (saved)
    resuming(resume, [&] {
      trainer.restore(std::move(*saved));
      trainer.checkResume(corpus.files);
    });
  else
    initialise(a, pre, dict, trainer, hooks.log);
  if (base) {
    carryOver(*base, dict, trainer);
    trainer.setWordsPerEpoch(new_words);
    if (a.freeze_old) trainer.freezeWords(static_cast<int32_t>(base->vectors.words.size()));
    base.reset();
  }
  if (!saved && hooks.on_start) hooks.on_start(trainer.input(), trainer.output());
  trainer.checkpointing = ck;
  trainer.id_cache_dir = a.tmp_dir.empty() ? defaultTmpDir() : a.tmp_dir;
  trainer.on_progress = hooks.on_progress;
  if (hooks.on_setup) hooks.on_setup(Word2VecSetup{a, dict.size(), !resume.empty()});
  Word2VecResult r;
  r.stats = trainer.train(corpus.files);
  r.vocab_size = dict.size();
  r.output = a.output;
  if (r.stats.interrupted) return r;  // a test hook: ended as a kill would, no outputs
  // With --read-vocab the corpus is not counted first: it may hold none of the words.
  if (r.stats.words_in_epoch.empty() || r.stats.words_in_epoch.front() == 0)
    throw Error("no word of the vocabulary" + (a.read_vocab.empty() ? std::string() : " '" + a.read_vocab + "'") +
                " occurs in " + describeInputs(a.vocab.input) + ": nothing to train");
  r.model = takeModel(a, dict, trainer);
  if (distributed::reporting()) writeOutputs(a, format, dict, *r.model);
  if (!keep) r.model.reset();
  return r;
}

}  // namespace

Word2VecResult runWord2Vec(const TrainArgs& args, const CheckpointSettings& checkpoint, const Word2VecHooks& hooks) {
  return train(args, checkpoint, hooks, nullptr, "");
}

Word2VecResult trainWord2VecModel(const TrainArgs& args, const Word2VecHooks& hooks) {
  return train(args, {}, hooks, nullptr, "", true);
}

Word2VecResult resumeWord2Vec(const ResumeArgs& resume, const Word2VecHooks& hooks) {
  std::unique_ptr<Word2VecCheckpoint> saved;
  // Every rank reads it (one file, at the same path on every machine).
  distributed::together([&] { saved = std::make_unique<Word2VecCheckpoint>(loadWord2VecCheckpoint(resume.path)); });
  TrainArgs a = saved->args;
  if (!resume.output.empty()) a.output = resume.output;
  a.save_model = resume.save_model;
  CheckpointSettings ck = resume.checkpointing;
  if (ck.path.empty()) ck.path = resume.path;
  return train(a, ck, hooks, std::move(saved), resume.path);
}

void recordWord2VecRun(Word2VecHooks& hooks, RunRecorder& recorder) {
  hooks.on_setup = [&recorder, next = std::move(hooks.on_setup)](const Word2VecSetup& s) {
    const TrainArgs& a = s.args;
    recorder.setEpochs(a.epochs);
    recorder.history().title = stringPrintf("train: %s-%s, dim %d, window %d, %d words, alpha %g%s",
                                            toString(a.model).c_str(), toString(a.loss).c_str(), a.dim, a.window,
                                            s.vocab_size, a.effectiveAlpha(), s.resumed ? " (resumed)" : "");
    if (next) next(s);
  };
  hooks.on_progress = recorder.wrap(std::move(hooks.on_progress));
}

}  // namespace wembed
