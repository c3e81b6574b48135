#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>

#include "cli_common.h"
#include "glove_cli.h"
#include "wembed/word2vec/args.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/core/checkpoint_io.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/progress.h"
#include "wembed/word2vec/trainer.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

namespace {
// Copies every input into one plain temporary file (for stdin and .gz, which
// the threads cannot seek into).
void spoolInputs(const std::vector<std::string>& inputs, TempFile& spool) {
  std::vector<char> buf(1 << 20);
  for (const auto& p : inputs) {
    ByteReader r(p);
    size_t n;
    while ((n = r.read(buf.data(), buf.size())) > 0) spool.write(buf.data(), n);
    spool.write("\n", 1);
  }
}
}  // namespace

int cmdTrain(int argc, char** argv) {
  return guarded("train", [&]() {
    TrainArgs a;
    std::string model = "skipgram", loss = "ns", update = "auto", format = "auto";
    std::string checkpoint, resume;
    double checkpoint_every = 600;
    double min_alpha = -1;
    std::string lr_schedule = "auto";
    int64_t seed = 1;
    po::options_description io("input and output");
    io.add_options()
      ("help,h", "show this help")
      ("input,i", po::value(&a.vocab.input)->multitoken(), "corpus files ('-' for stdin, .gz read directly)")
      ("output,o", po::value(&a.output),
       "vectors file (.bin word2vec binary, .txt/.vec word2vec text, .wev wembed native with counts, .npy NumPy)")
      ("format", po::value(&format)->default_value("auto"),
       "output format: auto (from the extension), w2v-bin (bin), w2v-txt (txt), glove, native, npy")
      ("output-context", po::value(&a.output_context), "also write the context (output) vectors, same format (ns only)")
      ("save-vocab", po::value(&a.save_vocab), "also write the vocabulary ('word count' lines)")
      ("read-vocab", po::value(&a.read_vocab), "use this vocabulary instead of counting the corpus")
      ("tmp-dir", po::value(&a.tmp_dir), "where stdin/.gz input is spooled (default $TMPDIR or /tmp)")
      ("quiet,q", po::bool_switch(&a.quiet), "no progress output")
      ("checkpoint", po::value(&checkpoint), "write the full training state here now and then (atomically; glove: "
       "at epoch boundaries, and counts made from --input are kept as FILE.cooccur until the run ends, unless "
       "--save-cooccur names them)")
      ("checkpoint-every", po::value(&checkpoint_every)->default_value(600), "seconds between checkpoints (glove: "
       "the first epoch boundary after this many seconds)")
      ("resume", po::value(&resume), "continue the run saved in this checkpoint (settings come from it; "
                                     "--output, --checkpoint, --checkpoint-every, --quiet may be given)");
    po::options_description m("model");
    m.add_options()
      ("model", po::value(&model)->default_value("skipgram"), "skipgram, cbow (CBOW averages its context) or glove")
      ("loss", po::value(&loss)->default_value("ns"), "ns (negative sampling) or hs (hierarchical softmax)")
      ("update", po::value(&update)->default_value("auto"),
       "skipgram+ns: batch (HogBatch: all context words of a centre word against one shared set of negatives, "
       "the default) or pair (word2vec: one context word at a time); other models: pair")
      ("dim", po::value(&a.dim)->default_value(100), "vector dimensions")
      ("window", po::value(&a.window)->default_value(5), "max context distance (a random smaller window per word; glove: default 10, weight 1/distance)")
      ("negative", po::value(&a.negative)->default_value(5), "negatives per example, from the unigram^0.75 table")
      ("sample", po::value(&a.sample)->default_value(1e-3, "1e-3"), "subsampling threshold t (0: off)")
      ("min-count", po::value(&a.vocab.min_count)->default_value(5), "drop words seen fewer times")
      ("max-vocab", po::value(&a.vocab.max_vocab)->default_value(0), "keep only the N most frequent words (0: all)")
      ("prune-at", po::value(&a.vocab.prune_at)->default_value(20000000), "bound on distinct words held while counting")
      ("epochs", po::value(&a.epochs)->default_value(5), "passes over the corpus (glove: over the co-occurrence records, default 15)")
      ("alpha", po::value(&a.alpha), "initial learning rate (default 0.025 skipgram, 0.05 cbow); decays linearly to --min-alpha")
      ("min-alpha", po::value(&min_alpha), "final learning rate (default alpha * 1e-4, as word2vec.c)")
      ("lr-schedule", po::value(&lr_schedule)->default_value("auto"),
       "global: decay by the run's progress (word2vec.c, fastText); per-thread: by each thread's own progress "
       "through a whole epoch (gensim's corpus_file mode; same as global with 1 thread); auto: per-thread for "
       "cbow, global for skipgram")
      ("threads", po::value(&a.threads)->default_value(0), "worker threads (0: all cores)")
      ("seed", po::value(&seed)->default_value(1), "random seed (1 thread + same seed = same vectors)")
      ("max-sentence", po::value(&a.max_sentence)->default_value(10000), "longer lines are cut into pieces of this many words");
    GloveCli glove;
    po::options_description gl("glove (--model glove)");
    addGloveOptions(gl, glove);
    po::options_description all;
    all.add(io).add(m).add(gl);
    po::positional_options_description pos;
    pos.add("input", -1);
    po::variables_map vm;
    if (!parse("train", "--model skipgram|cbow|glove --loss ns|hs --input FILE... --output VECTORS [options]", argc, argv,
               all, &pos, vm))
      return 0;
    if (!(checkpoint_every > 0)) throw Error("--checkpoint-every must be a positive number of seconds");
    std::unique_ptr<Word2VecCheckpoint> saved;
    if (!resume.empty()) {
      for (const auto& [name, value] : vm)
        if (!value.defaulted() && name != "resume" && name != "output" && name != "checkpoint" &&
            name != "checkpoint-every" && name != "quiet")
          throw Error("--" + name + " cannot be given with --resume (the checkpoint holds the settings)");
      if (checkpointKind(resume) == CheckpointKind::kGlove)
        return resumeGlove(resume, a.output, {checkpoint.empty() ? resume : checkpoint, checkpoint_every}, a.quiet);
      saved = std::make_unique<Word2VecCheckpoint>(loadWord2VecCheckpoint(resume));
      const std::string output = a.output;
      const bool quiet = a.quiet;
      a = saved->args;
      if (!output.empty()) a.output = output;
      a.quiet = quiet;
      if (checkpoint.empty()) checkpoint = resume;
    } else {
      if (seed < 0) throw Error("--seed must be 0 or more");
      a.seed = static_cast<uint64_t>(seed);
      a.model = parseModel(model);
      if (a.model == ModelType::kGlove) {
        a.format = parseFormat(format);
        return trainGlove(a, glove, vm, {checkpoint, checkpoint_every});
      }
      rejectGloveOptions(vm);
      a.loss = parseLoss(loss);
      a.update = parseUpdate(update);
      a.format = parseFormat(format);
      if (lr_schedule != "auto" && lr_schedule != "global" && lr_schedule != "per-thread")
        throw Error("--lr-schedule must be auto, global or per-thread, not '" + lr_schedule + "'");
      a.lr_schedule = lr_schedule == "auto"     ? LrSchedule::kAuto
                      : lr_schedule == "global" ? LrSchedule::kGlobal
                                                : LrSchedule::kPerThread;
      if (min_alpha != -1) {
        if (!(min_alpha >= 0) || !std::isfinite(min_alpha) || min_alpha > a.effectiveAlpha())
          throw Error("--min-alpha must be between 0 and the initial learning rate (" +
                      std::to_string(a.effectiveAlpha()) + ")");
        a.min_alpha_fraction = min_alpha / a.effectiveAlpha();
      }
    }
    a.validate();
    {
      std::vector<std::string> inputs = a.vocab.input;
      if (!a.read_vocab.empty()) inputs.push_back(a.read_vocab);
      const std::vector<std::pair<std::string, std::string>> outputs = {
          {"--output", a.output}, {"--output-context", a.output_context}, {"--save-vocab", a.save_vocab}};
      auto all_outputs = outputs;
      all_outputs.emplace_back("--checkpoint", checkpoint);
      checkDistinctFiles(all_outputs, inputs);
      // Resuming overwrites its own checkpoint, but no other output may replace it.
      if (!resume.empty()) checkDistinctFiles(outputs, {resume});
    }
    const VectorFormat out_format = a.format == VectorFormat::kAuto ? formatFromPath(a.output) : a.format;
    if (out_format == VectorFormat::kTsv)
      throw Error("train does not write tsv; write another format and use 'wembed export OUT DIR --format tsv'");
    // Fail before hours of training, not after, if an output cannot be written.
    for (const std::string* p : {&a.output, &a.output_context})
      if (!p->empty())
        for (const auto& f : outputPaths(*p, out_format)) AtomicFile probe(f);
    if (!a.save_vocab.empty()) AtomicFile probe(a.save_vocab);
    if (!checkpoint.empty()) AtomicFile probe(checkpoint);
    if (saved) {  // a killed run may have been writing these
      for (const std::string* p : {&a.output, &a.output_context})
        if (!p->empty())
          for (const auto& f : outputPaths(*p, out_format)) removeAtomicLeftovers(f);
      removeAtomicLeftovers(checkpoint);
      removeAtomicLeftovers(resume);
    }
    // A checkpoint that does not fit its inputs is named in the error.
    auto resuming = [&resume](const std::function<void()>& f) {
      if (resume.empty()) return f();
      withContext("cannot resume from '" + resume + "'", f);
    };
    resuming([&] {
      for (const auto& p : a.vocab.input) checkReadable(p);
    });

    bool need_spool = false;
    for (const auto& p : a.vocab.input) need_spool |= isStdinPath(p) || isGzipPath(p);
    if (need_spool && !checkpoint.empty())
      throw Error("--checkpoint needs plain input files (stdin and .gz input cannot be resumed)");
    std::unique_ptr<TempFile> spool;
    if (need_spool) spool = std::make_unique<TempFile>(a.tmp_dir.empty() ? defaultTmpDir() : a.tmp_dir, "wembed-corpus");

    Dictionary dict;
    if (saved) {
      for (const auto& e : saved->vocab) dict.add(e.word, e.count);
      dict.finalize(1, 0);
    } else if (!a.read_vocab.empty()) {
      dict = Dictionary::load(a.read_vocab);
      dict.finalize(a.vocab.min_count, a.vocab.max_vocab);
      if (dict.size() == 0) throw Error("no word in '" + a.read_vocab + "' reaches --min-count");
      if (spool) spoolInputs(a.vocab.input, *spool);
    } else {
      dict = buildVocabulary(a.vocab, spool.get(), a.quiet);
    }
    if (spool) spool->close();
    if (dict.totalCount() > INT64_MAX / a.epochs)
      throw Error("the vocabulary's counts (" + std::to_string(dict.totalCount()) + ") times --epochs exceed 2^63");

    Word2VecTrainer trainer(a, dict);
    std::vector<std::string> files = spool ? std::vector<std::string>{spool->path()} : a.vocab.input;
    if (saved)
      resuming([&] {
        trainer.restore(std::move(*saved));
        trainer.checkResume(files);
      });
    trainer.checkpointing.path = checkpoint;
    trainer.checkpointing.every_seconds = checkpoint_every;
    if (!a.quiet) {
      std::fprintf(stderr, "train: %s%s-%s (%s updates), %d words, dim %d, window %d, %d epochs, %d threads, alpha %g (%s decay)\n",
                   resume.empty() ? "" : "resuming ", toString(a.model).c_str(), toString(a.loss).c_str(),
                   toString(a.effectiveUpdate()).c_str(), dict.size(), a.dim, a.window, a.epochs,
                   a.effectiveThreads(), a.effectiveAlpha(), a.lrPerThread() ? "per-thread" : "global");
      trainer.on_progress = [](const Progress& p) { showProgressLine(formatProgress(p)); };
    }
    Word2VecStats st = trainer.train(files);
    endProgressLine();
    // With --read-vocab the corpus is not counted first: it may hold none of the words.
    if (st.words_in_epoch.empty() || st.words_in_epoch.front() == 0) {
      std::string names;
      for (const auto& p : a.vocab.input) names += (names.empty() ? "" : ", ") + (isStdinPath(p) ? "standard input" : "'" + p + "'");
      throw Error("no word of the vocabulary" + (a.read_vocab.empty() ? std::string() : " '" + a.read_vocab + "'") +
                  " occurs in " + names + ": nothing to train");
    }
    if (!a.quiet)
      // Words actually read: with --read-vocab the vocabulary's counts may
      // come from another corpus.
      std::fprintf(stderr, "train: %lld words x %d epochs in %s (%.0f words/s)\n",
                   static_cast<long long>(st.words_in_epoch.back()), a.epochs, formatDuration(st.seconds).c_str(),
                   static_cast<double>(st.words_read) / std::max(1e-9, st.seconds));

    std::vector<std::string> words;
    std::vector<int64_t> counts;
    words.reserve(dict.size());
    counts.reserve(dict.size());
    for (const auto& e : dict.entries()) {
      words.push_back(e.word);
      counts.push_back(e.count);
    }
    // Every output goes to its temporary file first and they are renamed
    // together: a failure in any (a full disk) leaves none of them, and every
    // older file untouched.
    PendingFiles outs;
    writeVectors(outs, a.output, words, trainer.input(), out_format, &counts);
    if (!a.output_context.empty()) writeVectors(outs, a.output_context, words, trainer.output(), out_format, &counts);
    if (!a.save_vocab.empty()) dict.write(outs.open(a.save_vocab));
    outs.commit();
    if (!a.quiet) std::fprintf(stderr, "train: wrote %s\n", a.output.c_str());
    return 0;
  });
}

}  // namespace wembed::cli
