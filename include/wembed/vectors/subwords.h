#pragma once
// Subwords, as fastText (Bojanowski et al. 2017): a word is its own row plus
// the rows of the character n-grams of "<word>" (lengths minn..maxn in UTF-8
// characters), each n-gram hashed with fastText's 32-bit FNV-1a into one of
// `bucket` rows. A word's input vector is the mean of those rows; a word
// never seen gets the mean of its n-gram rows alone. Hashes and the order of
// the n-grams are fastText's, so models and vectors interoperate exactly.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wembed/core/matrix.h"

namespace wembed {

// --minn, --maxn, --bucket. maxn == 0 (or bucket == 0): no subwords, the word model.
struct SubwordArgs {
  int minn = 0;
  int maxn = 0;
  int64_t bucket = 2000000;
  bool enabled() const { return maxn > 0 && bucket > 0; }
  // Throws Error naming the flag: minn in [0, 20] and <= maxn, maxn in [0, 20], bucket in [0, 2^31 - 1];
  // with maxn > 0, minn >= 1 and bucket >= 1.
  void validate() const;
};

// fastText's Dictionary::hash: FNV-1a over the bytes, each byte
// sign-extended first (uint32_t(int8_t(c))), as fastText does.
uint32_t fasttextHash(std::string_view s);

// fastText's end-of-sentence word: it has no n-grams.
inline constexpr std::string_view kEndOfSentence = "</s>";

// Appends to out the bucket of each character n-gram of "<word>" (hash %
// bucket, in [0, bucket)), in fastText's order (by start character, then
// length); n-grams of one character that are '<' or '>' alone are left out,
// as fastText does. A byte 10xxxxxx continues a character. "</s>" has none.
// ngrams, if given, receives the n-grams themselves, in the same order.
void appendSubwords(std::string_view word, const SubwordArgs& args, std::vector<int32_t>& out,
                    std::vector<std::string>* ngrams = nullptr);

// The rows of every vocabulary word in a matrix of V word rows followed by
// `bucket` n-gram rows (fastText's input matrix): word i's own row i, then
// V + the bucket of each of its n-grams. Built once before training: compact
// arrays, nothing computed in the training loop.
class SubwordTable {
 public:
  SubwordTable() = default;
  SubwordTable(const std::vector<std::string>& words, const SubwordArgs& args);
  int32_t words() const { return static_cast<int32_t>(offsets_.size()) - 1; }
  const int32_t* rows(int32_t w) const { return ids_.data() + offsets_[static_cast<size_t>(w)]; }
  int count(int32_t w) const {
    return static_cast<int>(offsets_[static_cast<size_t>(w) + 1] - offsets_[static_cast<size_t>(w)]);
  }
  int maxCount() const { return max_count_; }

 private:
  std::vector<int64_t> offsets_;  // V + 1
  std::vector<int32_t> ids_;
  int max_count_ = 0;
};

// Into out (input.stride() floats, 64-byte aligned): the mean of the rows (fastText's
// getWordVector: summed in float in order, then times 1/n); zero if n == 0.
void meanOfRows(const Matrix& input, const int32_t* rows, int n, float* out);

// What a vector file holds beside the word vectors when its model has
// subwords (a fastText .bin, a native file written with subwords): enough to
// compose a vector for any word.
struct Subwords {
  SubwordArgs args;
  Matrix buckets;  // bucket x D: the n-gram rows
  // The words' own rows (V x D, fastText's input rows 0..V-1, before
  // composing); empty when not known. Needed to write a fastText model.
  Matrix own;
  // The output layer (fastText writes it in its .bin); empty when not known.
  Matrix output;
  // fastText's settings in a .bin header (kept when read, written back).
  struct Settings {
    int window = 5, epochs = 5, min_count = 5, negative = 5, word_ngrams = 1;
    int loss = 2;   // fastText's loss_name: 1 hs, 2 ns, 3 softmax, 4 ova
    int model = 2;  // fastText's model_name: 1 cbow, 2 skipgram, 3 supervised
    int lr_update_rate = 100;
    double sample = 1e-4;
    int64_t tokens = 0;  // the corpus tokens fastText counted
  } settings;

  // Into out (buckets.stride() floats, 64-byte aligned): the vector of a word outside the
  // vocabulary, the mean of its n-gram rows. False (and a zero vector) if the
  // word has no n-gram (shorter than minn with its '<' '>').
  bool compose(std::string_view word, float* out) const;
};

}  // namespace wembed
