#include <cstdio>

#include "cli_common.h"
#include "wembed/distributed/comm.h"
#include "wembed/corpus/prepare.h"

namespace wembed::cli {

int cmdVocab(int argc, char** argv) {
  return guarded("vocab", [&]() {
    VocabArgs a;
    std::string output;
    bool quiet = false;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("input,i", po::value(&a.input)->multitoken(), "corpus files ('-' for stdin, .gz read directly)")
      ("output,o", po::value(&output), "vocabulary file to write ('word count' per line, as word2vec -save-vocab)")
      ("min-count", po::value(&a.min_count)->default_value(5), "drop words seen fewer times")
      ("max-vocab", po::value(&a.max_vocab)->default_value(0), "keep only the N most frequent words (0: all)")
      ("prune-at", po::value(&a.prune_at)->default_value(20000000),
       "bound on distinct words held while counting; above it the rarest are pruned")
      ("threads", po::value(&a.threads)->default_value(0),
       "counting threads, each on its own byte range of plain files (0: all cores; stdin and .gz: one)")
      ("quiet,q", po::bool_switch(&quiet), "no progress output");
    po::positional_options_description pos;
    pos.add("input", -1);
    po::variables_map vm;
    if (!parse("vocab", "--input FILE... --output VOCAB [options]", argc, argv, opts, &pos, vm)) return 0;
    quiet = quiet || !distributed::reporting();  // mpirun -np N: every rank counts, rank 0 reports
    const Dictionary d = runVocab(a, output, quiet ? Reporter() : stderrReporter());
    if (!quiet) std::fprintf(stderr, "vocab: wrote %d words to %s\n", d.size(), output.c_str());
    return 0;
  });
}

}  // namespace wembed::cli
