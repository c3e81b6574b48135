// Analogy and word-similarity test sets, and gensim's scoring of them.
#include "wembed/vectors/evaluate.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "pytext.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/kernels.h"
#include "wembed/core/matrix.h"

namespace wembed {

// --- analogy files and evaluation --------------------------------------------

namespace {

// Test files are small; a longer line means a wrong file, not a long question.
constexpr size_t kMaxTestLine = 1 << 20;

std::string where(const std::string& path, int64_t line) { return quotedName(path) + " line " + std::to_string(line); }

}  // namespace

AnalogySet readAnalogies(const std::string& path) {
  LineReader in(path, kMaxTestLine);
  AnalogySet set;
  std::string line;
  while (in.next(line)) {
    const int64_t line_no = in.lineNumber();
    if (line.compare(0, 2, ": ") == 0) {
      // gensim: line.lstrip(': ').strip()
      size_t s = line.find_first_not_of(": ");
      set.sections.push_back(s == std::string::npos ? "" : pyStrip(line.substr(s)));
      continue;
    }
    const auto words = splitWhitespace(line);
    if (words.empty()) continue;
    if (words.size() != 4)
      throw Error("bad analogy file " + where(path, line_no) + ": expected ': section' or four words, got " +
                  std::to_string(words.size()) + " word" + (words.size() == 1 ? "" : "s"));
    if (set.sections.empty())
      throw Error("bad analogy file " + where(path, line_no) + ": a question before the first ': section' line");
    AnalogyQuestion q;
    q.a = upperCase(words[0]);
    q.b = upperCase(words[1]);
    q.c = upperCase(words[2]);
    q.expected = upperCase(words[3]);
    q.section = static_cast<int32_t>(set.sections.size() - 1);
    q.line = line_no;
    set.questions.push_back(std::move(q));
  }
  if (set.questions.empty()) throw Error("bad analogy file " + quotedName(path) + ": it holds no questions");
  return set;
}

AnalogyCounts& AnalogyCounts::operator+=(const AnalogyCounts& o) {
  correct += o.correct;
  answered += o.answered;
  skipped += o.skipped;
  return *this;
}

AnalogyReport evaluateAnalogies(const VectorIndex& e, const AnalogySet& set, int64_t restrict,
                                std::vector<int8_t>* outcomes) {
  const auto t0 = std::chrono::steady_clock::now();
  AnalogyReport rep;
  const FoldedVocab ok(e, restrict);
  rep.restrict = ok.restrict();
  for (const auto& name : set.sections) rep.sections.push_back(AnalogySectionResult{name, {}});

  struct Known {
    int32_t a, b, c, expected, section;
    size_t question;
  };
  std::vector<Known> known;
  std::vector<int32_t> abc;
  known.reserve(set.questions.size());
  abc.reserve(3 * set.questions.size());
  if (outcomes) outcomes->assign(set.questions.size(), -1);
  for (size_t i = 0; i < set.questions.size(); ++i) {
    const AnalogyQuestion& q = set.questions[i];
    const Known k{ok.findUpper(q.a), ok.findUpper(q.b), ok.findUpper(q.c), ok.findUpper(q.expected), q.section, i};
    if (k.a < 0 || k.b < 0 || k.c < 0 || k.expected < 0) {
      ++rep.sections[q.section].counts.skipped;
      continue;
    }
    known.push_back(k);
    abc.insert(abc.end(), {k.a, k.b, k.c});
  }

  // gensim asks most_similar for topn=5 and takes the first answer whose
  // upper-cased word is none of A, B, C (they are excluded by row already,
  // but another case variant of them may come back); if there is none, the
  // last of the five stands.
  constexpr int kTop = 5;
  std::vector<Scored> top(known.size() * kTop);
  analogyBatch(e, abc.data(), static_cast<int64_t>(known.size()), kTop, ok.restrict(), top.data());
  for (size_t i = 0; i < known.size(); ++i) {
    const Known& k = known[i];
    int32_t predicted = -1;
    for (int j = 0; j < kTop; ++j) {
      const int32_t r = top[i * kTop + j].row;
      if (r < 0) break;
      predicted = ok.group(r);
      if (predicted != k.a && predicted != k.b && predicted != k.c) break;
    }
    AnalogyCounts& s = rep.sections[k.section].counts;
    ++s.answered;
    const bool correct = predicted >= 0 && predicted == k.expected;
    if (correct) ++s.correct;
    if (outcomes) (*outcomes)[k.question] = correct ? 1 : 0;
  }
  for (const auto& s : rep.sections) {
    (s.syntactic() ? rep.syntactic : rep.semantic) += s.counts;
    rep.total += s.counts;
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

// --- word pairs ---------------------------------------------------------------

namespace {

// Python's float(): optional surrounding whitespace, decimal or inf/nan
// spellings, '_' only between digits; no hex.
bool parsePyFloat(std::string s, double& out) {
  const auto trimmed = splitWhitespace(s);
  if (trimmed.size() != 1) return false;
  s = trimmed[0];
  std::string t;
  for (size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch == '_') {
      if (i == 0 || i + 1 == s.size() || !std::isdigit(static_cast<unsigned char>(s[i - 1])) ||
          !std::isdigit(static_cast<unsigned char>(s[i + 1])))
        return false;
      continue;
    }
    if (ch == 'x' || ch == 'X' || ch == '(' || ch == 'p' || ch == 'P') return false;
    t.push_back(ch);
  }
  char* end = nullptr;
  errno = 0;
  out = std::strtod(t.c_str(), &end);
  return end != t.c_str() && *end == '\0';
}

}  // namespace

std::vector<WordPair> readWordPairs(const std::string& path) {
  // Universal newlines, as Python's text mode: \n, \r\n and \r end a line.
  LineReader in(path, kMaxTestLine, true);
  std::vector<WordPair> pairs;
  std::string line;
  while (in.next(line)) {
    const int64_t line_no = in.lineNumber();
    if (line.empty() || line[0] == '#' || splitWhitespace(line).empty()) continue;
    std::vector<std::string> f;
    size_t s = 0;
    for (;;) {
      const size_t tab = line.find('\t', s);
      f.push_back(line.substr(s, tab == std::string::npos ? std::string::npos : tab - s));
      if (tab == std::string::npos) break;
      s = tab + 1;
    }
    if (f.size() != 3)
      throw Error("bad word-pair file " + where(path, line_no) + ": expected 'word1<TAB>word2<TAB>score', got " +
                  std::to_string(f.size()) + " tab-separated field" + (f.size() == 1 ? "" : "s"));
    WordPair p;
    if (!parsePyFloat(f[2], p.score))
      throw Error("bad word-pair file " + where(path, line_no) + ": " + quote(f[2]) + " is not a number");
    p.w1 = std::move(f[0]);
    p.w2 = std::move(f[1]);
    p.line = line_no;
    pairs.push_back(std::move(p));
  }
  if (pairs.empty()) throw Error("bad word-pair file " + quotedName(path) + ": it holds no word pairs");
  return pairs;
}

namespace {

// Every pair, words outside the vocabulary composed from n-grams (the shared
// scorer's kv.similarity(w1.lower(), w2.lower()) on gensim's fastText vectors).
void scoreAllPairs(const VectorIndex& e, const std::vector<WordPair>& pairs, PairsReport& rep) {
  const int d = e.stride();
  AlignedBuffer u1(static_cast<size_t>(d)), u2(static_cast<size_t>(d));
  std::vector<double> gold, model;
  for (const auto& p : pairs) {
    bool c1 = false, c2 = false;  // unitVector is false (a zero vector) for a word without n-grams
    const std::string w1 = lowerCase(p.w1), w2 = lowerCase(p.w2);
    const bool v1 = e.unitVector(w1, u1.data(), &c1), v2 = e.unitVector(w2, u2.data(), &c2);
    if (!v1 || !v2 || c1 || c2) ++rep.composed;
    gold.push_back(p.score);
    model.push_back(dot(u1.data(), u2.data(), d));
  }
  rep.subwords = true;
  rep.all_pairs = static_cast<int64_t>(gold.size());
  rep.spearman_all = spearman(gold, model);
}

}  // namespace

PairsReport evaluateWordPairs(const VectorIndex& e, const std::vector<WordPair>& pairs, int64_t restrict) {
  const FoldedVocab ok(e, restrict);
  PairsReport rep;
  rep.restrict = ok.restrict();
  std::vector<double> gold, model;
  for (const auto& p : pairs) {
    const int32_t a = ok.find(p.w1), b = ok.find(p.w2);
    if (a < 0 || b < 0) {
      ++rep.oov;
      continue;
    }
    gold.push_back(p.score);
    model.push_back(e.cosine(a, b));  // float32, as gensim's similarity()
  }
  rep.pairs = static_cast<int64_t>(gold.size());
  rep.spearman = spearman(gold, model);
  rep.pearson = pearson(gold, model);
  if (e.hasSubwords()) scoreAllPairs(e, pairs, rep);
  return rep;
}

std::vector<double> averageRanks(const std::vector<double>& x) {
  const size_t n = x.size();
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(n);
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && x[order[j]] == x[order[i]]) ++j;
    const double avg = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // ranks i+1 .. j
    for (size_t t = i; t < j; ++t) r[order[t]] = avg;
    i = j;
  }
  return r;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const size_t n = x.size();
  if (n != y.size() || n < 2) return nan;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) return nan;
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0 || syy == 0) return nan;  // a constant input
  return std::max(-1.0, std::min(1.0, sxy / std::sqrt(sxx * syy)));
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (x.size() != y.size() || x.size() < 2) return nan;
  // scipy: a constant input gives NaN, so does any NaN.
  const bool cx = std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; });
  const bool cy = std::all_of(y.begin(), y.end(), [&](double v) { return v == y[0]; });
  if (cx || cy) return nan;
  for (size_t i = 0; i < x.size(); ++i)
    if (std::isnan(x[i]) || std::isnan(y[i])) return nan;
  return pearson(averageRanks(x), averageRanks(y));
}

}  // namespace wembed
