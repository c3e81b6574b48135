#include "cli_common.h"

namespace wembed::cli {

int cmdAnalogy(int argc, char** argv) {
  return guarded("analogy", [&]() {
    QueryInput q;
    q.args.kind = QueryKind::kAnalogy;
    std::string method = "add";
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("method", po::value(&method)->default_value("add"),
       "add: 3CosAdd, cosine to B - A + C (gensim most_similar); "
       "mul: 3CosMul, Levy & Goldberg 2014 (gensim most_similar_cosmul)");
    po::positional_options_description pos;
    q.addTo(opts, pos, "A B C: A is to B as C is to ?", "answers to show");
    po::variables_map vm;
    if (!parse("analogy", "VECTORS [A B C] [-k N] [--method add|mul] [--restrict N]   (no words: interactive prompt)",
               argc, argv, opts, &pos, vm))
      return 0;
    q.args.method = parseAnalogyMethod(method);
    q.run();
    return 0;
  });
}

}  // namespace wembed::cli
