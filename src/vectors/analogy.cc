// Analogy queries on a VectorIndex (3CosAdd, 3CosMul) and the
// case-insensitive vocabulary of gensim's evaluation.
#include <algorithm>
#include <limits>

#include "top_list.h"
#include "wembed/core/error.h"
#include "wembed/core/kernels.h"
#include "wembed/vectors/evaluate.h"

namespace wembed {

// --- FoldedVocab ------------------------------------------------------------

FoldedVocab::FoldedVocab(const VectorIndex& e, int64_t restrict) {
  restrict_ = e.restricted(restrict);
  index_.reserve(restrict_);
  group_.resize(restrict_);
  // gensim: {k.upper(): index for k in reversed(ok_keys)}, so the lowest row wins.
  for (int32_t i = 0; i < restrict_; ++i) group_[i] = index_.emplace(upperCase(e.word(i)), i).first->second;
}

int32_t FoldedVocab::findUpper(const std::string& upper) const {
  auto it = index_.find(upper);
  return it == index_.end() ? -1 : it->second;
}

int32_t FoldedVocab::find(const std::string& word) const { return findUpper(upperCase(word)); }

// --- analogies ----------------------------------------------------------------

AnalogyMethod parseAnalogyMethod(const std::string& s) {
  if (s == "add" || s == "3cosadd") return AnalogyMethod::kAdd;
  if (s == "mul" || s == "3cosmul") return AnalogyMethod::kMul;
  throw Error("unknown analogy method " + quote(s) + " (expected add or mul)");
}

void analogyBatch(const VectorIndex& e, const int32_t* abc, int64_t n, int k, int64_t restrict, Scored* out) {
  if (n <= 0 || k <= 0) return;
  // The 3CosAdd query of gensim's most_similar(positive=[b, c], negative=[a]):
  // the unit-length mean of unit(b), unit(c) and -unit(a).
  Matrix queries(n, e.dim());
#pragma omp parallel for schedule(static)
  for (int64_t q = 0; q < n; ++q) e.meanQuery(abc + 3 * q + 1, 2, abc + 3 * q, 1, queries.row(q));
  // a, b and c are never the answer.
  e.search(queries, k, restrict, Excluded{abc, 3, 3}, out);
}

namespace {

// gensim most_similar_cosmul, in float32 as it computes:
// prod(pos) / (prod(neg) + 0.000001) with each term (1 + cos) / 2.
void cosMul(const VectorIndex& e, const float* const abc[3], const int32_t rows[3], int k, int64_t restrict,
            Scored* top) {
  const int32_t n = e.restricted(restrict);
  const int d = e.stride();
  const float* ua = abc[0];
  const float* ub = abc[1];
  const float* uc = abc[2];
  float worst = top[k - 1].score;
  for (int32_t r = 0; r < n; ++r) {
    if (r == rows[0] || r == rows[1] || r == rows[2] || e.isZero(r)) continue;
    const float* x = e.unitRow(r);
    const float sa = (1.f + dot(x, ua, d)) / 2.f;
    const float sb = (1.f + dot(x, ub, d)) / 2.f;
    const float sc = (1.f + dot(x, uc, d)) / 2.f;
    const float s = (sb * sc) / (sa + 0.000001f);
    if (s > worst) {
      insertTop(top, k, r, s);
      worst = top[k - 1].score;
    }
  }
}

}  // namespace

std::vector<Scored> analogy(const VectorIndex& e, int32_t a, int32_t b, int32_t c, int k, AnalogyMethod method,
                            int64_t restrict) {
  for (int32_t w : {a, b, c})
    if (w < 0 || w >= e.size()) throw Error("analogy: word row out of range");
  const float* const abc[3] = {e.unitRow(a), e.unitRow(b), e.unitRow(c)};
  const int32_t rows[3] = {a, b, c};
  return analogy(e, abc, rows, k, method, restrict);
}

std::vector<Scored> analogy(const VectorIndex& e, const float* const abc[3], const int32_t rows[3], int k,
                            AnalogyMethod method, int64_t restrict) {
  if (k <= 0) return {};
  std::vector<Scored> top(static_cast<size_t>(k), Scored{-1, -std::numeric_limits<float>::infinity()});
  if (method == AnalogyMethod::kAdd) {
    // analogyBatch's query (the unit mean of b, c and -a) and search.
    Matrix q(1, e.dim());
    e.meanQuery(abc + 1, 2, abc, 1, q.row(0));
    e.search(q, k, restrict, Excluded{rows, 3, 0}, top.data());
  } else {
    cosMul(e, abc, rows, k, restrict, top.data());
  }
  while (!top.empty() && top.back().row < 0) top.pop_back();
  return top;
}

}  // namespace wembed
