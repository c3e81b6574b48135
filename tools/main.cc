// wembed: one binary, one subcommand per job.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli_common.h"
#include "glove_cli.h"

namespace {
void usage(FILE* out) {
  std::fprintf(out,
               "usage: wembed COMMAND [OPTIONS]\n\n"
               "commands:\n"
               "  train      train word vectors (skip-gram/CBOW, negative sampling/hierarchical softmax; GloVe)\n"
               "  cooccur    count word-context co-occurrences for GloVe (bounded memory, shuffled output)\n"
               "  vocab      count the words of a corpus and save the vocabulary\n"
               "  neighbors  nearest neighbours by cosine similarity\n"
               "  analogy    A is to B as C is to ? (3CosAdd or 3CosMul)\n"
               "  eval       analogy accuracy and word-similarity correlation (gensim's numbers)\n"
               "  plot       2-D map of words (PCA or t-SNE) as SVG or PNG\n"
               "  export     convert vectors: w2v-bin, w2v-txt, glove, native (.wev), tsv (projector), npy\n"
               "  info       read a vector file and print its format, size and load time\n"
               "  sentiment  GRU/LSTM sentiment classifier on word vectors (train, eval, predict)\n\n"
               "'wembed COMMAND --help' describes each command.\n");
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 1;
  }
  const std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  if (cmd == "--version") {
    std::printf("wembed 0.1.0\n");
    return 0;
  }
  using namespace wembed::cli;
  if (cmd == "train") return cmdTrain(argc - 1, argv + 1);
  if (cmd == "vocab") return cmdVocab(argc - 1, argv + 1);
  if (cmd == "cooccur") return cmdCooccur(argc - 1, argv + 1);
  if (cmd == "neighbors") return cmdNeighbors(argc - 1, argv + 1);
  if (cmd == "analogy") return cmdAnalogy(argc - 1, argv + 1);
  if (cmd == "eval") return cmdEval(argc - 1, argv + 1);
  if (cmd == "plot") return cmdPlot(argc - 1, argv + 1);
  if (cmd == "export") return cmdExport(argc - 1, argv + 1);
  if (cmd == "info") return cmdInfo(argc - 1, argv + 1);
  if (cmd == "sentiment") return cmdSentiment(argc - 1, argv + 1);
  std::fprintf(stderr, "wembed: error: unknown command '%s' (see 'wembed --help')\n", cmd.c_str());
  return 1;
}
