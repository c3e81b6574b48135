#include <omp.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli_common.h"
#include "wembed/vectors/eval_run.h"

namespace wembed::cli {

int cmdEval(int argc, char** argv) {
  return guarded("eval", [&]() {
    EvalArgs args;
    int threads = 0;
    bool json = false;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&args.vectors), "vector file (word2vec binary/text, GloVe, fastText .bin/.vec, native .wev, .npy)")
      ("analogy", po::value(&args.analogy_files), "analogy questions (word2vec questions-words format: ': section' "
       "lines, then 'a b c d' lines); repeatable")
      ("similarity", po::value(&args.similarity_files), "word-similarity judgements ('word1<TAB>word2<TAB>score' "
       "lines); repeatable")
      ("restrict", po::value(&args.restrict)->default_value(30000),
       "analogies: only questions whose words are all among the N most frequent, answered from those (0: all)")
      ("pairs-restrict", po::value(&args.pairs_restrict)->default_value(300000),
       "similarity: only words among the N most frequent (0: all)")
      ("threads", po::value(&threads)->default_value(0), "threads for the analogy search (0: all cores)")
      ("json", po::bool_switch(&json), "print one JSON object instead of tables");
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1);
    po::variables_map vm;
    if (!parse("eval",
               "VECTORS --analogy FILE --similarity FILE [--similarity FILE...] [--restrict N] [--json]\n\n"
               "Scores as gensim's KeyedVectors.evaluate_word_analogies(FILE, restrict_vocab=N,\n"
               "case_insensitive=True) and evaluate_word_pairs(FILE, case_insensitive=True) do.",
               argc, argv, opts, &pos, vm))
      return 0;
    if (checkThreads(threads) > 0) omp_set_num_threads(threads);
    args.vectors = input.path(args.vectors);
    args.format = input.parsedFormat();
    args.limit = input.limit;
    const EvalResults results = runEval(args);
    std::fputs((json ? evalJson(results) : evalTable(results)).c_str(), stdout);
    return 0;
  });
}

}  // namespace wembed::cli
