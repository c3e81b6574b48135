#include "keyed_vectors.h"

#include <cstring>
#include <utility>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "wembed/core/error.h"
#include "wembed/core/io.h"

namespace wembed::py {

namespace {

// The rows (and counts, and a subword model's own rows) of the words kept by
// WordIndex's rule, moved up; nothing is copied when nothing was dropped.
void keepRows(Vectors& v, const WordIndex& w) {
  if (w.dropped() == 0) return;
  auto compact = [&](Matrix& m) {
    if (m.rows() != static_cast<int64_t>(v.words.size())) return;
    Matrix kept(w.size(), m.cols());
    for (int32_t i = 0; i < w.size(); ++i)
      std::memcpy(kept.row(i), m.row(w.sourceRow(i)), sizeof(float) * static_cast<size_t>(m.stride()));
    m = std::move(kept);
  };
  compact(v.matrix);
  if (v.subwords) compact(v.subwords->own);
  if (!v.counts.empty()) {
    std::vector<int64_t> counts(static_cast<size_t>(w.size()));
    for (int32_t i = 0; i < w.size(); ++i) counts[static_cast<size_t>(i)] = v.counts[static_cast<size_t>(w.sourceRow(i))];
    v.counts = std::move(counts);
  }
  v.words = w.words();
}

}  // namespace

KeyedVectors::KeyedVectors(Vectors v) : v_(std::move(v)), words_(v_.words) { keepRows(v_, words_); }

KeyedVectors KeyedVectors::load(const std::string& path, VectorFormat format, int64_t limit) {
  Vectors v = loadVectors(path, format, limit);
  if (v.words.empty()) throw Error("bad vector file " + quotedName(path) + ": it holds no vectors (the header says 0 rows)");
  return KeyedVectors(std::move(v));
}

void KeyedVectors::save(const std::string& path, VectorFormat format) const {
  saveVectors(path, v_.words, v_.matrix, format, v_.counts.empty() ? nullptr : &v_.counts, v_.subwords.get());
}

bool KeyedVectors::rawVector(const std::string& w, float* out) const {
  const int32_t r = find(w);
  if (r >= 0) {
    std::memcpy(out, v_.matrix.row(r), sizeof(float) * static_cast<size_t>(v_.matrix.stride()));
    return true;
  }
  return v_.subwords && v_.subwords->compose(w, out);
}

// The whole buffer at once (the padding is never written, so it hashes the
// same every time): one pass at memory speed, about what one query costs.
uint64_t KeyedVectors::contentHash() const {
  const Matrix& m = v_.matrix;
  if (m.rows() == 0) return 0;
  return XXH3_64bits(m.row(0), sizeof(float) * static_cast<size_t>(m.rows()) * static_cast<size_t>(m.stride()));
}

void KeyedVectors::refresh(bool force) {
  const uint64_t h = contentHash();
  if (index_ && !force && h == indexed_hash_) return;
  // VectorIndex normalises the matrix it is given: it gets a copy, and the
  // subwords shared (so composingSubwords keeps their own rows for save()).
  Vectors copy;
  copy.words = v_.words;
  copy.matrix = Matrix(v_.matrix.rows(), v_.matrix.cols());
  if (v_.matrix.rows() > 0)
    std::memcpy(copy.matrix.row(0), v_.matrix.row(0),
                sizeof(float) * static_cast<size_t>(v_.matrix.rows()) * static_cast<size_t>(v_.matrix.stride()));
  copy.subwords = v_.subwords;
  index_ = std::make_unique<VectorIndex>(std::move(copy));
  indexed_hash_ = h;
}

const VectorIndex& KeyedVectors::index() {
  refresh(false);
  return *index_;
}

}  // namespace wembed::py
