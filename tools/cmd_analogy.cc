#include <cstdio>
#include <iostream>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/vectors/query.h"

namespace wembed::cli {

int cmdAnalogy(int argc, char** argv) {
  return guarded("analogy", [&]() {
    std::string path, method = "add";
    std::vector<std::string> words;
    QueryArgs args;
    args.kind = QueryKind::kAnalogy;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (word2vec binary/text, GloVe, fastText .vec, native .wev, .npy)")
      ("words", po::value(&words)->multitoken(), "A B C: A is to B as C is to ?")
      ("k,k", po::value(&args.k)->default_value(10), "answers to show")
      ("method", po::value(&method)->default_value("add"),
       "add: 3CosAdd, cosine to B - A + C (gensim most_similar); "
       "mul: 3CosMul, Levy & Goldberg 2014 (gensim most_similar_cosmul)")
      ("restrict", po::value(&args.restrict)->default_value(0),
       "answers only among the N most frequent words (0: all)");
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1).add("words", -1);
    po::variables_map vm;
    if (!parse("analogy", "VECTORS [A B C] [-k N] [--method add|mul] [--restrict N]   (no words: interactive prompt)",
               argc, argv, opts, &pos, vm))
      return 0;
    if (path.empty()) throw Error("no vector file given");
    args.method = parseAnalogyMethod(method);
    checkQueryArgs(args, words);
    const VectorIndex index = input.loadIndex(path);
    QueryRunner(index, args).serve(words, std::cin, stdout, stderr);
    return 0;
  });
}

}  // namespace wembed::cli
