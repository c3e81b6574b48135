#include "wembed/glove/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <limits>
#include <memory>

#include "wembed/core/error.h"
#include "wembed/core/file_identity.h"
#include "wembed/core/io.h"
#include "wembed/core/output_check.h"
#include "wembed/corpus/prepare.h"
#include "wembed/distributed/comm.h"
#include "wembed/glove/checkpoint.h"
#include "wembed/vectors/pretrained.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

namespace {
// The vocabulary is counted on the co-occurrence counting's threads.
VocabArgs countingVocab(const VocabArgs& vocab, const CooccurArgs& counting) {
  VocabArgs v = vocab;
  v.threads = counting.threads;
  return v;
}
}  // namespace

namespace {

// runCooccur's checks before any work (on every rank).
void checkCooccurArgs(const CooccurRunArgs& a) {
  if (a.vocab.input.empty()) throw Error("no input given (--input FILE...)");
  if (a.read_vocab.empty()) a.vocab.validate();
  else a.vocab.validateLimits();
  if (a.output.empty()) throw Error("no output given (--output FILE)");
  if (!a.read_vocab.empty() && !a.save_vocab.empty())
    throw Error("--save-vocab only applies when the vocabulary is counted (not with --vocab)");
  a.counting.validate();
  checkTmpDir(a.counting.tmp_dir);
  if (distributed::active() && needsSpool(a.vocab.input))
    throw Error("a distributed run needs plain input files (not standard input or .gz), readable by every rank");
  FilePlan plan;
  plan.read("--input", a.vocab.input);
  plan.read("--vocab", a.read_vocab);
  plan.write("--output", a.output);
  plan.write("--save-vocab", a.save_vocab);
  plan.check();
  for (const auto& p : a.vocab.input) checkReadable(p);
}

}  // namespace

// Under mpirun every rank counts its share and rank 0 gathers, shuffles and
// writes every record (CooccurArgs::gather); an error on any rank stops all.
CooccurStats runCooccur(const CooccurRunArgs& a, const Reporter& log) {
  const bool writer = distributed::reporting();
  // Both outputs are committed together, after counting: a failure leaves neither.
  PendingFiles outs;
  std::string counts;
  distributed::together([&] {
    checkCooccurArgs(a);
    if (!writer) return;
    counts = outs.open(a.output).tempPath();
    if (!a.save_vocab.empty()) AtomicFile probe(a.save_vocab);  // fail now, not after counting
  });
  PreparedCorpus corpus;
  const auto prepare = [&] {
    corpus = prepareCorpus(countingVocab(a.vocab, a.counting), a.read_vocab, a.counting.tmp_dir, log);
  };
  if (a.read_vocab.empty()) prepare();  // counting agrees on failures itself
  else distributed::together(prepare);
  CooccurArgs c = a.counting;
  c.durable_output = false;  // into the temporary file, which outs syncs and renames
  c.gather = true;
  CooccurHooks hooks;
  hooks.log = log;
  const CooccurStats st = countCooccurrences(corpus.files, corpus.dict, c, counts, hooks);
  if (!writer) return st;
  if (!a.save_vocab.empty()) corpus.dict.write(outs.open(a.save_vocab));
  outs.commit();
  log.say(cooccurSummary(st, a.output));
  return st;
}

namespace {

// The counts a run with a checkpoint keeps beside it until it ends (so that
// a resume finds them), when it counts them itself and --save-cooccur does
// not name them; "" if none. Under mpirun each rank keeps the pairs it owns
// (FILE.rank-R.cooccur).
std::string keptCounts(const GloveTrainArgs& a, const CheckpointSettings& ck) {
  const bool kept = !ck.path.empty() && a.cooccur_file.empty() && a.save_cooccur.empty();
  if (!kept) return "";
  if (!distributed::active()) return ck.path + ".cooccur";
  return ck.path + ".rank-" + std::to_string(distributed::rank()) + ".cooccur";
}

// The checks before any work: settings, names, and that the outputs are
// distinct and writable. Returns the vectors' format. keep: the model is
// kept in memory, and the output may be empty (no file).
VectorFormat checkArgs(const GloveTrainArgs& a, const CheckpointSettings& ck,
                       const std::function<void(FilePlan&)>& more_files, bool keep) {
  a.glove.validate();
  a.counting.validate();
  checkTmpDir(a.tmp_dir);
  if (a.vectors != "sum" && a.vectors != "word")
    throw Error("unknown --glove-vectors '" + a.vectors + "' (expected sum or word)");
  if (a.output.empty() && !keep) throw Error("no output given (--output FILE)");
  if (a.output.empty() && !a.output_context.empty()) throw Error("--output-context needs --output");
  const bool named = a.format == VectorFormat::kAuto && !a.output.empty();
  const VectorFormat format = named ? formatFromPath(a.output) : a.format;
  if (format == VectorFormat::kTsv)
    throw Error("train does not write tsv; write another format and use 'wembed export OUT DIR --format tsv'");
  if (!a.cooccur_file.empty()) {
    if (!a.vocab.input.empty()) throw Error("give either --input (a corpus) or --cooccur (counts), not both");
    if (a.read_vocab.empty()) throw Error("--cooccur needs --read-vocab: the vocabulary the counts were made with");
    if (!a.save_cooccur.empty()) throw Error("--save-cooccur applies to training from --input only");
    if (!a.save_vocab.empty()) throw Error("--save-vocab applies to training from --input only");
  } else {
    if (a.vocab.input.empty()) throw Error("no input given (--input FILE... or --cooccur FILE)");
    if (a.read_vocab.empty()) a.vocab.validate();
  }
  if (!a.read_vocab.empty()) a.vocab.validateLimits();  // --min-count and --max-vocab apply to it
  FilePlan plan;
  plan.read("--input", a.vocab.input);
  plan.read("--read-vocab", a.read_vocab);
  plan.read("--cooccur", a.cooccur_file);
  planVectorInput(plan, "--init-vectors", a.init_vectors);
  planVectorOutput(plan, "--output", a.output, format);
  planVectorOutput(plan, "--output-context", a.output_context, format);
  plan.write("--save-vocab", a.save_vocab);
  plan.write("--save-cooccur", a.save_cooccur);
  plan.write("--checkpoint", ck.path);
  plan.writeBeside("--checkpoint", ck.path, keptCounts(a, ck));  // made now, removed when the run ends
  if (more_files) more_files(plan);
  plan.check();
  if (!distributed::reporting()) return format;  // rank 0 alone writes the outputs
  for (const std::string* p : {&a.output, &a.output_context})
    if (!p->empty())
      for (const auto& f : outputPaths(*p, format)) AtomicFile probe(f);
  for (const std::string* p : {&a.save_vocab, &a.save_cooccur})
    if (!p->empty()) AtomicFile probe(*p);
  return format;
}

// The vocabulary and the co-occurrence file to train on.
struct Counts {
  Dictionary dict;
  std::string path;
  bool owned = false;                // kept beside the checkpoint, removed when the run ends
  std::unique_ptr<TempFile> scratch; // counts made for this run only
};

// Under mpirun every rank counts its share of the corpus and keeps the
// pairs it owns in its own scratch file (see cooccur.h); an error on any
// rank stops all.
Counts countOrRead(const GloveTrainArgs& a, const CheckpointSettings& ck, const Reporter& log) {
  Counts c;
  const std::string kept = keptCounts(a, ck);
  c.owned = !kept.empty();
  distributed::together([&] {
    if (!ck.path.empty()) AtomicFile probe(ck.path);
    if (c.owned) AtomicFile probe(kept);
    if (!a.cooccur_file.empty()) c.dict = readVocabulary(a.read_vocab, a.vocab);
  });
  if (!a.cooccur_file.empty()) {
    c.path = a.cooccur_file;
    return c;
  }
  PreparedCorpus corpus;
  const auto prepare = [&] { corpus = prepareCorpus(countingVocab(a.vocab, a.counting), a.read_vocab, a.tmp_dir, log); };
  if (a.read_vocab.empty()) prepare();  // counting agrees on failures itself
  else distributed::together(prepare);
  c.dict = corpus.dict;
  CooccurArgs ca = a.counting;
  ca.tmp_dir = a.tmp_dir;
  distributed::together([&] {
    if (!a.save_vocab.empty() && distributed::reporting()) c.dict.save(a.save_vocab);
    if (c.owned) {
      c.path = kept;  // durable: a resume needs them after a crash
    } else if (a.save_cooccur.empty()) {
      c.scratch = std::make_unique<TempFile>(a.tmp_dir.empty() ? defaultTmpDir() : a.tmp_dir, "wembed-cooccur");
      c.scratch->close();
      c.path = c.scratch->path();
      ca.durable_output = false;  // scratch: no fsync
    } else {
      c.path = a.save_cooccur;
    }
  });
  CooccurHooks hooks;
  hooks.log = log;
  const CooccurStats st = countCooccurrences(corpus.files, c.dict, ca, c.path, hooks);
  if (!distributed::active()) {
    log.say(cooccurSummary(st, c.path));
    return c;
  }
  int64_t n[2] = {static_cast<int64_t>(st.records), st.tokens};
  distributed::allreduceSum(n, 2);
  log.say(stringPrintf("cooccur: %lld records from %lld tokens over %d ranks, each holding the pairs it owns (rank 0: "
                       "%llu; merge %s, shuffle %s)",
                       static_cast<long long>(n[0]), static_cast<long long>(n[1]), distributed::size(),
                       static_cast<unsigned long long>(st.records), formatDuration(st.merge_seconds).c_str(),
                       formatDuration(st.shuffle_seconds).c_str()));
  return c;
}

// Throws unless the counts fit the vocabulary and hold something to train on.
void checkCounts(const GloveTrainArgs& a, const Counts& c, const CooccurReader& reader, uint64_t total,
                 const Reporter& log) {
  if (total == 0) {
    if (!a.cooccur_file.empty())
      throw Error("'" + a.cooccur_file + "' holds no co-occurrence records: nothing to train");
    throw Error("no two words of the vocabulary occur within --window " + std::to_string(a.counting.window) +
                " of each other in " + describeInputs(a.vocab.input) + ": nothing to train");
  }
  if (reader.header().vocab_size != c.dict.size())
    throw Error("'" + c.path + "' was counted over " + std::to_string(reader.header().vocab_size) +
                " words but the vocabulary has " + std::to_string(c.dict.size()) +
                " (use the vocabulary and --min-count/--max-vocab it was counted with)");
  if (!(reader.header().flags & kCooccurShuffled)) log.say("train: warning: the co-occurrence records are not shuffled");
}

// A resumed run reads its checkpoint and the counts it names (and removes
// them at the end if the run made them), and writes the vectors and the
// next checkpoint: checked before any work, as runGlove's.
void checkResumeFiles(const std::string& resume, const GloveRun& run, const CheckpointSettings& ck,
                      const GloveHooks& hooks) {
  FilePlan plan;
  plan.read("--resume", resume);
  plan.readBeside("--resume", resume, run.cooccur);
  if (run.cooccur_owned) plan.writeBeside("--resume", resume, run.cooccur);
  const VectorFormat format = static_cast<VectorFormat>(run.format);
  planVectorOutput(plan, "--output", run.output, format);
  planVectorOutput(plan, "--output-context", run.output_context, format);
  plan.write("--checkpoint", ck.path);
  plan.allowRewrite("--checkpoint", "--resume");
  if (hooks.more_files) hooks.more_files(plan);
  plan.check();
}

// The vectors as the run writes them (sum or word), the context vectors when
// asked for (with_context), and the vocabulary.
std::shared_ptr<GloveModel> takeModel(const GloveTrainer& trainer, const GloveRun& run, const Dictionary& dict,
                                      bool with_context) {
  auto m = std::make_shared<GloveModel>();
  wordsAndCounts(dict, m->vectors.words, m->vectors.counts);
  m->vectors.matrix = run.vectors == "sum" ? trainer.sumVectors() : trainer.wordVectors();
  if (with_context) m->context = trainer.contextVectors();
  return m;
}

// --init-vectors, read before any work.
struct Pretrained {
  std::shared_ptr<const Vectors> vectors;  // null: none
  std::string path;
};

// The records a rank trains on, [first, first + n) of its file, and every rank's.
struct Share {
  uint64_t first = 0, n = 0, total = 0;
};

Share wholeFile(const CooccurReader& r) { return Share{0, r.records(), r.records()}; }

// Trains on the counts in `reader` (a fresh run, or the one in `resume`),
// then writes the vectors (if run->output names them); removes counts this
// run made for its checkpoint. keep: also returns the model.
GloveResult trainAndWrite(const GloveArgs& ga, std::shared_ptr<GloveRun> run, const Dictionary& dict,
                          const CooccurReader& reader, const Share& share, const CheckpointSettings& ck,
                          const GloveHooks& hooks,
                          std::unique_ptr<GloveCheckpoint> resume, double elapsed, bool keep = false,
                          const Pretrained& pre = {}) {
  const bool resumed = resume != nullptr;
  GloveTrainer trainer(ga, dict.size());
  if (resume) trainer.restore(std::move(*resume));
  if (pre.vectors) {  // --init-vectors sets W (W~ and the biases as usual)
    const int64_t n = applyPretrained(*pre.vectors, dict, [&trainer](int32_t w) { return trainer.wordRow(w); });
    hooks.log.say(pretrainedSummary(n, dict.size(), "--init-vectors", pre.path));
  }
  if (!ck.path.empty()) {
    trainer.checkpointing = ck;
    trainer.checkpoint_elapsed = elapsed;
    trainer.checkpoint_run = run;
  }
  trainer.on_progress = hooks.on_progress;
  trainer.on_epoch = hooks.on_epoch;
  if (hooks.on_setup) hooks.on_setup(GloveSetup{ga, dict.size(), share.total, trainer.tiles(share.n), resumed});
  GloveResult r;
  r.stats = trainer.train(reader, share.first, share.n);
  r.epochs = ga.epochs;
  r.vocab_size = dict.size();
  r.output = run->output;
  if (r.stats.interrupted) return r;  // a test hook: ended as a kill would, no outputs

  auto m = takeModel(trainer, *run, dict, keep || !run->output_context.empty());
  if (!run->output.empty() && distributed::reporting()) {  // rank 0 alone writes
    const VectorFormat format = static_cast<VectorFormat>(run->format);
    const VectorFormat out_format = format == VectorFormat::kAuto ? formatFromPath(run->output) : format;
    const Vectors& v = m->vectors;
    // Both outputs are committed together: a failure anywhere leaves neither.
    PendingFiles outs;
    writeVectors(outs, run->output, v.words, v.matrix, out_format, &v.counts);
    if (!run->output_context.empty()) writeVectors(outs, run->output_context, v.words, m->context, out_format, &v.counts);
    outs.commit();
  }
  if (run->cooccur_owned) std::remove(run->cooccur.c_str());  // the run is over: its kept counts are not needed
  if (keep) r.model = std::move(m);
  return r;
}

// What a distributed run (mpirun -np N) does not do yet; the same on every rank.
void checkDistributed(const GloveTrainArgs& a) {
  if (!distributed::active()) return;
  if (!a.save_cooccur.empty())
    throw Error("--save-cooccur does not apply under mpirun (each rank holds its share of the counts); count them "
                "with 'wembed cooccur'");
  if (needsSpool(a.vocab.input))
    throw Error("a distributed run needs plain input files (not standard input or .gz), readable by every rank");
}

// A checkpoint resumes with as many ranks as wrote it.
void checkRanks(const GloveCheckpoint& c, const std::string& path) {
  const int ranks = distributed::size();
  if (c.ranks == ranks) return;
  const auto many = [](int n) { return n == 1 ? std::string("1 process") : std::to_string(n) + " MPI ranks"; };
  throw Error("checkpoint '" + path + "' was written by " + many(c.ranks) + ": resume it " +
              (c.ranks == 1 ? std::string("without mpirun") : "with mpirun -np " + std::to_string(c.ranks)) +
              " (this run has " + many(ranks) + ")");
}

// A resumed run's files checked (rank 0 probes the outputs and removes what a
// killed run may have left half-written), and the counts it continues on,
// unchanged since the checkpoint.
std::unique_ptr<CooccurReader> openResumed(const std::string& path, const GloveRun& run, const CheckpointSettings& ck,
                                           const GloveHooks& hooks) {
  checkResumeFiles(path, run, ck, hooks);
  if (distributed::reporting())
    for (const std::string* p : std::initializer_list<const std::string*>{&run.output, &run.output_context, &ck.path, &path})
      if (!p->empty()) {
        removeAtomicLeftovers(*p);  // a killed run may have been writing it
        AtomicFile probe(*p);
      }
  if (run.cooccur_owned && access(run.cooccur.c_str(), F_OK) != 0)
    throw Error("the co-occurrence counts '" + run.cooccur + "' kept for checkpoint '" + path +
                "' are gone (they are removed when the run finishes)");
  checkUnchanged(run.cooccur, run.cooccur_id, path);
  auto reader = std::make_unique<CooccurReader>(run.cooccur);
  if (reader->records() != run.cooccur_records || reader->header().flags != run.cooccur_flags ||
      reader->header().vocab_size != static_cast<int32_t>(run.vocab.size()))
    throw Error("co-occurrence file '" + run.cooccur + "' changed since checkpoint '" + path + "' was written");
  return reader;
}

// The vocabulary a checkpoint holds, in its order.
Dictionary savedVocabulary(const GloveRun& run, const std::string& path) {
  Dictionary dict;
  for (const auto& e : run.vocab) dict.add(e.word, e.count);
  dict.finalize(std::numeric_limits<int64_t>::min(), 0);  // keeps every entry, in order
  if (dict.size() != static_cast<int32_t>(run.vocab.size()))
    throw Error("checkpoint '" + path + "' holds a bad vocabulary");
  return dict;
}

// This rank's records: the file it counted (every rank's counts summed), or
// its slice of the shared --cooccur file.
Share shareOf(const GloveTrainArgs& a, const CooccurReader& reader) {
  if (!distributed::active()) return wholeFile(reader);
  const uint64_t R = reader.records(), ranks = distributed::size(), me = distributed::rank();
  if (!a.cooccur_file.empty()) return Share{R * me / ranks, R * (me + 1) / ranks - R * me / ranks, R};
  int64_t total = static_cast<int64_t>(R);
  distributed::allreduceSum(&total, 1);
  return Share{0, R, static_cast<uint64_t>(total)};
}

GloveResult trainGlove(const GloveTrainArgs& a, const CheckpointSettings& ck, const GloveHooks& hooks, bool keep) {
  Stopwatch started;
  checkDistributed(a);
  Pretrained pre{nullptr, a.init_vectors};
  // Every rank checks its files; a failure on any stops them all.
  distributed::together([&] {
    checkArgs(a, ck, hooks.more_files, keep);
    for (const auto& p : a.vocab.input) checkReadable(p);
    if (!a.init_vectors.empty())
      pre.vectors = std::make_shared<const Vectors>(loadPretrained("--init-vectors", a.init_vectors, a.glove.dim));
  });
  const Counts counts = countOrRead(a, ck, hooks.log);
  std::unique_ptr<CooccurReader> file;
  distributed::together([&] { file = std::make_unique<CooccurReader>(counts.path); });
  const CooccurReader& reader = *file;
  const Share share = shareOf(a, reader);
  distributed::together([&] { checkCounts(a, counts, reader, share.total, hooks.log); });
  auto run = std::make_shared<GloveRun>();
  run->output = a.output;
  run->output_context = a.output_context;
  run->format = static_cast<int32_t>(a.format);
  run->vectors = a.vectors;
  if (!ck.path.empty()) {
    run->vocab = counts.dict.entries();
    run->cooccur = counts.path;
    run->cooccur_id = identify(counts.path);
    run->cooccur_records = reader.records();
    run->cooccur_flags = reader.header().flags;
    run->cooccur_owned = counts.owned;
    run->cooccur_first = share.first;
  }
  return trainAndWrite(a.glove, run, counts.dict, reader, share, ck, hooks, nullptr, started.seconds(), keep, pre);
}

}  // namespace

GloveResult runGlove(const GloveTrainArgs& a, const CheckpointSettings& ck, const GloveHooks& hooks) {
  return trainGlove(a, ck, hooks, false);
}

GloveResult trainGloveModel(const GloveTrainArgs& a, const GloveHooks& hooks) {
  return trainGlove(a, {}, hooks, true);
}

std::string formatGloveProgress(const Progress& p) {
  return stringPrintf("Progress: %5.1f%%  epoch %d  records/sec/thread: %8.0f  cost: %.5f  ETA: %s", 100.0 * p.fraction,
                      p.epoch, p.rate, p.loss, formatDuration(p.eta_seconds).c_str());
}

std::string formatGloveEpoch(const GloveEpoch& e, int epochs) {
  return stringPrintf("train: epoch %d/%d  cost %.6f  (%.1f s)", e.epoch, epochs, e.cost, e.seconds);
}

GloveResult resumeGlove(const ResumeArgs& resume, const GloveHooks& hooks) {
  const std::string& path = resume.path;
  CheckpointSettings ck = resume.checkpointing;
  if (ck.path.empty()) ck.path = path;
  // Every rank reads the checkpoint and its own counts; a failure on any stops all.
  std::unique_ptr<GloveCheckpoint> saved;
  std::shared_ptr<GloveRun> run;
  std::unique_ptr<CooccurReader> reader;
  Dictionary dict;
  distributed::together([&] {
    saved = std::make_unique<GloveCheckpoint>(loadGloveCheckpoint(path));
    checkRanks(*saved, path);
    takeRankShare(*saved, distributed::rank());
    run = std::make_shared<GloveRun>(saved->run);
    if (!resume.output.empty()) run->output = resume.output;
    reader = openResumed(path, *run, ck, hooks);
    dict = savedVocabulary(*run, path);
  });
  Share share = wholeFile(*reader);
  if (saved->ranks > 1) {
    int64_t total = static_cast<int64_t>(saved->records);
    distributed::allreduceSum(&total, 1);
    share = Share{run->cooccur_first, saved->records, static_cast<uint64_t>(total)};
  }
  const GloveArgs ga = saved->args;
  return trainAndWrite(ga, run, dict, *reader, share, ck, hooks, std::move(saved), 0);
}

void recordGloveRun(GloveHooks& hooks, RunRecorder& recorder) {
  auto settings = std::make_shared<GloveArgs>();
  hooks.on_setup = [&recorder, settings, next = std::move(hooks.on_setup)](const GloveSetup& s) {
    *settings = s.args;
    recorder.setEpochs(s.args.epochs);
    recorder.history().title = stringPrintf("train: glove, dim %d, %d words, x_max %g, eta %g%s", s.args.dim,
                                            s.vocab_size, s.args.x_max, s.args.eta, s.resumed ? " (resumed)" : "");
    if (next) next(s);
  };
  hooks.on_progress = recorder.wrap(std::move(hooks.on_progress));
  // An epoch may end before its first progress report: its cost is a point of its own.
  hooks.on_epoch = [&recorder, settings, next = std::move(hooks.on_epoch)](const GloveEpoch& e) {
    Progress end;
    end.fraction = static_cast<double>(e.epoch) / std::max(1, settings->epochs);
    end.loss = e.cost;
    end.lr = settings->eta;
    end.epoch = e.epoch;
    recorder.record(end);
    if (next) next(e);
  };
}

}  // namespace wembed
