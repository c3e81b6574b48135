#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/vectors/evaluate.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

namespace {

// "'x' is not in the vocabulary", with the most frequent case variant as a hint.
std::string unknownWord(const Embeddings& e, std::optional<FoldedVocab>& folded, const std::string& w) {
  if (!folded) folded.emplace(e, 0);
  std::string msg = "'" + w + "' is not in the vocabulary";
  const int32_t v = folded->find(w);
  if (v >= 0) msg += " (did you mean '" + e.word(v) + "'?)";
  return msg;
}

// Answers one query; returns an error message instead if a word is unknown.
std::string answer(const Embeddings& e, std::optional<FoldedVocab>& folded, const std::vector<std::string>& w, int k,
                   AnalogyMethod method, int64_t restrict) {
  int32_t id[3];
  std::string err;
  for (int i = 0; i < 3; ++i) {
    id[i] = e.find(w[i]);
    if (id[i] < 0) err += (err.empty() ? "" : "; ") + unknownWord(e, folded, w[i]);
  }
  if (!err.empty()) return err;
  std::printf("%s : %s :: %s : ?\n", w[0].c_str(), w[1].c_str(), w[2].c_str());
  for (const Scored& s : analogy(e, id[0], id[1], id[2], k, method, restrict))
    std::printf("  %-20s %.4f\n", e.word(s.row).c_str(), s.score);
  std::fflush(stdout);
  return "";
}

}  // namespace

int cmdAnalogy(int argc, char** argv) {
  return guarded("analogy", [&]() {
    std::string path, method_name = "add";
    std::vector<std::string> words;
    int k = 10;
    int64_t restrict = 0;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (word2vec binary/text, GloVe, fastText .vec, native .wev)")
      ("words", po::value(&words)->multitoken(), "A B C: A is to B as C is to ?")
      ("k,k", po::value(&k)->default_value(10), "answers to show")
      ("method", po::value(&method_name)->default_value("add"),
       "add: 3CosAdd, cosine to B - A + C (gensim most_similar); "
       "mul: 3CosMul, Levy & Goldberg 2014 (gensim most_similar_cosmul)")
      ("restrict", po::value(&restrict)->default_value(0),
       "answers only among the N most frequent words (0: all)");
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1).add("words", -1);
    po::variables_map vm;
    if (!parse("analogy", "VECTORS [A B C] [-k N] [--method add|mul] [--restrict N]   (no words: interactive prompt)",
               argc, argv, opts, &pos, vm))
      return 0;
    if (path.empty()) throw Error("no vector file given");
    if (k < 1) throw Error("-k must be at least 1");
    if (restrict < 0) throw Error("--restrict must be 0 (all words) or more");
    const AnalogyMethod method = parseAnalogyMethod(method_name);
    if (!words.empty() && words.size() != 3)
      throw Error("expected three words A B C (A is to B as C is to ?), got " + std::to_string(words.size()));
    const Embeddings e(input.loadForQuery(path));
    std::optional<FoldedVocab> folded;
    if (!words.empty()) {
      const std::string err = answer(e, folded, words, k, method, restrict);
      if (!err.empty()) throw Error(err);
      return 0;
    }
    std::string line;
    for (;;) {
      std::fprintf(stderr, "Enter three words A B C (A is to B as C is to ?; EXIT to quit): ");
      if (!std::getline(std::cin, line) || line == "EXIT") break;
      std::istringstream ss(line);
      std::vector<std::string> w;
      for (std::string t; ss >> t;) w.push_back(t);
      if (w.empty()) continue;
      if (w.size() == 1 && w[0] == "EXIT") break;
      if (w.size() != 3) {
        std::fprintf(stderr, "need three words A B C, got %zu\n", w.size());
        continue;
      }
      const std::string err = answer(e, folded, w, k, method, restrict);
      if (!err.empty()) std::fprintf(stderr, "%s\n", err.c_str());
    }
    return 0;
  });
}

}  // namespace wembed::cli
