// `wembed train --model glove`: counting (or a co-occurrence file), then the
// GloVe trainer, then the vectors through the same writer as word2vec.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>

#include "glove_cli.h"
#include "wembed/core/error.h"
#include "wembed/glove/checkpoint.h"
#include "wembed/core/progress.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

void addGloveOptions(po::options_description& d, GloveCli& g) {
  d.add_options()
    ("cooccur", po::value(&g.cooccur_file), "train from this co-occurrence file (from 'wembed cooccur'; needs --read-vocab) instead of --input")
    ("save-cooccur", po::value(&g.save_cooccur), "keep the co-occurrence counts made from --input in this file")
    ("x-max", po::value(&g.glove.x_max)->default_value(100.0, "100"), "weighting cutoff: f(x) = min(1, (x/x_max)^alpha-weight)")
    ("alpha-weight", po::value(&g.glove.alpha)->default_value(0.75, "0.75"), "exponent of the weighting function")
    ("eta", po::value(&g.glove.eta)->default_value(0.15, "0.15"), "AdaGrad learning rate (Stanford's default is 0.05)")
    ("grad-clip", po::value(&g.glove.grad_clip)->default_value(1.0, "1"), "clip each component of eta*gradient to +-this (0: off; Stanford: 100)")
    ("glove-vectors", po::value(&g.vectors)->default_value("sum"), "vectors written: sum (W + W~, as Stanford's -model 2) or word (W alone)");
  addCountingOptions(d, g.cooccur);
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

// Trains on the counts in `reader` (a fresh run, or the one in `resume`),
// then writes the vectors; removes counts this run made for its checkpoint.
int runGlove(const GloveArgs& ga, std::shared_ptr<GloveRun> run, const Dictionary& dict, const CooccurReader& reader,
             const GloveCheck& ck, bool quiet, std::unique_ptr<GloveCheckpoint> resume, double elapsed) {
  const bool resumed = resume != nullptr;
  GloveTrainer trainer(ga, dict.size());
  if (resume) trainer.restore(std::move(*resume));
  if (!ck.path.empty()) {
    trainer.checkpointing.path = ck.path;
    trainer.checkpointing.every_seconds = ck.every;
    trainer.checkpoint_elapsed = elapsed;
    trainer.checkpoint_run = run;
  }
  if (!quiet) {
    std::fprintf(stderr,
                 "train: %sglove, %d words, %llu records (%s), dim %d, %d epochs, %d threads, x_max %g, alpha %g, "
                 "eta %g\n",
                 resumed ? "resuming " : "", dict.size(), static_cast<unsigned long long>(reader.records()),
                 trainer.tiles(reader.records()) ? "held in memory, trained tile by tile"
                                                 : "streamed from the file: more than --memory",
                 ga.dim, ga.epochs, ga.effectiveThreads(), ga.x_max, ga.alpha, ga.eta);
    trainer.on_progress = [](const Progress& p) {
      char buf[200];
      std::snprintf(buf, sizeof(buf),
                    "Progress: %5.1f%%  epoch %d  records/sec/thread: %8.0f  cost: %.5f  ETA: %s", 100.0 * p.fraction,
                    p.epoch, p.rate, p.loss, formatDuration(p.eta_seconds).c_str());
      showProgressLine(buf);
    };
    const int E = ga.epochs;
    trainer.on_epoch = [E](const GloveEpoch& e) {
      endProgressLine();
      std::fprintf(stderr, "train: epoch %d/%d  cost %.6f  (%.1f s)\n", e.epoch, E, e.cost, e.seconds);
    };
  }
  GloveStats st = trainer.train(reader);
  endProgressLine();
  if (!quiet)
    std::fprintf(stderr, "train: %llu records x %d epochs in %s (%.0f records/s)\n",
                 static_cast<unsigned long long>(st.records), ga.epochs, formatDuration(st.seconds).c_str(),
                 st.records * static_cast<double>(ga.epochs) / std::max(1e-9, st.seconds));

  std::vector<std::string> words;
  std::vector<int64_t> freq;
  words.reserve(dict.size());
  freq.reserve(dict.size());
  for (const auto& e : dict.entries()) {
    words.push_back(e.word);
    freq.push_back(e.count);
  }
  const VectorFormat format = static_cast<VectorFormat>(run->format);
  const VectorFormat out_format = format == VectorFormat::kAuto ? formatFromPath(run->output) : format;
  // Both outputs are committed together: a failure anywhere leaves neither.
  PendingFiles outs;
  writeVectors(outs, run->output, words, run->vectors == "sum" ? trainer.sumVectors() : trainer.wordVectors(),
               out_format, &freq);
  if (!run->output_context.empty())
    writeVectors(outs, run->output_context, words, trainer.contextVectors(), out_format, &freq);
  outs.commit();
  if (run->cooccur_owned) std::remove(run->cooccur.c_str());  // the run is over: its kept counts are not needed
  if (!quiet) std::fprintf(stderr, "train: wrote %s\n", run->output.c_str());
  return 0;
}

}  // namespace

int resumeGlove(const std::string& path, const std::string& output, const GloveCheck& ck, bool quiet) {
  auto saved = std::make_unique<GloveCheckpoint>(loadGloveCheckpoint(path));
  auto run = std::make_shared<GloveRun>(saved->run);
  if (!output.empty()) run->output = output;
  for (const std::string* p :
       std::initializer_list<const std::string*>{&run->output, &run->output_context, &ck.path, &path})
    if (!p->empty()) {
      removeAtomicLeftovers(*p);  // a killed run may have been writing it
      AtomicFile probe(*p);
    }
  if (run->cooccur_owned && access(run->cooccur.c_str(), F_OK) != 0)
    throw Error("the co-occurrence counts '" + run->cooccur + "' kept for checkpoint '" + path +
                "' are gone (they are removed when the run finishes)");
  CooccurReader reader(run->cooccur);
  if (regularFileSize(run->cooccur) != run->cooccur_bytes || reader.records() != run->cooccur_records ||
      reader.header().flags != run->cooccur_flags ||
      reader.header().vocab_size != static_cast<int32_t>(run->vocab.size()))
    throw Error("co-occurrence file '" + run->cooccur + "' changed since checkpoint '" + path + "' was written");
  Dictionary dict;
  for (const auto& e : run->vocab) dict.add(e.word, e.count);
  dict.finalize(std::numeric_limits<int64_t>::min(), 0);  // keeps every entry, in order
  if (dict.size() != static_cast<int32_t>(run->vocab.size()))
    throw Error("checkpoint '" + path + "' holds a bad vocabulary");
  const GloveArgs ga = saved->args;
  return runGlove(ga, run, dict, reader, ck, quiet, std::move(saved), 0);
}

int trainGlove(TrainArgs& a, GloveCli& g, const po::variables_map& vm, const GloveCheck& ck) {
  Stopwatch started;
  // word2vec-only flags would silently do nothing: refuse them.
  for (const char* o : {"loss", "negative", "sample", "alpha", "min-alpha", "lr-schedule", "max-sentence"}) {
    auto it = vm.find(o);
    if (it != vm.end() && !it->second.defaulted())
      throw Error(std::string("--") + o + " does not apply to --model glove" +
                  (std::string(o).find("alpha") != std::string::npos ? " (the learning rate is --eta)" : ""));
  }
  if (vm["epochs"].defaulted()) a.epochs = 15;
  if (vm["window"].defaulted()) a.window = 10;
  GloveArgs& ga = g.glove;
  ga.dim = a.dim;
  ga.epochs = a.epochs;
  ga.threads = a.threads;
  ga.seed = a.seed;
  ga.memory_gb = g.cooccur.memory_gb;
  ga.validate();
  CooccurArgs& ca = g.cooccur;
  ca.window = a.window;
  ca.threads = a.threads;
  ca.seed = a.seed;
  ca.tmp_dir = a.tmp_dir;
  ca.quiet = a.quiet;
  ca.validate();
  checkTmpDir(a.tmp_dir);
  if (g.vectors != "sum" && g.vectors != "word")
    throw Error("unknown --glove-vectors '" + g.vectors + "' (expected sum or word)");
  if (a.output.empty()) throw Error("no output given (--output FILE)");
  const VectorFormat out_format = a.format == VectorFormat::kAuto ? formatFromPath(a.output) : a.format;
  if (out_format == VectorFormat::kTsv)
    throw Error("train does not write tsv; write another format and use 'wembed export OUT DIR --format tsv'");
  const bool from_file = !g.cooccur_file.empty();
  if (from_file) {
    if (!a.vocab.input.empty()) throw Error("give either --input (a corpus) or --cooccur (counts), not both");
    if (a.read_vocab.empty()) throw Error("--cooccur needs --read-vocab: the vocabulary the counts were made with");
    if (!g.save_cooccur.empty()) throw Error("--save-cooccur applies to training from --input only");
    if (!a.save_vocab.empty()) throw Error("--save-vocab applies to training from --input only");
  } else {
    if (a.vocab.input.empty()) throw Error("no input given (--input FILE... or --cooccur FILE)");
    if (a.read_vocab.empty()) a.vocab.validate();
  }
  {
    std::vector<std::string> inputs = a.vocab.input;
    for (const std::string* p : {&a.read_vocab, &g.cooccur_file})
      if (!p->empty()) inputs.push_back(*p);
    checkDistinctFiles({{"--output", a.output},
                        {"--output-context", a.output_context},
                        {"--save-vocab", a.save_vocab},
                        {"--save-cooccur", g.save_cooccur},
                        {"--checkpoint", ck.path}},
                       inputs);
  }
  for (const std::string* p : {&a.output, &a.output_context})
    if (!p->empty())
      for (const auto& f : outputPaths(*p, out_format)) AtomicFile probe(f);
  for (const std::string* p : {&a.save_vocab, &g.save_cooccur})
    if (!p->empty()) AtomicFile probe(*p);

  const bool keep_counts = !ck.path.empty() && !from_file && g.save_cooccur.empty();
  const std::string kept = ck.path + ".cooccur";  // counts kept beside the checkpoint
  if (!ck.path.empty()) AtomicFile probe(ck.path);
  if (keep_counts) AtomicFile probe(kept);

  Dictionary dict;
  std::unique_ptr<TempFile> counts;  // the counts made here, unless --save-cooccur or --checkpoint keeps them
  std::string cooccur_path = g.cooccur_file;
  if (from_file) {
    dict = Dictionary::load(a.read_vocab);
    dict.finalize(a.vocab.min_count, a.vocab.max_vocab);
    if (dict.size() == 0) throw Error("no word in '" + a.read_vocab + "' reaches --min-count");
  } else {
    std::vector<std::string> files;
    std::unique_ptr<TempFile> spool;
    dict = prepareCorpus(a.vocab, a.read_vocab, a.tmp_dir, a.quiet, files, spool);
    if (!a.save_vocab.empty()) dict.save(a.save_vocab);
    if (keep_counts) {
      cooccur_path = kept;  // durable: a resume needs them after a crash
    } else if (g.save_cooccur.empty()) {
      counts = std::make_unique<TempFile>(a.tmp_dir.empty() ? defaultTmpDir() : a.tmp_dir, "wembed-cooccur");
      counts->close();
      cooccur_path = counts->path();
      ca.durable_output = false;  // scratch: no fsync
    } else {
      cooccur_path = g.save_cooccur;
    }
    countCooccurrences(files, dict, ca, cooccur_path);
  }
  CooccurReader reader(cooccur_path);
  if (reader.records() == 0) {
    if (from_file) throw Error("'" + g.cooccur_file + "' holds no co-occurrence records: nothing to train");
    std::string names;
    for (const auto& p : a.vocab.input) names += (names.empty() ? "" : ", ") + (isStdinPath(p) ? "standard input" : "'" + p + "'");
    throw Error("no two words of the vocabulary occur within --window " + std::to_string(ca.window) + " of each other in " +
                names + ": nothing to train");
  }
  if (reader.header().vocab_size != dict.size())
    throw Error("'" + (from_file ? g.cooccur_file : cooccur_path) + "' was counted over " +
                std::to_string(reader.header().vocab_size) + " words but the vocabulary has " +
                std::to_string(dict.size()) + " (use the vocabulary and --min-count/--max-vocab it was counted with)");
  if (!(reader.header().flags & kCooccurShuffled) && !a.quiet)
    std::fprintf(stderr, "train: warning: the co-occurrence records are not shuffled\n");

  auto run = std::make_shared<GloveRun>();
  run->output = a.output;
  run->output_context = a.output_context;
  run->format = static_cast<int32_t>(a.format);
  run->vectors = g.vectors;
  if (!ck.path.empty()) {
    run->vocab = dict.entries();
    run->cooccur = cooccur_path;
    run->cooccur_bytes = regularFileSize(cooccur_path);
    run->cooccur_records = reader.records();
    run->cooccur_flags = reader.header().flags;
    run->cooccur_owned = keep_counts;
  }
  return runGlove(ga, run, dict, reader, ck, a.quiet, nullptr, started.seconds());
}

}  // namespace wembed::cli
