#pragma once
// The vector index: the words of a vector file looked up by name under one
// duplicate-word rule, and their rows at unit length for cosine queries; with
// a model's subwords, a unit vector for any word. The neighbour search,
// analogies (3CosAdd, 3CosMul), evaluation and the query commands use
// VectorIndex; plots choose their words with WordIndex.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wembed/core/matrix.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

// Words by name, with the duplicate-word rule of gensim's
// KeyedVectors.load_word2vec_format: a word that occurs again later in the
// file is dropped ("duplicate word ..., ignoring all but first"), its row
// with it, and the rows after it move up ("duplicate words detected,
// shrinking matrix size"). Words compare as exact byte strings.
class WordIndex {
 public:
  WordIndex() = default;
  explicit WordIndex(std::vector<std::string> words);
  int32_t size() const { return static_cast<int32_t>(words_.size()); }
  const std::string& word(int32_t i) const { return words_[static_cast<size_t>(i)]; }
  const std::vector<std::string>& words() const { return words_; }
  int32_t find(const std::string& word) const;  // exact; -1 if unknown
  int64_t dropped() const { return dropped_; }  // later occurrences left out
  // The input row that word i came from.
  int64_t sourceRow(int32_t i) const { return kept_.empty() ? i : kept_[static_cast<size_t>(i)]; }

 private:
  std::vector<std::string> words_;
  std::unordered_map<std::string, int32_t> index_;
  std::vector<int64_t> kept_;  // input row of each word; empty when nothing was dropped
  int64_t dropped_ = 0;
};

struct Scored {
  int32_t row = -1;
  float score = 0.f;
};

// Rows a search never returns: for query q, the `per` rows at rows + q * step
// (step 0: one list for every query); entries of -1 are ignored.
struct Excluded {
  const int32_t* rows = nullptr;
  int per = 0;
  int64_t step = 0;
};

// What composes a vector for a word outside the vocabulary: s itself, with
// its words' own rows and its output layer released when nobody else holds s
// (queries never need them; in a 7 GB cc.en.300.bin they are most of it).
// Null for null.
std::shared_ptr<const Subwords> composingSubwords(std::shared_ptr<Subwords> s);

class VectorIndex {
 public:
  // The words of v under WordIndex's rule, every row divided by its length
  // once (in double, as gensim's vectors / norms). A zero row stays zero and
  // is never an answer (gensim's 0/0 ranks it last). v's subwords are kept
  // (composingSubwords) to give words outside the vocabulary a vector.
  explicit VectorIndex(Vectors v);
  // Loads a vector file for queries: a file that holds no vectors is an
  // error naming it.
  static VectorIndex load(const std::string& path, VectorFormat format = VectorFormat::kAuto, int64_t limit = 0);

  int32_t size() const { return words_.size(); }
  int dim() const { return unit_.cols(); }
  int stride() const { return unit_.stride(); }
  const WordIndex& words() const { return words_; }
  const std::string& word(int32_t i) const { return words_.word(i); }
  int32_t find(const std::string& word) const { return words_.find(word); }
  int64_t duplicatesDropped() const { return words_.dropped(); }
  const float* unitRow(int32_t i) const { return unit_.row(i); }
  bool isZero(int32_t i) const { return zero_[static_cast<size_t>(i)] != 0; }
  float cosine(int32_t i, int32_t j) const;
  // The model has subwords: any word with a character n-gram has a vector.
  bool hasSubwords() const { return subwords_ != nullptr; }
  const Subwords* subwords() const { return subwords_.get(); }
  // Into out (stride() floats, 64-byte aligned): the unit vector of word, its
  // row if it is in the vocabulary, else (with subwords) the mean of its
  // n-gram rows divided by its length (as a row; zero stays zero), and
  // *composed says which. False (out zero) if the word is unknown and has no
  // n-gram or the model has no subwords.
  bool unitVector(const std::string& word, float* out, bool* composed = nullptr) const;
  // The rows a query with this restriction considers: the first `restrict`
  // (<= 0, or beyond the vocabulary: all).
  int32_t restricted(int64_t restrict) const;

  // Into q (stride() floats): the mean of unitRow(r) for r in plus and of
  // -unitRow(r) for r in minus, scaled to unit length (gensim's
  // get_mean_vector with pre_normalize and post_normalize, in float32).
  void meanQuery(const int32_t* plus, int n_plus, const int32_t* minus, int n_minus, float* q) const;
  // The same for unit vectors of stride() floats (unitVector's).
  void meanQuery(const float* const* plus, int n_plus, const float* const* minus, int n_minus, float* q) const;

  // For each row q of `queries` (cols() == dim()): the k rows with the
  // highest dot product (the cosine, for a unit query) among the first
  // `restrict`, never an excluded or a zero row, best first, equal scores in
  // row order, into out[q*k .. q*k+k) (row -1 in slots left over). Tiles of
  // queries against blocks of rows (SIMD dot products, parallel over tiles)
  // with an insertion list of k per query; for k > 64 all scores of a query
  // and a partial sort.
  void search(const Matrix& queries, int k, int64_t restrict, const Excluded& excluded, Scored* out) const;

  // The same with one list of exclusions per query (or one for all, or
  // none), as lists of hits.
  std::vector<std::vector<Scored>> nearestBatch(const Matrix& queries, int k,
                                                const std::vector<std::vector<int32_t>>& exclude,
                                                int64_t restrict = 0) const;
  // One query of stride() floats.
  std::vector<Scored> nearest(const float* query, int k, const std::vector<int32_t>& exclude,
                              int64_t restrict = 0) const;
  // The neighbours of a word (none if it is unknown).
  std::vector<std::pair<std::string, float>> nearest(const std::string& word, int k, int64_t restrict = 0) const;

 private:
  void searchAll(const Matrix& queries, int k, int32_t rows, const Excluded& excluded, Scored* out) const;

  WordIndex words_;
  Matrix unit_;
  std::vector<uint8_t> zero_;
  std::shared_ptr<const Subwords> subwords_;
};

}  // namespace wembed
