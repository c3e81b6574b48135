#pragma once
// `wembed vectors`: the vectors of words and of sentences, as fastText's
// print-word-vectors and print-sentence-vectors print them, for any vector
// file (a word outside the vocabulary: composed from n-grams when the model
// has subwords, else a zero vector).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wembed/core/matrix.h"
#include "wembed/vectors/index.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

// Where a word's vector came from.
enum class WordSource { kVocabulary, kComposed, kNone };

// Word vectors as loaded (not normalised), looked up by name under
// WordIndex's duplicate-word rule, with the model's subwords (own rows and
// output layer released, see composingSubwords) for the other words.
class WordVectors {
 public:
  explicit WordVectors(Vectors v);
  int dim() const { return matrix_.cols(); }
  int stride() const { return matrix_.stride(); }
  bool hasSubwords() const { return subwords_ != nullptr; }
  // fastText's getWordVector into out (stride() floats, 64-byte aligned):
  // the word's row, else the mean of its n-gram rows; zero (kNone) if neither.
  WordSource vector(const std::string& word, float* out) const;

 private:
  WordIndex words_;
  Matrix matrix_;
  std::shared_ptr<const Subwords> subwords_;
};

// What was printed: words looked up, of them composed from n-grams and
// without any vector (printed or counted as zero); the first few of those.
struct PrintCounts {
  int64_t words = 0, composed = 0, unknown = 0;
  std::vector<std::string> unknown_words;  // at most 10
  void add(const std::string& word, WordSource s);
};

// fastText's Vector << (std::setprecision(5), each value followed by a space).
std::string formatVector(const float* v, int d);

// fastText's getSentenceVector into out (stride() floats): the mean of the
// L2-normalised vectors (norm in float) of the whitespace-separated words of
// line; words with a zero vector are skipped; zero if none is left.
void sentenceVector(const WordVectors& v, std::string_view line, float* out, PrintCounts* counts = nullptr);

// "word v1 ... vD " and a newline for each word (print-word-vectors).
void printWordVectors(const WordVectors& v, const std::vector<std::string>& words, std::FILE* out,
                      PrintCounts& counts);
// The same for the whitespace-separated words of a file ("-": standard input).
void printWordVectorsFrom(const WordVectors& v, const std::string& input, std::FILE* out, PrintCounts& counts);
// One "v1 ... vD " line per line of a file (print-sentence-vectors: the line
// itself is not printed). A line longer than 64 MiB is an error naming it.
void printSentenceVectors(const WordVectors& v, const std::string& input, std::FILE* out, PrintCounts& counts);

}  // namespace wembed
