#pragma once
// Intrinsic evaluation of word vectors: analogy questions (3CosAdd, 3CosMul)
// and word-similarity correlation, with the semantics of gensim's
// KeyedVectors.evaluate_word_analogies / evaluate_word_pairs /
// most_similar / most_similar_cosmul, so the numbers are the same. The
// vectors are a VectorIndex (index.h): gensim's duplicate-word rule, unit rows.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "wembed/vectors/index.h"

namespace wembed {

// Python's str.upper() on UTF-8 text (full Unicode case mapping, so "ß" ->
// "SS"), which is what gensim's case_insensitive compares. Bytes that are not
// valid UTF-8 are kept as they are.
std::string upperCase(const std::string& s);
// Python's str.lower() on UTF-8 (full Unicode case mapping, "İ" -> "i̇",
// a final capital sigma -> "ς"), as the shared scorer lower-cases the words
// of a similarity file. Bytes that are not valid UTF-8 are kept as they are.
std::string lowerCase(const std::string& s);
// Python's str.split() with no argument: fields separated by runs of Unicode
// whitespace (ASCII whitespace, U+001C..U+001F, U+0085, U+00A0, U+2000..., U+3000).
std::vector<std::string> splitWhitespace(const std::string& s);

// Case-insensitive view of the first `restrict` words (gensim's ok_vocab
// with case_insensitive=True): an upper-cased form stands for the most
// frequent (lowest-row) word that has it.
class FoldedVocab {
 public:
  // restrict <= 0 or beyond the vocabulary: every word.
  FoldedVocab(const VectorIndex& e, int64_t restrict);
  int32_t restrict() const { return restrict_; }
  // Row of the word standing for upperCase(word) among the first restrict(); -1 if none.
  int32_t find(const std::string& word) const;
  // Same, for a form that is already upper-cased.
  int32_t findUpper(const std::string& upper) const;
  // For a row < restrict(): the row standing for its upper-cased form (so
  // two rows have equal upper-cased words iff their groups are equal).
  int32_t group(int32_t row) const { return group_[row]; }

 private:
  int32_t restrict_ = 0;
  std::unordered_map<std::string, int32_t> index_;
  std::vector<int32_t> group_;
};

enum class AnalogyMethod { kAdd, kMul };
AnalogyMethod parseAnalogyMethod(const std::string& s);  // "add" | "mul"; throws Error

// "a is to b as c is to ?": the k best rows among the first `restrict` (<= 0:
// all), best first, never a, b or c; ties go to the lower row.
//  kAdd (3CosAdd, gensim most_similar(positive=[b, c], negative=[a])): cosine
//       to the normalised unit(b) + unit(c) - unit(a).
//  kMul (3CosMul, Levy & Goldberg 2014, gensim most_similar_cosmul):
//       s(x,b) * s(x,c) / (s(x,a) + 1e-6) with s = (1 + cos) / 2.
std::vector<Scored> analogy(const VectorIndex& e, int32_t a, int32_t b, int32_t c, int k,
                            AnalogyMethod method = AnalogyMethod::kAdd, int64_t restrict = 0);
// The same for the unit vectors of A, B and C (stride() floats each, as
// VectorIndex::unitVector gives them: a word outside the vocabulary composed
// from its n-grams); rows holds their rows, -1 for a composed word. The same
// answers as above when every word has a row.
std::vector<Scored> analogy(const VectorIndex& e, const float* const abc[3], const int32_t rows[3], int k,
                            AnalogyMethod method = AnalogyMethod::kAdd, int64_t restrict = 0);

// 3CosAdd for n questions at once (abc holds 3n rows: a, b, c of each).
// out[q*k .. q*k+k) receives question q's k best rows as analogy() would
// give them (row -1 in unused slots when fewer rows qualify). One query
// matrix, a blocked product against the restricted rows, a partial top-k per
// question; parallel over questions (OpenMP).
void analogyBatch(const VectorIndex& e, const int32_t* abc, int64_t n, int k, int64_t restrict, Scored* out);

// --- analogy test sets (word2vec questions-words format) -------------------

struct AnalogyQuestion {
  std::string a, b, c, expected;  // upper-cased
  int32_t section = 0;
  int64_t line = 0;
};

struct AnalogySet {
  std::vector<std::string> sections;  // names, in file order
  std::vector<AnalogyQuestion> questions;
};

// ": name" lines start sections; every other non-blank line must hold exactly
// four words. Throws Error (file and line) on a malformed line, a question
// before the first section, or an unreadable file. Plain, .gz or "-".
AnalogySet readAnalogies(const std::string& path);

struct AnalogyCounts {
  int64_t correct = 0;
  int64_t answered = 0;  // questions with all four words among the restricted words
  int64_t skipped = 0;   // questions with an unknown word
  double accuracy() const { return answered ? static_cast<double>(correct) / answered : 0.0; }
  AnalogyCounts& operator+=(const AnalogyCounts& o);
};

struct AnalogySectionResult {
  std::string name;
  AnalogyCounts counts;
  bool syntactic() const { return name.compare(0, 4, "gram") == 0; }  // word2vec's gram1..gram9
};

struct AnalogyReport {
  std::vector<AnalogySectionResult> sections;
  AnalogyCounts semantic, syntactic, total;
  int64_t restrict = 0;
  double seconds = 0;
};

// gensim evaluate_word_analogies(restrict_vocab=restrict, case_insensitive=True):
// the prediction is the first of the 5 best 3CosAdd answers whose upper-cased
// word is not A, B or C (else the last of the 5); a question counts only if
// its four words are among the first `restrict` words. outcomes, if given,
// receives one entry per question of the set, in order: 1 correct, 0
// incorrect, -1 skipped (gensim's per-section 'correct' / 'incorrect' lists).
AnalogyReport evaluateAnalogies(const VectorIndex& e, const AnalogySet& set, int64_t restrict = 30000,
                                std::vector<int8_t>* outcomes = nullptr);

// --- word similarity (word1 TAB word2 TAB score) ---------------------------

struct WordPair {
  std::string w1, w2;  // as in the file (not trimmed, as gensim)
  double score = 0;
  int64_t line = 0;
};

// Lines "w1<TAB>w2<TAB>score"; blank lines and lines starting with '#' are
// skipped. Throws Error (file and line) on a wrong field count or a bad number.
std::vector<WordPair> readWordPairs(const std::string& path);

struct PairsReport {
  int64_t pairs = 0;  // pairs with both words known
  int64_t oov = 0;    // pairs with an unknown word (skipped)
  int64_t restrict = 0;  // words considered (the first N)
  double spearman = 0, pearson = 0;  // NaN when undefined (fewer than 2 pairs, constant input)
  double oovRatio() const { return pairs + oov ? 100.0 * oov / (pairs + oov) : 0.0; }
  // A model with subwords is also scored on every pair, as fastText's
  // evaluation and the shared scorer (evalft.py's spearman_all) do: both words
  // lower-cased (Python's str.lower), a word of the vocabulary (all of it,
  // exact) by its row, any other by its vector composed from n-grams (zero,
  // so cosine 0, if it has none).
  bool subwords = false;     // the figures below were computed
  int64_t all_pairs = 0;     // every pair of the file
  int64_t composed = 0;      // pairs with a word outside the vocabulary (evalft.py's oov_pairs)
  double spearman_all = 0;   // NaN when undefined
};

// gensim evaluate_word_pairs(restrict_vocab=restrict, case_insensitive=True);
// with subwords, also every pair as above.
PairsReport evaluateWordPairs(const VectorIndex& e, const std::vector<WordPair>& pairs, int64_t restrict = 300000);

// Ranks 1..n, ties get the average of their ranks (scipy.stats.rankdata).
std::vector<double> averageRanks(const std::vector<double>& x);
// Pearson correlation; NaN if fewer than 2 values or an input is constant.
double pearson(const std::vector<double>& x, const std::vector<double>& y);
// Spearman: Pearson on average ranks (scipy.stats.spearmanr).
double spearman(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace wembed
