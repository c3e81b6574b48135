// neighbors: the nearest neighbours of words in a vector file, with the wembed
// library (an example of its public API; see README "Install / use as a library").
//
//   neighbors VECTORS WORD... [-k N]
//
// VECTORS is any vector file wembed reads (word2vec binary or text, GloVe,
// fastText .vec, wembed's .wev, .npy, gzip-compressed or not; '-' for standard
// input): its format is detected. For each WORD (or 'w1 w2', the words'
// directions summed) it prints the query, then the N nearest words by cosine
// similarity, best first. Build it against an installed wembed:
//
//   cmake -S examples -B build-examples -DCMAKE_PREFIX_PATH=/usr/local && cmake --build build-examples
//   c++ -std=c++17 examples/neighbors.cc $(pkg-config --cflags --libs wembed) -o neighbors
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "wembed/vectors/index.h"    // VectorIndex: the words and their unit vectors
#include "wembed/vectors/query.h"    // QueryRunner: neighbour and analogy queries
#include "wembed/vectors/vectors.h"  // loadVectors: every vector format

int main(int argc, char** argv) {
  std::string path;
  std::vector<std::string> words;
  int k = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-k" && i + 1 < argc) {
      k = std::atoi(argv[++i]);
    } else if (path.empty()) {
      path = arg;
    } else {
      words.push_back(arg);
    }
  }
  if (path.empty() || words.empty() || k < 1) {
    std::fprintf(stderr, "usage: neighbors VECTORS WORD... [-k N]\n");
    return 2;
  }
  try {
    // Load the file (format detected; wembed::Error names the file and line
    // if it is malformed), then index it: rows at unit length, words by name.
    wembed::Vectors vectors = wembed::loadVectors(path);
    std::printf("%s: %zu words, %d dimensions\n", path.c_str(), vectors.words.size(), vectors.matrix.cols());
    const wembed::VectorIndex index(std::move(vectors));

    // All queries in one batch; a query's own words are never an answer.
    wembed::QueryArgs args;
    args.k = k;
    wembed::QueryRunner runner(index, args);
    int status = 0;
    for (const wembed::QueryAnswer& answer : runner.answer(words)) {
      if (!answer.answered) {  // an unknown word: the message says which
        std::fprintf(stderr, "neighbors: %s\n", answer.error.c_str());
        status = 1;
        continue;
      }
      std::printf("%s\n", answer.query.c_str());
      for (const wembed::Scored& hit : answer.hits) std::printf("  %-16s %.4f\n", index.word(hit.row).c_str(), hit.score);
    }
    return status;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "neighbors: error: %s\n", e.what());
    return 1;
  }
}
