#include <cstdio>
#include <iostream>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/vectors/query.h"

namespace wembed::cli {

int cmdNeighbors(int argc, char** argv) {
  return guarded("neighbors", [&]() {
    std::string path;
    std::vector<std::string> words;
    QueryArgs args;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (word2vec binary/text, GloVe, fastText .vec, native .wev, .npy)")
      ("words", po::value(&words)->multitoken(), "query words; a quoted 'w1 w2' sums the words")
      ("k,k", po::value(&args.k)->default_value(10), "neighbours to show")
      ("restrict", po::value(&args.restrict)->default_value(0), "answers only among the N most frequent words (0: all)");
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1).add("words", -1);
    po::variables_map vm;
    if (!parse("neighbors", "VECTORS [WORD...] [-k N] [--restrict N]   (no words: interactive prompt)", argc, argv,
               opts, &pos, vm))
      return 0;
    if (path.empty()) throw Error("no vector file given");
    checkQueryArgs(args, words);
    const VectorIndex index = input.loadIndex(path);
    QueryRunner(index, args).serve(words, std::cin, stdout, stderr);
    return 0;
  });
}

}  // namespace wembed::cli
