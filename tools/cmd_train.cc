#include "glove_cli.h"
#include "train_cli.h"
#include "wembed/core/error.h"
#include "wembed/core/checkpoint_io.h"
#include "wembed/plot/run_plot.h"

namespace wembed::cli {

namespace {

void addTrainOptions(po::options_description& io, po::options_description& m, TrainCli& c) {
  io.add_options()
    ("help,h", "show this help")
    ("input,i", po::value(&c.a.vocab.input)->multitoken(), "corpus files ('-' for stdin, .gz read directly)")
    ("output,o", po::value(&c.a.output),
     "vectors file (.bin word2vec binary, .txt/.vec word2vec text, .wev wembed native with counts, .npy NumPy)")
    ("format", po::value(&c.format)->default_value("auto"),
     "output format: auto (from the extension), w2v-bin (bin), w2v-txt (txt), glove, native, npy, fasttext")
    ("output-context", po::value(&c.a.output_context), "also write the context (output) vectors, same format (ns only)")
    ("save-vocab", po::value(&c.a.save_vocab), "also write the vocabulary ('word count' lines)")
    ("read-vocab", po::value(&c.a.read_vocab), "use this vocabulary instead of counting the corpus")
    ("init-vectors", po::value(&c.a.init_vectors), "start the input vectors of the vocabulary's words found in this "
     "vector file (any format wembed reads; its dimension must equal --dim) from it, the others as usual "
     "(fastText's -pretrainedVectors; glove: W)")
    ("save-model", po::value(&c.a.save_model), "also write the full model here (native format: both layers, the "
     "counts, the settings), for --init and as vectors for the query commands")
    ("init", po::value(&c.a.init_model), "continue training this model (from --save-model) on --input: its words keep "
     "their ids, the input's new words reaching --min-count are added; model, loss, dim and subwords come from it")
    ("freeze-old", po::bool_switch(&c.a.freeze_old), "with --init: train only the new words' input vectors")
    ("phrases", po::value(&c.a.phrases), "join the phrases of this table (from 'wembed phrases --save-phrases') in "
     "--input while counting and training, as 'wembed phrases --phrases' would write it (no copy of the corpus; "
     "not with --checkpoint)")
    ("tmp-dir", po::value(&c.a.tmp_dir), "where stdin/.gz input is spooled and the first epoch's word ids are kept for the later "
     "epochs, 4 bytes a word (default $TMPDIR or /tmp)")
    ("quiet,q", po::bool_switch(&c.quiet), "no progress output")
    ("checkpoint", po::value(&c.checkpoint), "write the full training state here now and then (atomically; glove: "
     "at epoch boundaries, and counts made from --input are kept as FILE.cooccur, under mpirun FILE.rank-R.cooccur "
     "for each rank R, until the run ends, unless --save-cooccur names them)")
    ("checkpoint-every", po::value(&c.checkpoint_every)->default_value(600), "seconds between checkpoints (glove: "
     "the first epoch boundary after this many seconds)")
    ("resume", po::value(&c.resume), "continue the run saved in this checkpoint (settings come from it; under "
     "mpirun with as many ranks as wrote it; --output, --save-model, --checkpoint, --checkpoint-every, "
     "--plot-loss, --quiet may be given)")
    ("plot-loss", po::value(&c.plot_loss), "draw the run's loss and learning rate here once it ends (.svg or .png)");
  m.add_options()
    ("model", po::value(&c.model)->default_value("skipgram"), "skipgram, cbow (CBOW averages its context) or glove")
    ("loss", po::value(&c.loss)->default_value("ns"), "ns (negative sampling) or hs (hierarchical softmax)")
    ("update", po::value(&c.update)->default_value("auto"),
     "skipgram: batch (HogBatch: all context words of a centre word against one shared set of negatives, or "
     "against its Huffman path with hs; the default) or pair (word2vec: one context word at a time; the default "
     "with subwords, where batch needs --loss ns); cbow: batch (4 positions far apart in a sentence against one "
     "shared set of negatives; the default with --loss ns, no subwords) or pair (one position at a time, word2vec)")
    ("dim", po::value(&c.a.dim)->default_value(100), "vector dimensions")
    ("window", po::value(&c.a.window)->default_value(5), "max context distance (a random smaller window per word; glove: default 10, weight 1/distance)")
    ("negative", po::value(&c.a.negative)->default_value(5), "negatives per example, drawn with probability count^--ns-exponent")
    ("ns-exponent", po::value<double>()->notifier([&c](double v) { c.a.ns_exponent = v; }),
     "exponent of the negative-sampling distribution, in [-1, 1] (default 0.75, word2vec's; 0.5 for skipgram "
     "with subwords, fastText's)")
    ("sample", po::value(&c.a.sample)->default_value(1e-3, "1e-3"), "subsampling threshold t (0: off)")
    ("min-count", po::value(&c.a.vocab.min_count)->default_value(5), "drop words seen fewer times")
    ("max-vocab", po::value(&c.a.vocab.max_vocab)->default_value(0), "keep only the N most frequent words (0: all)")
    ("prune-at", po::value(&c.a.vocab.prune_at)->default_value(20000000), "bound on distinct words held while counting")
    ("epochs", po::value(&c.a.epochs)->default_value(5), "passes over the corpus (glove: over the co-occurrence records, default 15)")
    ("alpha", po::value<double>()->notifier([&c](double v) { c.a.alpha = v; }),
     "initial learning rate (default 0.025 skipgram, 0.05 cbow); decays linearly to --min-alpha; with --init it "
     "starts again from this value, and one smaller than the first run's (e.g. 0.0125) is the usual choice")
    ("min-alpha", po::value<double>()->notifier([&c](double v) { c.min_alpha = v; }),
     "final learning rate (default alpha * 1e-4, as word2vec.c)")
    ("lr-schedule", po::value(&c.lr_schedule)->default_value("auto"),
     "global: decay by the run's progress (word2vec.c, fastText); per-thread: by each thread's own progress "
     "through a whole epoch (gensim's corpus_file mode; same as global with 1 thread); auto: per-thread for "
     "cbow, global for skipgram")
    ("threads", po::value(&c.a.threads)->default_value(0), "worker threads (0: all cores)")
    ("seed", po::value(&c.seed)->default_value(1), "random seed (1 thread + same seed = same vectors)")
    ("sync-every", po::value(&c.sync_every)->default_value("0.5s"), "mpirun -np N: combine the ranks' matrices every "
     "this many seconds (2, 0.5s) or words per rank (1000000w; glove: records); the frequent words' rows each time, "
     "all every 2nd")
    ("sync-mean", po::bool_switch(&c.a.sync_mean), "mpirun: average all the ranks' rows (pWord2Vec) instead of "
     "summing their changes since the last synchronisation (by default only the rows of words above 1 in 10,000 "
     "of the corpus, and as many Huffman nodes, are averaged)")
    ("max-sentence", po::value(&c.a.max_sentence)->default_value(10000), "longer lines are cut into pieces of this many words")
    ("minn", po::value(&c.a.subwords.minn)->default_value(0), "subwords (fastText): shortest character n-gram (3 in fastText)")
    ("maxn", po::value(&c.a.subwords.maxn)->default_value(0), "subwords: longest character n-gram (6 in fastText; 0: "
     "no subwords, a vector per word only)")
    ("bucket", po::value(&c.a.subwords.bucket)->default_value(2000000), "subwords: rows the n-grams are hashed into; "
     "they dominate memory: 2M x --dim 100 floats = 800 MB");
}

// --resume: only the outputs, checkpoints and --quiet may be given with it.
int resume(const TrainCli& c, const po::variables_map& vm) {
  for (const auto& [name, value] : vm)
    if (!value.defaulted() && name != "resume" && name != "output" && name != "checkpoint" &&
        name != "checkpoint-every" && name != "plot-loss" && name != "quiet" && name != "save-model")
      throw Error("--" + name + " cannot be given with --resume (the checkpoint holds the settings)");
  const ResumeArgs r{c.resume, c.a.output, {c.checkpoint, c.checkpoint_every, {}}, c.a.save_model};
  if (checkpointKind(c.resume) == CheckpointKind::kGlove) {
    if (!r.save_model.empty()) throw Error("--save-model does not apply to --model glove");
    return resumeGlove(r, c.quiet, c.plot_loss);
  }
  return resumeWord2Vec(r, c.quiet, c.plot_loss);
}

}  // namespace

void checkLossPlot(const TrainCli& c) {
  if (c.plot_loss.empty()) return;
  withContext("--plot-loss", [&] { checkPlotPath(c.plot_loss); });
}

void drawLossPlot(const RunRecorder& recorder, const std::string& path, bool quiet) {
  if (path.empty()) return;
  plotRunHistory(recorder.history(), path);
  if (!quiet) std::fprintf(stderr, "train: wrote the run's plot %s\n", path.c_str());
}

int cmdTrain(int argc, char** argv) {
  return guarded("train", [&]() {
    TrainCli c;
    po::options_description io("input and output"), m("model"), gl("glove (--model glove)");
    addTrainOptions(io, m, c);
    addGloveOptions(gl, c.glove);
    po::options_description all;
    all.add(io).add(m).add(gl);
    po::positional_options_description pos;
    pos.add("input", -1);
    po::variables_map vm;
    if (!parse("train", "--model skipgram|cbow|glove --loss ns|hs --input FILE... --output VECTORS [options]", argc, argv,
               all, &pos, vm))
      return 0;
    CheckpointSettings{c.checkpoint, c.checkpoint_every, {}}.validate();
    checkLossPlot(c);
    if (!c.resume.empty()) return resume(c, vm);
    for (const auto& [name, value] : vm)
      if (!value.defaulted()) c.a.given.push_back(name);
    c.a.seed = static_cast<uint64_t>(c.seed);
    c.a.model = parseModel(c.model);
    const CheckpointSettings ck{c.checkpoint, c.checkpoint_every, {}};
    if (c.a.model == ModelType::kGlove) {
      c.a.format = parseFormat(c.format);
      c.a.setSyncEvery(c.sync_every);  // mpirun: --sync-every (seconds, or records per rank)
      return trainGlove(c.a, c.glove, vm, ck, c.quiet, c.plot_loss);
    }
    rejectGloveOptions(vm);
    settleWord2Vec(c);
    return trainWord2Vec(c.a, ck, c.quiet, c.plot_loss);
  });
}

}  // namespace wembed::cli
