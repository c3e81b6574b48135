#include "wembed/vectors/index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "top_list.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/kernels.h"

namespace wembed {

// --- WordIndex ----------------------------------------------------------------

WordIndex::WordIndex(std::vector<std::string> words) {
  const int64_t rows = static_cast<int64_t>(words.size());
  std::vector<int64_t> keep;
  keep.reserve(static_cast<size_t>(rows));
  index_.reserve(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i)
    if (index_.emplace(words[static_cast<size_t>(i)], static_cast<int32_t>(keep.size())).second) keep.push_back(i);
  dropped_ = rows - static_cast<int64_t>(keep.size());
  if (dropped_ == 0) {
    words_ = std::move(words);
    return;
  }
  words_.reserve(keep.size());
  for (int64_t r : keep) words_.push_back(std::move(words[static_cast<size_t>(r)]));
  kept_ = std::move(keep);
}

int32_t WordIndex::find(const std::string& word) const {
  auto it = index_.find(word);
  return it == index_.end() ? -1 : it->second;
}

// --- VectorIndex: rows ----------------------------------------------------------

namespace {

// Divides the first `cols` values by their length (as gensim's vectors /
// norms); false for a zero row.
bool normaliseRow(float* r, int cols) {
  double ss = 0;
  for (int j = 0; j < cols; ++j) ss += static_cast<double>(r[j]) * r[j];
  const double n = std::sqrt(ss);  // in double: huge values must not overflow to an infinite norm
  if (!(n > 0)) return false;
  for (int j = 0; j < cols; ++j) r[j] = static_cast<float>(r[j] / n);
  return true;
}

}  // namespace

std::shared_ptr<const Subwords> composingSubwords(std::shared_ptr<Subwords> s) {
  if (s && s.use_count() == 1) {
    s->own = Matrix();
    s->output = Matrix();
  }
  return s;
}

VectorIndex::VectorIndex(Vectors v)
    : words_(std::move(v.words)), subwords_(composingSubwords(std::move(v.subwords))) {
  const int64_t n = words_.size();
  if (subwords_ && subwords_->buckets.cols() != v.matrix.cols())
    throw Error("the n-gram rows have " + std::to_string(subwords_->buckets.cols()) + " dimensions, the words " +
                std::to_string(v.matrix.cols()));
  if (words_.dropped() == 0) {
    unit_ = std::move(v.matrix);
  } else {  // the rows of the words kept, moved up; the file's matrix is released at once
    unit_ = Matrix(n, v.matrix.cols());
    for (int32_t j = 0; j < n; ++j)
      std::memcpy(unit_.row(j), v.matrix.row(words_.sourceRow(j)), sizeof(float) * unit_.stride());
    v.matrix = Matrix();
  }
  zero_.assign(static_cast<size_t>(n), 0);
  const int cols = unit_.cols();
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    float* r = unit_.row(i);
    for (int j = cols; j < unit_.stride(); ++j) r[j] = 0.f;  // padding stays zero
    if (!normaliseRow(r, cols)) {
      zeroVec(r, unit_.stride());
      zero_[static_cast<size_t>(i)] = 1;
    }
  }
}

VectorIndex VectorIndex::load(const std::string& path, VectorFormat format, int64_t limit) {
  Vectors v = loadVectors(path, format, limit);
  if (v.words.empty()) throw Error("bad vector file " + quotedName(path) + ": it holds no vectors (the header says 0 rows)");
  return VectorIndex(std::move(v));
}

float VectorIndex::cosine(int32_t i, int32_t j) const { return dot(unitRow(i), unitRow(j), stride()); }

bool VectorIndex::unitVector(const std::string& word, float* out, bool* composed) const {
  if (composed) *composed = false;
  const int32_t w = find(word);
  if (w >= 0) {
    std::memcpy(out, unitRow(w), sizeof(float) * static_cast<size_t>(stride()));
    return true;
  }
  if (!subwords_ || !subwords_->compose(word, out)) {
    zeroVec(out, stride());
    return false;
  }
  if (!normaliseRow(out, dim())) zeroVec(out, stride());
  if (composed) *composed = true;
  return true;
}

int32_t VectorIndex::restricted(int64_t restrict) const {
  return restrict <= 0 || restrict > size() ? size() : static_cast<int32_t>(restrict);
}

namespace {

// gensim's get_mean_vector(pre_normalize, post_normalize) in float32 of the
// unit vectors plus(0..n_plus) and -minus(0..n_minus).
template <class Plus, class Minus>
void meanOfUnit(Plus plus, int n_plus, Minus minus, int n_minus, float* q, int d) {
  zeroVec(q, d);
  for (int i = 0; i < n_plus; ++i) axpy(1.f, plus(i), q, d);
  for (int i = 0; i < n_minus; ++i) axpy(-1.f, minus(i), q, d);
  if (n_plus + n_minus == 0) return;
  scaleVec(1.f / static_cast<float>(n_plus + n_minus), q, d);
  double ss = 0;
  for (int j = 0; j < d; ++j) ss += static_cast<double>(q[j]) * q[j];
  const float n = static_cast<float>(std::sqrt(ss));
  if (n > 0) scaleVec(static_cast<float>(1.0 / n), q, d);
}

}  // namespace

void VectorIndex::meanQuery(const int32_t* plus, int n_plus, const int32_t* minus, int n_minus, float* q) const {
  meanOfUnit([&](int i) { return unitRow(plus[i]); }, n_plus, [&](int i) { return unitRow(minus[i]); }, n_minus, q,
             stride());
}

void VectorIndex::meanQuery(const float* const* plus, int n_plus, const float* const* minus, int n_minus,
                            float* q) const {
  meanOfUnit([&](int i) { return plus[i]; }, n_plus, [&](int i) { return minus[i]; }, n_minus, q, stride());
}

// --- VectorIndex: search --------------------------------------------------------

namespace {

constexpr float kNoScore = -std::numeric_limits<float>::infinity();

inline bool isExcluded(const Excluded& ex, int64_t q, int32_t r) {
  const int32_t* p = ex.rows + q * ex.step;
  for (int i = 0; i < ex.per; ++i)
    if (p[i] == r) return true;
  return false;
}

}  // namespace

void VectorIndex::search(const Matrix& queries, int k, int64_t restrict, const Excluded& ex, Scored* out) const {
  const int64_t n = queries.rows();
  if (n <= 0 || k <= 0) return;
  std::fill(out, out + n * k, Scored{-1, kNoScore});
  const int32_t rows = restricted(restrict);
  const int kk = std::min(k, rows);
  if (kk <= 0) return;
  if (kk > 64) return searchAll(queries, k, rows, ex, out);
  // Tiles of queries against blocks of rows: a block (~100 KB) stays in
  // cache while every query of the tile is scored against it; an insertion
  // list of k per query keeps the best so far (most rows fail one comparison).
  constexpr int64_t kTile = 128;
  constexpr int32_t kBlock = 256;
  const int d = stride();
  const int64_t tiles = (n + kTile - 1) / kTile;
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t t = 0; t < tiles; ++t) {
    const int64_t q0 = t * kTile, q1 = std::min(n, q0 + kTile);
    for (int32_t r0 = 0; r0 < rows; r0 += kBlock) {
      const int32_t r1 = std::min(rows, r0 + kBlock);
      for (int64_t q = q0; q < q1; ++q) {
        const float* qv = queries.row(q);
        Scored* top = out + q * k;
        float worst = top[kk - 1].score;
        for (int32_t r = r0; r < r1; ++r) {
          const float s = dot(qv, unit_.row(r), d);
          if (s > worst) {
            if (zero_[static_cast<size_t>(r)] || isExcluded(ex, q, r)) continue;
            insertTop(top, kk, r, s);
            worst = top[kk - 1].score;
          }
        }
      }
    }
  }
}

// Large k: all scores of a query, then a partial sort of the best k.
void VectorIndex::searchAll(const Matrix& queries, int k, int32_t rows, const Excluded& ex, Scored* out) const {
  const int64_t n = queries.rows();
  const int d = stride();
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t q = 0; q < n; ++q) {
    const float* qv = queries.row(q);
    std::vector<Scored> all;
    all.reserve(static_cast<size_t>(rows));
    for (int32_t r = 0; r < rows; ++r) {
      const float s = dot(qv, unit_.row(r), d);
      if (s == s && !zero_[static_cast<size_t>(r)] && !isExcluded(ex, q, r)) all.push_back(Scored{r, s});  // NaN never ranks
    }
    const size_t m = std::min(all.size(), static_cast<size_t>(k));
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m), all.end(), [](const Scored& a, const Scored& b) {
      return a.score > b.score || (a.score == b.score && a.row < b.row);
    });
    std::copy(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m), out + q * k);
  }
}

std::vector<std::vector<Scored>> VectorIndex::nearestBatch(const Matrix& queries, int k,
                                                           const std::vector<std::vector<int32_t>>& exclude,
                                                           int64_t restrict) const {
  const int64_t n = queries.rows();
  std::vector<std::vector<Scored>> hits(static_cast<size_t>(n));
  if (n == 0 || k <= 0) return hits;
  // The lists side by side, padded with -1.
  size_t per = 0;
  for (const auto& e : exclude) per = std::max(per, e.size());
  std::vector<int32_t> flat(exclude.size() * per, -1);
  for (size_t i = 0; i < exclude.size(); ++i) std::copy(exclude[i].begin(), exclude[i].end(), flat.begin() + i * per);
  const Excluded ex{flat.data(), static_cast<int>(per), exclude.size() == 1 ? 0 : static_cast<int64_t>(per)};
  std::vector<Scored> out(static_cast<size_t>(n) * k);
  search(queries, k, restrict, ex, out.data());
  for (int64_t q = 0; q < n; ++q)
    for (int j = 0; j < k && out[q * k + j].row >= 0; ++j) hits[static_cast<size_t>(q)].push_back(out[q * k + j]);
  return hits;
}

std::vector<Scored> VectorIndex::nearest(const float* query, int k, const std::vector<int32_t>& exclude,
                                         int64_t restrict) const {
  Matrix q(1, dim());
  std::memcpy(q.row(0), query, sizeof(float) * static_cast<size_t>(stride()));
  return nearestBatch(q, k, {exclude}, restrict).front();
}

std::vector<std::pair<std::string, float>> VectorIndex::nearest(const std::string& word, int k,
                                                                int64_t restrict) const {
  std::vector<std::pair<std::string, float>> out;
  const int32_t w = find(word);
  if (w < 0) return out;
  for (const Scored& s : nearest(unitRow(w), k, {w}, restrict)) out.emplace_back(this->word(s.row), s.score);
  return out;
}

}  // namespace wembed
