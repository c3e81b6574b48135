#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli_common.h"
#include "wembed/error.h"
#include "wembed/matrix.h"
#include "wembed/model.h"
#include "wembed/neighbors.h"
#include "wembed/vectors.h"

namespace wembed::cli {

namespace {
// Prints the neighbours of the sum of the query's words; returns an error
// message instead if a word is unknown.
std::string answer(const NeighborIndex& idx, const std::string& query, int k) {
  std::istringstream ss(query);
  std::string w, err;
  std::vector<int32_t> ids;
  while (ss >> w) {
    int32_t i = idx.find(w);
    if (i < 0) err += (err.empty() ? "'" : "; '") + w + "' is not in the vocabulary";
    ids.push_back(i);
  }
  if (!err.empty() || ids.empty()) return err;
  const int d = idx.stride();
  AlignedBuffer q(d);
  for (int32_t i : ids) axpy(1.f, idx.unitRow(i), q.data(), d);
  float n = std::sqrt(dot(q.data(), q.data(), d));
  if (n > 0) scaleVec(1.f / n, q.data(), d);
  std::printf("%s\n", query.c_str());
  for (auto& [i, s] : idx.nearest(q.data(), k, ids)) std::printf("  %-20s %.4f\n", idx.word(i).c_str(), s);
  std::fflush(stdout);
  return "";
}
}  // namespace

int cmdNeighbors(int argc, char** argv) {
  return guarded("neighbors", [&]() {
    std::string path;
    std::vector<std::string> words;
    int k = 10;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (word2vec binary or text)")
      ("words", po::value(&words)->multitoken(), "query words; a quoted 'w1 w2' sums the words")
      ("k,k", po::value(&k)->default_value(10), "neighbours to show");
    po::positional_options_description pos;
    pos.add("vectors", 1).add("words", -1);
    po::variables_map vm;
    if (!parse("neighbors", "VECTORS [WORD...] [-k N]   (no words: interactive prompt)", argc, argv, opts, &pos, vm))
      return 0;
    if (path.empty()) throw Error("no vector file given");
    if (k < 1) throw Error("-k must be at least 1");
    NeighborIndex idx(loadQueryVectors(path));
    if (!words.empty()) {
      std::string err;
      for (const auto& w : words) {
        const std::string e = answer(idx, w, k);
        if (!e.empty()) err += (err.empty() ? "" : "; ") + e;
      }
      if (!err.empty()) throw Error(err);
      return 0;
    }
    std::string line;
    for (;;) {
      std::fprintf(stderr, "Enter word or words (EXIT to quit): ");
      if (!std::getline(std::cin, line) || line == "EXIT") break;
      const std::string err = answer(idx, line, k);
      if (!err.empty()) std::fprintf(stderr, "%s\n", err.c_str());
    }
    return 0;
  });
}

}  // namespace wembed::cli
