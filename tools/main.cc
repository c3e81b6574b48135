// wembed: one binary, one subcommand per job.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli_common.h"
#include "glove_cli.h"
#include "wembed/distributed/comm.h"
#include "wembed/version.h"

namespace {
void usage(FILE* out) {
  std::fprintf(out,
               "usage: wembed COMMAND [OPTIONS]\n\n"
               "commands:\n"
               "  train      train word vectors (skip-gram/CBOW, negative sampling/hierarchical softmax; GloVe)\n"
               "  cooccur    count word-context co-occurrences for GloVe (bounded memory, shuffled output)\n"
               "  vocab      count the words of a corpus and save the vocabulary\n"
               "  phrases    join collocations into tokens (new_york), as word2phrase / gensim Phrases\n"
               "  neighbors  nearest neighbours by cosine similarity\n"
               "  analogy    A is to B as C is to ? (3CosAdd or 3CosMul)\n"
               "  eval       analogy accuracy and word-similarity correlation (gensim's numbers)\n"
               "  plot       2-D map of words (PCA or t-SNE) as SVG or PNG\n"
               "  export     convert vectors: w2v-bin, w2v-txt, glove, native (.wev), tsv (projector), npy, fasttext\n"
               "  info       read a vector file and print its format, size and load time\n"
               "  vectors    print the vectors of words or sentences (fasttext print-word-vectors)\n"
               "  sentiment  GRU/LSTM sentiment classifier on word vectors (train, eval, predict)\n\n"
               "'wembed help COMMAND' (the same as 'wembed COMMAND --help') describes each command;\n"
               "'wembed --version' prints the version.\n");
}

// argv[0] is the command's name, as each command expects.
int runCommand(const std::string& cmd, int argc, char** argv) {
  using namespace wembed::cli;
  if (cmd == "train") return cmdTrain(argc, argv);
  if (cmd == "vocab") return cmdVocab(argc, argv);
  if (cmd == "cooccur") return cmdCooccur(argc, argv);
  if (cmd == "phrases") return cmdPhrases(argc, argv);
  if (cmd == "neighbors") return cmdNeighbors(argc, argv);
  if (cmd == "analogy") return cmdAnalogy(argc, argv);
  if (cmd == "eval") return cmdEval(argc, argv);
  if (cmd == "plot") return cmdPlot(argc, argv);
  if (cmd == "export") return cmdExport(argc, argv);
  if (cmd == "info") return cmdInfo(argc, argv);
  if (cmd == "vectors") return cmdVectors(argc, argv);
  if (cmd == "sentiment") return cmdSentiment(argc, argv);
  std::fprintf(stderr, "wembed: error: unknown command '%s' (see 'wembed --help')\n", cmd.c_str());
  return 1;
}
}  // namespace

// Under mpirun: joins the job first and leaves it last (rank 0 alone prints errors).
struct Job {
  Job(int* argc, char*** argv) { wembed::distributed::init(argc, argv); }
  ~Job() { wembed::distributed::finalize(); }
};

int run(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 1;
  }
  const std::string cmd = argv[1];
  if (cmd == "help" && argc > 2) {  // wembed help CMD [SUB]: wembed CMD [SUB] --help
    std::vector<char*> args(argv + 2, argv + argc);
    static char help[] = "--help";
    args.push_back(help);
    args.push_back(nullptr);
    return runCommand(args[0], static_cast<int>(args.size()) - 1, args.data());
  }
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  if (cmd == "--version") {
    std::printf("wembed %s\n", WEMBED_VERSION);
    return 0;
  }
  return runCommand(cmd, argc - 1, argv + 1);
}

int main(int argc, char** argv) {
  try {
    Job job(&argc, &argv);
    return run(argc, argv);
  } catch (const std::exception& e) {
    if (wembed::distributed::reporting()) std::fprintf(stderr, "wembed: error: %s\n", e.what());
    return 1;
  }
}
