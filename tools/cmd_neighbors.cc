#include "cli_common.h"

namespace wembed::cli {

int cmdNeighbors(int argc, char** argv) {
  return guarded("neighbors", [&]() {
    QueryInput q;
    po::options_description opts("options");
    opts.add_options()("help,h", "show this help");
    po::positional_options_description pos;
    q.addTo(opts, pos, "query words; a quoted 'w1 w2' sums the words", "neighbours to show");
    po::variables_map vm;
    if (!parse("neighbors", "VECTORS [WORD...] [-k N] [--restrict N]   (no words: interactive prompt)", argc, argv,
               opts, &pos, vm))
      return 0;
    q.run();  // every query of the command line in one batch; unknown words reported after the answers
    return 0;
  });
}

}  // namespace wembed::cli
