#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "glove_cli.h"
#include "wembed/args.h"
#include "wembed/dictionary.h"
#include "wembed/error.h"
#include "wembed/io.h"
#include "wembed/progress.h"
#include "wembed/trainer.h"
#include "wembed/vectors.h"

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
    std::string model = "skipgram", loss = "ns", format = "auto";
    po::options_description io("input and output");
    io.add_options()
      ("help,h", "show this help")
      ("input,i", po::value(&a.vocab.input)->multitoken(), "corpus files ('-' for stdin, .gz read directly)")
      ("output,o", po::value(&a.output), "vectors file (.bin word2vec binary, .txt/.vec word2vec text)")
      ("format", po::value(&format)->default_value("auto"), "output format: auto (from the extension), bin, txt")
      ("output-context", po::value(&a.output_context), "also write the context (output) vectors, same format (ns only)")
      ("save-vocab", po::value(&a.save_vocab), "also write the vocabulary ('word count' lines)")
      ("read-vocab", po::value(&a.read_vocab), "use this vocabulary instead of counting the corpus")
      ("tmp-dir", po::value(&a.tmp_dir), "where stdin/.gz input is spooled (default $TMPDIR or /tmp)")
      ("quiet,q", po::bool_switch(&a.quiet), "no progress output");
    po::options_description m("model");
    m.add_options()
      ("model", po::value(&model)->default_value("skipgram"), "skipgram, cbow (CBOW averages its context) or glove")
      ("loss", po::value(&loss)->default_value("ns"), "ns (negative sampling) or hs (hierarchical softmax)")
      ("dim", po::value(&a.dim)->default_value(100), "vector dimensions")
      ("window", po::value(&a.window)->default_value(5), "max context distance (a random smaller window per word; glove: default 10, weight 1/distance)")
      ("negative", po::value(&a.negative)->default_value(5), "negatives per example, from the unigram^0.75 table")
      ("sample", po::value(&a.sample)->default_value(1e-3, "1e-3"), "subsampling threshold t (0: off)")
      ("min-count", po::value(&a.vocab.min_count)->default_value(5), "drop words seen fewer times")
      ("max-vocab", po::value(&a.vocab.max_vocab)->default_value(0), "keep only the N most frequent words (0: all)")
      ("prune-at", po::value(&a.vocab.prune_at)->default_value(20000000), "bound on distinct words held while counting")
      ("epochs", po::value(&a.epochs)->default_value(5), "passes over the corpus (glove: over the co-occurrence records, default 15)")
      ("alpha", po::value(&a.alpha), "initial learning rate (default 0.025 skipgram, 0.05 cbow); decays linearly to ~0")
      ("threads", po::value(&a.threads)->default_value(0), "worker threads (0: all cores)")
      ("seed", po::value(&a.seed)->default_value(1), "random seed (1 thread + same seed = same vectors)")
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
    a.model = parseModel(model);
    if (a.model == ModelType::kGlove) {
      a.format = parseFormat(format);
      return trainGlove(a, glove, vm);
    }
    rejectGloveOptions(vm);
    a.loss = parseLoss(loss);
    a.format = parseFormat(format);
    a.validate();
    const bool binary = (a.format == VectorFormat::kAuto ? formatFromPath(a.output) : a.format) ==
                        VectorFormat::kWord2vecBinary;
    // Fail before hours of training, not after, if an output cannot be written.
    for (const std::string* p : {&a.output, &a.output_context, &a.save_vocab})
      if (!p->empty()) AtomicFile probe(*p);
    for (const auto& p : a.vocab.input) checkReadable(p);

    bool need_spool = false;
    for (const auto& p : a.vocab.input) need_spool |= isStdinPath(p) || isGzipPath(p);
    std::unique_ptr<TempFile> spool;
    if (need_spool) spool = std::make_unique<TempFile>(a.tmp_dir.empty() ? defaultTmpDir() : a.tmp_dir, "wembed-corpus");

    Dictionary dict;
    if (!a.read_vocab.empty()) {
      dict = Dictionary::load(a.read_vocab);
      dict.finalize(a.vocab.min_count, a.vocab.max_vocab);
      if (dict.size() == 0) throw Error("no word in '" + a.read_vocab + "' reaches --min-count");
      if (spool) spoolInputs(a.vocab.input, *spool);
    } else {
      dict = buildVocabulary(a.vocab, spool.get(), a.quiet);
    }
    if (spool) spool->close();
    if (!a.save_vocab.empty()) dict.save(a.save_vocab);

    Trainer trainer(a, dict);
    if (!a.quiet) {
      std::fprintf(stderr, "train: %s-%s, %d words, dim %d, window %d, %d epochs, %d threads, alpha %g\n",
                   toString(a.model).c_str(), toString(a.loss).c_str(), dict.size(), a.dim, a.window, a.epochs,
                   a.effectiveThreads(), a.effectiveAlpha());
      trainer.on_progress = [](double f, double wps, double lr, double l, double eta) {
        showProgressLine(formatProgress(f, wps, lr, l, eta));
      };
    }
    std::vector<std::string> files = spool ? std::vector<std::string>{spool->path()} : a.vocab.input;
    TrainStats st = trainer.train(files);
    endProgressLine();
    if (!a.quiet)
      std::fprintf(stderr, "train: %lld words x %d epochs in %s (%.0f words/s)\n",
                   static_cast<long long>(st.words_per_epoch), a.epochs, formatDuration(st.seconds).c_str(),
                   st.words_per_epoch * static_cast<double>(a.epochs) / std::max(1e-9, st.seconds));

    std::vector<std::string> words;
    words.reserve(dict.size());
    for (const auto& e : dict.entries()) words.push_back(e.word);
    saveWord2vec(a.output, words, trainer.input(), binary);
    if (!a.output_context.empty()) saveWord2vec(a.output_context, words, trainer.output(), binary);
    if (!a.quiet) std::fprintf(stderr, "train: wrote %s\n", a.output.c_str());
    return 0;
  });
}

}  // namespace wembed::cli
