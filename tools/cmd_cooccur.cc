#include <sys/stat.h>

#include <cstdio>
#include <memory>

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

void checkTmpDir(const std::string& dir) {
  if (dir.empty()) return;
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error("--tmp-dir '" + dir + "' is not an existing directory");
}

Dictionary prepareCorpus(const VocabArgs& vocab, const std::string& read_vocab, const std::string& tmp_dir,
                         bool quiet, std::vector<std::string>& files, std::unique_ptr<TempFile>& spool) {
  for (const auto& p : vocab.input) checkReadable(p);
  bool need_spool = false;
  for (const auto& p : vocab.input) need_spool |= isStdinPath(p) || isGzipPath(p);
  if (need_spool) spool = std::make_unique<TempFile>(tmp_dir.empty() ? defaultTmpDir() : tmp_dir, "wembed-corpus");
  Dictionary dict;
  if (!read_vocab.empty()) {
    dict = Dictionary::load(read_vocab);
    dict.finalize(vocab.min_count, vocab.max_vocab);
    if (dict.size() == 0) throw Error("no word in '" + read_vocab + "' reaches --min-count");
    if (spool) {
      std::vector<char> buf(1 << 20);
      for (const auto& p : vocab.input) {
        ByteReader r(p);
        size_t n;
        while ((n = r.read(buf.data(), buf.size())) > 0) spool->write(buf.data(), n);
        spool->write("\n", 1);
      }
    }
  } else {
    dict = buildVocabulary(vocab, spool.get(), quiet);
  }
  if (spool) spool->close();
  files = spool ? std::vector<std::string>{spool->path()} : vocab.input;
  return dict;
}

int cmdCooccur(int argc, char** argv) {
  return guarded("cooccur", [&]() {
    VocabArgs v;
    CooccurArgs c;
    std::string output, read_vocab, save_vocab;
    int64_t seed = 1;
    po::options_description io("input and output");
    io.add_options()
      ("help,h", "show this help")
      ("input,i", po::value(&v.input)->multitoken(), "corpus files ('-' for stdin, .gz read directly)")
      ("output,o", po::value(&output), "co-occurrence file to write (binary records, shuffled)")
      ("vocab", po::value(&read_vocab), "use this vocabulary ('word count' lines) instead of counting the corpus")
      ("save-vocab", po::value(&save_vocab), "also write the vocabulary counted from the corpus (the trainer needs it)")
      ("tmp-dir", po::value(&c.tmp_dir), "where runs, buckets and the stdin/.gz spool go (default $TMPDIR or /tmp)")
      ("quiet,q", po::bool_switch(&c.quiet), "no progress output");
    po::options_description m("counting");
    m.add_options()
      ("window", po::value(&c.window)->default_value(10), "context words on each side (weight 1/distance)")
      ("min-count", po::value(&v.min_count)->default_value(5), "drop words seen fewer times")
      ("max-vocab", po::value(&v.max_vocab)->default_value(0), "keep only the N most frequent words (0: all)")
      ("prune-at", po::value(&v.prune_at)->default_value(20000000), "bound on distinct words held while counting the vocabulary")
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
    if (v.input.empty()) throw Error("no input given (--input FILE...)");
    if (read_vocab.empty()) v.validate();
    if (output.empty()) throw Error("no output given (--output FILE)");
    if (!read_vocab.empty() && !save_vocab.empty()) throw Error("--save-vocab only applies when the vocabulary is counted (not with --vocab)");
    if (seed < 0) throw Error("--seed must be 0 or more");
    c.seed = static_cast<uint64_t>(seed);
    c.validate();
    checkTmpDir(c.tmp_dir);
    {
      std::vector<std::string> inputs = v.input;
      if (!read_vocab.empty()) inputs.push_back(read_vocab);
      checkDistinctFiles({{"--output", output}, {"--save-vocab", save_vocab}}, inputs);
    }
    // Both outputs are committed together, after counting: a failure leaves neither.
    PendingFiles outs;
    AtomicFile& counts = outs.open(output);
    if (!save_vocab.empty()) AtomicFile probe(save_vocab);  // fail now, not after counting
    std::vector<std::string> files;
    std::unique_ptr<TempFile> spool;
    Dictionary dict = prepareCorpus(v, read_vocab, c.tmp_dir, c.quiet, files, spool);
    c.durable_output = false;  // into the temporary file, which outs syncs and renames
    countCooccurrences(files, dict, c, counts.tempPath());
    if (!save_vocab.empty()) dict.write(outs.open(save_vocab));
    outs.commit();
    return 0;
  });
}

}  // namespace wembed::cli
