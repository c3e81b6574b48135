#pragma once
// The queries of the neighbors and analogy commands, for any front end:
// words looked up in a VectorIndex, answered in one batch, printed as rows,
// and the interactive prompt.
#include <cstdio>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "wembed/vectors/evaluate.h"
#include "wembed/vectors/index.h"

namespace wembed {

enum class QueryKind { kNeighbors, kAnalogy };

struct QueryArgs {
  QueryKind kind = QueryKind::kNeighbors;
  int k = 10;                                  // answers per query, at least 1
  int64_t restrict = 0;                        // answers only among the first N words (0: all)
  AnalogyMethod method = AnalogyMethod::kAdd;  // analogies: 3CosAdd or 3CosMul
};

struct QueryAnswer {
  // The line above the answers: "north east", "a : b :: c : ?"; a word composed
  // from n-grams is marked: "topicz (composed from n-grams)", "a : b :: c : ?
  // (composed from n-grams: b)".
  std::string query;
  bool answered = false;               // the query held words, all known (or composed)
  std::vector<Scored> hits;            // best first
  std::string error;                   // why there is no answer ("'x' is not in the vocabulary"); "" if none
  std::vector<std::string> composed;   // the query's words outside the vocabulary, composed from n-grams
};

// Throws Error for k or restrict out of range ([1, 1e6], [0, 1e9]), or (analogy) a command line
// that does not hold exactly three words (words empty: the prompt will ask).
void checkQueryArgs(const QueryArgs& args, const std::vector<std::string>& words);

class QueryRunner {
 public:
  QueryRunner(const VectorIndex& index, const QueryArgs& args);

  // Neighbours: each string is a query, one word or several separated by
  // blanks (their unit vectors summed and the sum normalised, as word2vec's
  // distance tool does); the query's words are never an answer; all queries
  // in one batch.
  // Analogy: the strings are A, B and C of one question (A is to B as C is to ?);
  // an unknown word's message names its most frequent case variant, if any.
  // With a model's subwords a word outside the vocabulary is composed from its
  // n-grams (VectorIndex::unitVector), as fastText's nn and analogies do.
  std::vector<QueryAnswer> answer(const std::vector<std::string>& words);
  // The answer as the commands print it: its query line, then "  word  score" rows.
  std::string format(const QueryAnswer& a) const;
  // The command line: prints every answer to out, then throws Error naming
  // the unknown words, if any.
  void run(const std::vector<std::string>& words, std::FILE* out);
  // The interactive prompt: asks on err, reads one query per line from in
  // until EXIT or the end of input, answers to out, problems to err.
  void prompt(std::istream& in, std::FILE* out, std::FILE* err);
  // run(words, out) if there are words, else prompt(in, out, err).
  void serve(const std::vector<std::string>& words, std::istream& in, std::FILE* out, std::FILE* err);

 private:
  std::vector<QueryAnswer> neighbors(const std::vector<std::string>& queries);
  QueryAnswer analogy(const std::vector<std::string>& words);
  std::string unknownWord(const std::string& w);
  // Into out (stride() floats): w's unit vector, row its row (-1 if composed);
  // false, with the reason added to a.error, if it has none.
  bool lookUp(const std::string& w, float* out, int32_t& row, QueryAnswer& a, bool hint);

  const VectorIndex& index_;
  QueryArgs args_;
  std::optional<FoldedVocab> folded_;  // for the hints, built on first use
};

}  // namespace wembed
