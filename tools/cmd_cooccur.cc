#include "glove_cli.h"
#include "wembed/core/error.h"

namespace wembed::cli {

void addCountingOptions(po::options_description& d, CooccurArgs& c) {
  d.add_options()
    ("memory", po::value(&c.memory_gb)->default_value(2.0, "2"),
     "GB for the counting structures (dense array + buffers); past it, sorted runs are spilled to --tmp-dir. "
     "Training (--model glove) holds the records in memory, tile by tile, if they fit in it, else streams them")
    ("max-open", po::value(&c.max_open)->default_value(64),
     "run files merged at once (one more is open for writing); more runs are merged in rounds")
    ("asymmetric", po::bool_switch()->notifier([&c](bool v) { c.symmetric = !v; }),
     "count left context only: records (word, word to its left); default: symmetric, X = L + L^T")
    ("cross-sentences", po::bool_switch(&c.cross_sentences),
     "let the window run across line ends (default: a line is a sentence/document and contexts stop at it, "
     "as Stanford's cooccur)");
}

int cmdCooccur(int argc, char** argv) {
  return guarded("cooccur", [&]() {
    CooccurRunArgs a;
    CooccurArgs& c = a.counting;
    int64_t seed = 1;
    bool quiet = false;
    po::options_description io("input and output");
    io.add_options()
      ("help,h", "show this help")
      ("input,i", po::value(&a.vocab.input)->multitoken(), "corpus files ('-' for stdin, .gz read directly)")
      ("output,o", po::value(&a.output), "co-occurrence file to write (binary records, shuffled)")
      ("vocab", po::value(&a.read_vocab), "use this vocabulary ('word count' lines) instead of counting the corpus")
      ("read-vocab", po::value(&a.read_vocab), "the same as --vocab (as in 'wembed train')")
      ("save-vocab", po::value(&a.save_vocab), "also write the vocabulary counted from the corpus (the trainer needs it)")
      ("tmp-dir", po::value(&c.tmp_dir), "where runs, buckets and the stdin/.gz spool go (default $TMPDIR or /tmp)")
      ("quiet,q", po::bool_switch(&quiet), "no progress output");
    po::options_description m("counting");
    m.add_options()
      ("window", po::value(&c.window)->default_value(10), "context words on each side (weight 1/distance)")
      ("min-count", po::value(&a.vocab.min_count)->default_value(5), "drop words seen fewer times")
      ("max-vocab", po::value(&a.vocab.max_vocab)->default_value(0), "keep only the N most frequent words (0: all)")
      ("prune-at", po::value(&a.vocab.prune_at)->default_value(20000000), "bound on distinct words held while counting the vocabulary")
      ("threads", po::value(&c.threads)->default_value(0), "counting threads, each on its own byte range (0: all cores)")
      ("seed", po::value(&seed)->default_value(1), "random seed of the shuffle");
    addCountingOptions(m, c);
    po::options_description all;
    all.add(io).add(m);
    po::positional_options_description pos;
    pos.add("input", -1);
    po::variables_map vm;
    if (!parse("cooccur", "--input FILE... --output COOC [--vocab VOCAB | --save-vocab VOCAB] [options]", argc, argv,
               all, &pos, vm))
      return 0;
    if (vm.count("vocab") && vm.count("read-vocab")) throw Error("give --vocab or --read-vocab, not both");
    c.seed = static_cast<uint64_t>(seed);
    runCooccur(a, quiet ? Reporter() : stderrReporter());
    return 0;
  });
}

}  // namespace wembed::cli
