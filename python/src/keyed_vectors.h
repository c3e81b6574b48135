#pragma once
// The state behind wembed.KeyedVectors: the vectors as loaded (the matrix
// NumPy shares, writable from Python) and the library's VectorIndex over
// them for the queries. The index holds unit copies of the rows, so a write
// through the NumPy view would leave it stale: it is rebuilt whenever the
// matrix's content hash differs from the one it was built from.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wembed/vectors/index.h"
#include "wembed/vectors/vectors.h"

namespace wembed::py {

class KeyedVectors {
 public:
  // The rows of v under gensim's duplicate-word rule (WordIndex): a word
  // repeated later is dropped with its row, as load_word2vec_format does.
  explicit KeyedVectors(Vectors v);
  // loadVectors, then the rule above; a file with no vectors is an error.
  static KeyedVectors load(const std::string& path, VectorFormat format, int64_t limit);
  // saveVectors with the counts and subwords the vectors came with.
  void save(const std::string& path, VectorFormat format) const;

  int32_t size() const { return words_.size(); }
  int dim() const { return v_.matrix.cols(); }
  const WordIndex& words() const { return words_; }
  int32_t find(const std::string& w) const { return words_.find(w); }
  Matrix& matrix() { return v_.matrix; }
  const Matrix& matrix() const { return v_.matrix; }
  const std::vector<int64_t>& counts() const { return v_.counts; }
  bool hasSubwords() const { return v_.subwords != nullptr; }
  Subwords& subwords() { return *v_.subwords; }  // hasSubwords() only

  // Into out (stride() floats, 64-byte aligned): the raw vector of w, its row
  // or (with subwords) composed from its n-grams; false if it has none.
  bool rawVector(const std::string& w, float* out) const;
  // The index for queries, rebuilt first if the matrix changed since.
  const VectorIndex& index();
  // Rebuilds the index now (force) or only if the matrix changed.
  void refresh(bool force);

 private:
  uint64_t contentHash() const;

  Vectors v_;  // words and counts as kept by the duplicate rule
  WordIndex words_;
  std::unique_ptr<VectorIndex> index_;
  uint64_t indexed_hash_ = 0;
};

}  // namespace wembed::py
