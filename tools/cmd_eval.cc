#include <omp.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/vectors/evaluate.h"
#include "wembed/core/io.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

namespace {

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  char buf[8];
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

// Shortest form that reads back exactly; null for NaN and infinities.
std::string jsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof(buf), "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string jsonCounts(const AnalogyCounts& c) {
  return "\"correct\": " + std::to_string(c.correct) + ", \"answered\": " + std::to_string(c.answered) +
         ", \"skipped\": " + std::to_string(c.skipped) + ", \"accuracy\": " + jsonNumber(c.accuracy());
}

std::string baseName(const std::string& p) {
  const size_t s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

void printCountsRow(const std::string& name, const AnalogyCounts& c) {
  std::printf("  %-30s %8lld %9lld %8lld  %7s%%\n", name.c_str(), static_cast<long long>(c.correct),
              static_cast<long long>(c.answered), static_cast<long long>(c.skipped),
              fixed(100.0 * c.accuracy(), 2).c_str());
}

}  // namespace

int cmdEval(int argc, char** argv) {
  return guarded("eval", [&]() {
    std::string path;
    std::vector<std::string> analogy_files, sim_files;
    int64_t restrict = 30000, pairs_restrict = 300000;
    int threads = 0;
    bool json = false;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (word2vec binary/text, GloVe, fastText .vec, native .wev)")
      ("analogy", po::value(&analogy_files), "analogy questions (word2vec questions-words format: ': section' "
       "lines, then 'a b c d' lines); repeatable")
      ("similarity", po::value(&sim_files), "word-similarity judgements ('word1<TAB>word2<TAB>score' lines); "
       "repeatable")
      ("restrict", po::value(&restrict)->default_value(30000),
       "analogies: only questions whose words are all among the N most frequent, answered from those (0: all)")
      ("pairs-restrict", po::value(&pairs_restrict)->default_value(300000),
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
    if (path.empty()) throw Error("no vector file given");
    if (analogy_files.empty() && sim_files.empty())
      throw Error("nothing to evaluate: give --analogy FILE and/or --similarity FILE");
    if (restrict < 0) throw Error("--restrict must be 0 (all words) or more");
    if (pairs_restrict < 0) throw Error("--pairs-restrict must be 0 (all words) or more");
    if (checkThreads(threads) > 0) omp_set_num_threads(threads);

    // Read and check every test file before the (larger) vector file.
    checkReadable(path);
    std::vector<AnalogySet> sets;
    for (const auto& f : analogy_files) sets.push_back(readAnalogies(f));
    std::vector<std::vector<WordPair>> pair_sets;
    for (const auto& f : sim_files) pair_sets.push_back(readWordPairs(f));
    const Embeddings e(input.loadForQuery(path));

    std::vector<AnalogyReport> areps;
    for (const auto& s : sets) areps.push_back(evaluateAnalogies(e, s, restrict));
    std::vector<PairsReport> preps;
    for (const auto& p : pair_sets) preps.push_back(evaluateWordPairs(e, p, pairs_restrict));

    if (json) {
      std::string o = "{\"vectors\": " + jsonString(path) + ", \"words\": " + std::to_string(e.size()) +
                      ", \"dim\": " + std::to_string(e.dim()) +
                      ", \"duplicates_dropped\": " + std::to_string(e.duplicatesDropped()) + ", \"analogy\": [";
      for (size_t i = 0; i < areps.size(); ++i) {
        const AnalogyReport& r = areps[i];
        o += std::string(i ? ", " : "") + "{\"file\": " + jsonString(analogy_files[i]) +
             ", \"restrict\": " + std::to_string(r.restrict) + ", \"seconds\": " + jsonNumber(r.seconds) +
             ", \"sections\": [";
        for (size_t j = 0; j < r.sections.size(); ++j)
          o += std::string(j ? ", " : "") + "{\"name\": " + jsonString(r.sections[j].name) + ", " +
               jsonCounts(r.sections[j].counts) + "}";
        o += "], \"semantic\": {" + jsonCounts(r.semantic) + "}, \"syntactic\": {" + jsonCounts(r.syntactic) +
             "}, \"total\": {" + jsonCounts(r.total) + "}}";
      }
      o += "], \"similarity\": [";
      for (size_t i = 0; i < preps.size(); ++i) {
        const PairsReport& r = preps[i];
        o += std::string(i ? ", " : "") + "{\"file\": " + jsonString(sim_files[i]) +
             ", \"restrict\": " + std::to_string(r.restrict) + ", \"pairs\": " + std::to_string(r.pairs) +
             ", \"oov\": " + std::to_string(r.oov) + ", \"oov_ratio\": " + jsonNumber(r.oovRatio()) +
             ", \"spearman\": " + jsonNumber(r.spearman) + ", \"pearson\": " + jsonNumber(r.pearson) + "}";
      }
      o += "]}";
      std::printf("%s\n", o.c_str());
      return 0;
    }

    std::printf("vectors: %s (%d words, dim %d", path.c_str(), e.size(), e.dim());
    if (e.duplicatesDropped()) std::printf(", %lld repeated words ignored", static_cast<long long>(e.duplicatesDropped()));
    std::printf(")\n");
    for (size_t i = 0; i < areps.size(); ++i) {
      const AnalogyReport& r = areps[i];
      std::printf("\nanalogy: %s (3CosAdd, case-insensitive, %lld most frequent words; %.2f s)\n",
                  analogy_files[i].c_str(), static_cast<long long>(r.restrict), r.seconds);
      std::printf("  %-30s %8s %9s %8s  %8s\n", "section", "correct", "answered", "skipped", "accuracy");
      for (const auto& s : r.sections) printCountsRow(s.name, s.counts);
      std::printf("  %s\n", std::string(68, '-').c_str());
      printCountsRow("semantic", r.semantic);
      printCountsRow("syntactic", r.syntactic);
      printCountsRow("total", r.total);
    }
    if (!preps.empty()) {
      std::printf("\nsimilarity (cosine, case-insensitive, %lld most frequent words)\n",
                  static_cast<long long>(preps.front().restrict));
      std::printf("  %-30s %7s %6s %9s %9s\n", "file", "pairs", "oov", "spearman", "pearson");
      for (size_t i = 0; i < preps.size(); ++i)
        std::printf("  %-30s %7lld %6lld %9s %9s\n", baseName(sim_files[i]).c_str(),
                    static_cast<long long>(preps[i].pairs), static_cast<long long>(preps[i].oov),
                    fixed(preps[i].spearman, 4).c_str(), fixed(preps[i].pearson, 4).c_str());
    }
    return 0;
  });
}

}  // namespace wembed::cli
