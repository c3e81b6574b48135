#include "wembed/vectors/query.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "wembed/core/error.h"
#include "wembed/core/range_check.h"
#include "wembed/core/kernels.h"
#include "wembed/core/matrix.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

namespace {

// The blank-separated words of a line.
std::vector<std::string> splitBlanks(const std::string& line) {
  std::istringstream ss(line);
  std::vector<std::string> out;
  for (std::string w; ss >> w;) out.push_back(w);
  return out;
}

void join(std::string& errors, const std::string& e) {
  if (!e.empty()) errors += (errors.empty() ? "" : "; ") + e;
}

}  // namespace

void checkQueryArgs(const QueryArgs& args, const std::vector<std::string>& words) {
  checkRange("-k", args.k, Range::closed(1, 1000000));
  checkWordRestrict("--restrict", args.restrict);
  if (args.kind == QueryKind::kAnalogy && !words.empty() && words.size() != 3)
    throw Error("expected three words A B C (A is to B as C is to ?), got " + std::to_string(words.size()));
}

QueryRunner::QueryRunner(const VectorIndex& index, const QueryArgs& args) : index_(index), args_(args) {
  checkQueryArgs(args, {});
}

std::vector<QueryAnswer> QueryRunner::answer(const std::vector<std::string>& words) {
  if (args_.kind == QueryKind::kNeighbors) return neighbors(words);
  checkQueryArgs(args_, words);
  return {analogy(words)};
}

bool QueryRunner::lookUp(const std::string& w, float* out, int32_t& row, QueryAnswer& a, bool hint) {
  bool composed = false;
  if (!index_.unitVector(w, out, &composed)) {
    join(a.error, index_.hasSubwords() ? quote(w) + " is not in the vocabulary and has no character n-gram to compose it from"
                  : hint               ? unknownWord(w)
                                       : quote(w) + " is not in the vocabulary");
    return false;
  }
  row = composed ? -1 : index_.find(w);
  if (composed && std::find(a.composed.begin(), a.composed.end(), w) == a.composed.end()) a.composed.push_back(w);
  return true;
}

namespace {

// The query line, its words composed from n-grams marked.
std::string marked(const std::string& query, const std::vector<std::string>& composed, bool one_word) {
  if (composed.empty()) return query;
  if (one_word) return query + " (composed from n-grams)";
  std::string s = query + " (composed from n-grams: ";
  for (size_t i = 0; i < composed.size(); ++i) s += (i ? ", " : "") + composed[i];
  return s + ")";
}

}  // namespace

std::vector<QueryAnswer> QueryRunner::neighbors(const std::vector<std::string>& queries) {
  std::vector<QueryAnswer> answers(queries.size());
  std::vector<std::vector<int32_t>> ids(queries.size());
  std::vector<size_t> good;  // the queries to search for
  size_t per = 0;
  // Each query's vector: the normalised sum of its words' unit vectors (in
  // float, as word2vec's distance tool); its words are never an answer.
  const int d = index_.stride();
  Matrix sums(static_cast<int64_t>(queries.size()), index_.dim());
  AlignedBuffer u(static_cast<size_t>(d));
  for (size_t q = 0; q < queries.size(); ++q) {
    QueryAnswer& a = answers[q];
    const std::vector<std::string> words = splitBlanks(queries[q]);
    float* v = sums.row(static_cast<int64_t>(q));
    for (const std::string& w : words) {
      int32_t row = -1;
      if (!lookUp(w, u.data(), row, a, false)) continue;
      ids[q].push_back(row);
      axpy(1.f, u.data(), v, d);
    }
    a.query = marked(queries[q], a.composed, words.size() == 1);
    if (a.error.empty() && !words.empty()) {
      good.push_back(q);
      per = std::max(per, ids[q].size());
      const float n = std::sqrt(dot(v, v, d));
      if (n > 0) scaleVec(1.f / n, v, d);
    }
  }
  // One batch.
  Matrix m(static_cast<int64_t>(good.size()), index_.dim());
  std::vector<int32_t> excluded(good.size() * per, -1);
  for (size_t i = 0; i < good.size(); ++i) {
    std::copy(sums.row(static_cast<int64_t>(good[i])), sums.row(static_cast<int64_t>(good[i])) + d,
              m.row(static_cast<int64_t>(i)));
    const std::vector<int32_t>& w = ids[good[i]];
    std::copy(w.begin(), w.end(), excluded.begin() + static_cast<std::ptrdiff_t>(i * per));
  }
  const int k = args_.k;
  std::vector<Scored> hits(good.size() * static_cast<size_t>(k));
  index_.search(m, k, args_.restrict, Excluded{excluded.data(), static_cast<int>(per), static_cast<int64_t>(per)},
                hits.data());
  for (size_t i = 0; i < good.size(); ++i) {
    answers[good[i]].answered = true;
    for (int j = 0; j < k && hits[i * k + j].row >= 0; ++j) answers[good[i]].hits.push_back(hits[i * k + j]);
  }
  return answers;
}

std::string QueryRunner::unknownWord(const std::string& w) {
  if (!folded_) folded_.emplace(index_, 0);
  std::string msg = quote(w) + " is not in the vocabulary";
  const int32_t v = folded_->find(w);
  if (v >= 0) msg += " (did you mean " + quote(index_.word(v)) + "?)";
  return msg;
}

QueryAnswer QueryRunner::analogy(const std::vector<std::string>& w) {
  QueryAnswer a;
  const int d = index_.stride();
  AlignedBuffer buf(3 * static_cast<size_t>(d));  // rows of 16 floats: each vector stays 64-byte aligned
  float* vec[3];
  int32_t rows[3] = {-1, -1, -1};
  bool known = true;
  for (int i = 0; i < 3; ++i) {
    vec[i] = buf.data() + static_cast<ptrdiff_t>(i) * d;
    known &= lookUp(w[i], vec[i], rows[i], a, true);
  }
  a.query = marked(w[0] + " : " + w[1] + " :: " + w[2] + " : ?", a.composed, false);
  if (!known) return a;
  a.answered = true;
  const float* const abc[3] = {vec[0], vec[1], vec[2]};
  a.hits = wembed::analogy(index_, abc, rows, args_.k, args_.method, args_.restrict);
  return a;
}

std::string QueryRunner::format(const QueryAnswer& a) const {
  std::string s = a.query + "\n";
  char buf[64];
  for (const Scored& h : a.hits) {
    std::snprintf(buf, sizeof buf, " %.4f\n", h.score);
    const std::string& w = index_.word(h.row);
    s += "  " + w + std::string(w.size() < 20 ? 20 - w.size() : 0, ' ') + buf;
  }
  return s;
}

void QueryRunner::run(const std::vector<std::string>& words, std::FILE* out) {
  std::string errors;
  for (const QueryAnswer& a : answer(words)) {
    if (a.answered) std::fputs(format(a).c_str(), out);
    join(errors, a.error);
  }
  std::fflush(out);
  if (!errors.empty()) throw Error(errors);
}

namespace {
// std::getline with a cap on the line's length (a query is a few words;
// /dev/zero or a binary file on standard input is not): false at the end of
// the input, an Error for a longer line.
bool boundedLine(std::istream& in, std::string& line, int64_t line_no) {
  constexpr size_t kMaxQueryLine = 1 << 16;
  line.clear();
  std::streambuf* sb = in.rdbuf();
  for (;;) {
    const int c = sb ? sb->sbumpc() : std::char_traits<char>::eof();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return !line.empty();
    }
    if (c == '\n') return true;
    if (line.size() == kMaxQueryLine)
      throw Error("standard input line " + std::to_string(line_no) + " is longer than " +
                  std::to_string(kMaxQueryLine) + " bytes (not a line of query words)");
    line.push_back(static_cast<char>(c));
  }
}
}  // namespace

void QueryRunner::prompt(std::istream& in, std::FILE* out, std::FILE* err) {
  const bool neighbors = args_.kind == QueryKind::kNeighbors;
  std::string line;
  for (int64_t line_no = 1;; ++line_no) {
    std::fputs(neighbors ? "Enter word or words (EXIT to quit): "
                         : "Enter three words A B C (A is to B as C is to ?; EXIT to quit): ",
               err);
    bool more;
    try {
      more = boundedLine(in, line, line_no);
    } catch (const Error&) {
      std::fputc('\n', err);  // the error line starts on a line of its own, not after the prompt
      throw;
    }
    if (!more || line == "EXIT") break;
    std::vector<std::string> words = splitBlanks(line);
    if (words.empty()) continue;
    if (neighbors) {
      words = {line};
    } else if (words.size() == 1 && words[0] == "EXIT") {
      break;
    } else if (words.size() != 3) {
      std::fprintf(err, "need three words A B C, got %zu\n", words.size());
      continue;
    }
    for (const QueryAnswer& a : answer(words)) {
      if (!a.error.empty()) std::fprintf(err, "%s\n", a.error.c_str());
      if (a.answered) std::fputs(format(a).c_str(), out);
    }
    std::fflush(out);
  }
}

void QueryRunner::serve(const std::vector<std::string>& words, std::istream& in, std::FILE* out, std::FILE* err) {
  if (words.empty()) prompt(in, out, err);
  else run(words, out);
}

}  // namespace wembed
