#include "wembed/vectors/eval_run.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/report.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

EvalResults runEval(const EvalArgs& a) {
  if (a.vectors.empty()) throw Error("no vector file given");
  if (a.analogy_files.empty() && a.similarity_files.empty())
    throw Error("nothing to evaluate: give --analogy FILE and/or --similarity FILE");
  checkWordRestrict("--restrict", a.restrict);
  checkWordRestrict("--pairs-restrict", a.pairs_restrict);
  checkRowLimit(a.limit);
  checkVectorFile(a.vectors);
  std::vector<AnalogySet> sets;
  for (const auto& f : a.analogy_files) sets.push_back(readAnalogies(f));
  std::vector<std::vector<WordPair>> pair_sets;
  for (const auto& f : a.similarity_files) pair_sets.push_back(readWordPairs(f));
  const VectorIndex e = VectorIndex::load(a.vectors, a.format, a.limit);

  EvalResults r;
  r.vectors = a.vectors;
  r.words = e.size();
  r.dim = e.dim();
  r.duplicates_dropped = e.duplicatesDropped();
  if (e.hasSubwords()) r.subwords = e.subwords()->args;
  r.analogy_files = a.analogy_files;
  r.similarity_files = a.similarity_files;
  for (const auto& s : sets) r.analogies.push_back(evaluateAnalogies(e, s, a.restrict));
  for (const auto& p : pair_sets) r.similarities.push_back(evaluateWordPairs(e, p, a.pairs_restrict));
  return r;
}

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

std::string jsonAnalogy(const std::string& file, const AnalogyReport& r) {
  std::string o = "{\"file\": " + jsonString(file) + ", \"restrict\": " + std::to_string(r.restrict) +
                  ", \"seconds\": " + jsonNumber(r.seconds) + ", \"sections\": [";
  for (size_t j = 0; j < r.sections.size(); ++j)
    o += std::string(j ? ", " : "") + "{\"name\": " + jsonString(r.sections[j].name) + ", " +
         jsonCounts(r.sections[j].counts) + "}";
  return o + "], \"semantic\": {" + jsonCounts(r.semantic) + "}, \"syntactic\": {" + jsonCounts(r.syntactic) +
         "}, \"total\": {" + jsonCounts(r.total) + "}}";
}

std::string jsonPairs(const std::string& file, const PairsReport& r) {
  std::string o = "{\"file\": " + jsonString(file) + ", \"restrict\": " + std::to_string(r.restrict) +
                  ", \"pairs\": " + std::to_string(r.pairs) + ", \"oov\": " + std::to_string(r.oov) +
                  ", \"oov_ratio\": " + jsonNumber(r.oovRatio()) + ", \"spearman\": " + jsonNumber(r.spearman) +
                  ", \"pearson\": " + jsonNumber(r.pearson);
  if (r.subwords)
    o += ", \"all_pairs\": " + std::to_string(r.all_pairs) + ", \"composed_pairs\": " + std::to_string(r.composed) +
         ", \"spearman_all\": " + jsonNumber(r.spearman_all);
  return o + "}";
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

std::string countsRow(const std::string& name, const AnalogyCounts& c) {
  return stringPrintf("  %-30s %8lld %9lld %8lld  %7s%%\n", name.c_str(), static_cast<long long>(c.correct),
                 static_cast<long long>(c.answered), static_cast<long long>(c.skipped),
                 fixed(100.0 * c.accuracy(), 2).c_str());
}

std::string analogyTable(const std::string& file, const AnalogyReport& r) {
  std::string s = "\nanalogy: " + file +
                  stringPrintf(" (3CosAdd, case-insensitive, %lld most frequent words; %.2f s)\n",
                          static_cast<long long>(r.restrict), r.seconds);
  s += stringPrintf("  %-30s %8s %9s %8s  %8s\n", "section", "correct", "answered", "skipped", "accuracy");
  for (const auto& sec : r.sections) s += countsRow(sec.name, sec.counts);
  s += "  " + std::string(68, '-') + "\n";
  return s + countsRow("semantic", r.semantic) + countsRow("syntactic", r.syntactic) + countsRow("total", r.total);
}

}  // namespace

std::string evalJson(const EvalResults& r) {
  std::string o = "{\"vectors\": " + jsonString(r.vectors) + ", \"words\": " + std::to_string(r.words) +
                  ", \"dim\": " + std::to_string(r.dim) +
                  ", \"duplicates_dropped\": " + std::to_string(r.duplicates_dropped);
  if (r.subwords.enabled())
    o += ", \"subwords\": {\"minn\": " + std::to_string(r.subwords.minn) + ", \"maxn\": " +
         std::to_string(r.subwords.maxn) + ", \"bucket\": " + std::to_string(r.subwords.bucket) + "}";
  o += ", \"analogy\": [";
  for (size_t i = 0; i < r.analogies.size(); ++i) o += (i ? ", " : "") + jsonAnalogy(r.analogy_files[i], r.analogies[i]);
  o += "], \"similarity\": [";
  for (size_t i = 0; i < r.similarities.size(); ++i)
    o += (i ? ", " : "") + jsonPairs(r.similarity_files[i], r.similarities[i]);
  return o + "]}\n";
}

std::string evalTable(const EvalResults& r) {
  std::string s = "vectors: " + r.vectors + stringPrintf(" (%d words, dim %d", r.words, r.dim);
  if (r.duplicates_dropped)
    s += stringPrintf(", %lld repeated words ignored", static_cast<long long>(r.duplicates_dropped));
  if (r.subwords.enabled())
    s += stringPrintf(", subwords: n-grams of %d-%d characters in %lld buckets", r.subwords.minn, r.subwords.maxn,
                      static_cast<long long>(r.subwords.bucket));
  s += ")\n";
  for (size_t i = 0; i < r.analogies.size(); ++i) s += analogyTable(r.analogy_files[i], r.analogies[i]);
  if (r.similarities.empty()) return s;
  s += stringPrintf("\nsimilarity (cosine, case-insensitive, %lld most frequent words)\n",
               static_cast<long long>(r.similarities.front().restrict));
  s += stringPrintf("  %-30s %7s %6s %9s %9s\n", "file", "pairs", "oov", "spearman", "pearson");
  for (size_t i = 0; i < r.similarities.size(); ++i) {
    const PairsReport& p = r.similarities[i];
    s += stringPrintf("  %-30s %7lld %6lld %9s %9s\n", baseName(r.similarity_files[i]).c_str(),
                 static_cast<long long>(p.pairs), static_cast<long long>(p.oov), fixed(p.spearman, 4).c_str(),
                 fixed(p.pearson, 4).c_str());
  }
  if (!r.subwords.enabled()) return s;
  s += "\nsimilarity, every pair (words lower-cased; outside the vocabulary: composed from n-grams, as fastText)\n";
  s += stringPrintf("  %-30s %7s %9s %9s\n", "file", "pairs", "composed", "spearman");
  for (size_t i = 0; i < r.similarities.size(); ++i) {
    const PairsReport& p = r.similarities[i];
    s += stringPrintf("  %-30s %7lld %9lld %9s\n", baseName(r.similarity_files[i]).c_str(),
                      static_cast<long long>(p.all_pairs), static_cast<long long>(p.composed),
                      fixed(p.spearman_all, 4).c_str());
  }
  return s;
}

}  // namespace wembed
