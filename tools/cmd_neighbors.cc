#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/core/matrix.h"
#include "wembed/core/kernels.h"
#include "wembed/vectors/neighbors.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

namespace {

// The normalised sum of a query's words (one word, or several separated by
// spaces) into row q of queries, and the words' ids into ids; returns an
// error message instead ("'x' is not in the vocabulary") if a word is
// unknown, else "" (with no ids if the query holds no word).
std::string makeQuery(const NeighborIndex& idx, const std::string& query, Matrix& queries, int64_t q,
                      std::vector<int32_t>& ids) {
  std::istringstream ss(query);
  ids.clear();
  std::string err;
  for (std::string w; ss >> w;) {
    const int32_t i = idx.find(w);
    if (i < 0) err += (err.empty() ? "'" : "; '") + w + "' is not in the vocabulary";
    ids.push_back(i);
  }
  if (!err.empty() || ids.empty()) return err;
  const int d = idx.stride();
  float* v = queries.row(q);
  zeroVec(v, d);
  for (int32_t i : ids) axpy(1.f, idx.unitRow(i), v, d);
  const float n = std::sqrt(dot(v, v, d));
  if (n > 0) scaleVec(1.f / n, v, d);
  return "";
}

void print(const NeighborIndex& idx, const std::string& query, const NeighborIndex::Hits& hits) {
  std::printf("%s\n", query.c_str());
  for (const auto& [i, s] : hits) std::printf("  %-20s %.4f\n", idx.word(i).c_str(), s);
}

}  // namespace

int cmdNeighbors(int argc, char** argv) {
  return guarded("neighbors", [&]() {
    std::string path;
    std::vector<std::string> words;
    int k = 10;
    int64_t restrict = 0;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (word2vec binary/text, GloVe, fastText .vec, native .wev)")
      ("words", po::value(&words)->multitoken(), "query words; a quoted 'w1 w2' sums the words")
      ("k,k", po::value(&k)->default_value(10), "neighbours to show")
      ("restrict", po::value(&restrict)->default_value(0), "answers only among the N most frequent words (0: all)");
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1).add("words", -1);
    po::variables_map vm;
    if (!parse("neighbors", "VECTORS [WORD...] [-k N] [--restrict N]   (no words: interactive prompt)", argc, argv,
               opts, &pos, vm))
      return 0;
    if (path.empty()) throw Error("no vector file given");
    if (k < 1) throw Error("-k must be at least 1");
    if (restrict < 0) throw Error("--restrict must be 0 (all words) or more");
    NeighborIndex idx(input.loadForQuery(path));
    if (!words.empty()) {
      // Every query of the command line in one batch; the known ones are
      // answered, the unknown words then reported in one error line.
      Matrix queries(static_cast<int64_t>(words.size()), idx.dim());
      std::vector<std::vector<int32_t>> exclude(words.size());
      std::vector<char> good(words.size());
      std::string err;
      for (size_t q = 0; q < words.size(); ++q) {
        const std::string e = makeQuery(idx, words[q], queries, static_cast<int64_t>(q), exclude[q]);
        good[q] = e.empty() && !exclude[q].empty();
        if (!good[q]) exclude[q].clear();
        if (!e.empty()) err += (err.empty() ? "" : "; ") + e;
      }
      const auto hits = idx.nearestBatch(queries, k, exclude, restrict);
      for (size_t q = 0; q < words.size(); ++q)
        if (good[q]) print(idx, words[q], hits[q]);
      std::fflush(stdout);
      if (!err.empty()) throw Error(err);
      return 0;
    }
    Matrix query(1, idx.dim());
    std::vector<std::vector<int32_t>> exclude(1);
    std::string line;
    for (;;) {
      std::fprintf(stderr, "Enter word or words (EXIT to quit): ");
      if (!std::getline(std::cin, line) || line == "EXIT") break;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string err = makeQuery(idx, line, query, 0, exclude[0]);
      if (!err.empty()) {
        std::fprintf(stderr, "%s\n", err.c_str());
        continue;
      }
      print(idx, line, idx.nearestBatch(query, k, exclude, restrict).front());
      std::fflush(stdout);
    }
    return 0;
  });
}

}  // namespace wembed::cli
