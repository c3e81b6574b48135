#pragma once
// The eval command as one call: test files read and checked first, then the
// vectors loaded into a VectorIndex and scored; the results as tables or JSON.
#include <cstdint>
#include <string>
#include <vector>

#include "wembed/vectors/evaluate.h"
#include "wembed/vectors/format.h"
#include "wembed/vectors/subwords.h"

namespace wembed {

struct EvalArgs {
  std::string vectors;                         // vector file ("-": standard input)
  VectorFormat format = VectorFormat::kAuto;   // of the vector file
  int64_t limit = 0;                           // read only the first N rows (0: all)
  std::vector<std::string> analogy_files;      // questions-words format
  std::vector<std::string> similarity_files;   // word1<TAB>word2<TAB>score
  int64_t restrict = 30000;                    // analogies: the N most frequent words (0: all)
  int64_t pairs_restrict = 300000;             // similarity: the N most frequent words (0: all)
};

struct EvalResults {
  std::string vectors;
  int32_t words = 0;
  int dim = 0;
  int64_t duplicates_dropped = 0;
  SubwordArgs subwords;  // the model's n-grams (subwords.enabled(): it has them)
  std::vector<std::string> analogy_files;
  std::vector<AnalogyReport> analogies;  // one per analogy file
  std::vector<std::string> similarity_files;
  std::vector<PairsReport> similarities;  // one per similarity file
};

// Throws Error (one line) for missing or bad arguments, an unreadable or
// malformed file; the test files are read before the (larger) vector file.
EvalResults runEval(const EvalArgs& args);
// One JSON object on one line (NaN and infinities as null).
std::string evalJson(const EvalResults& r);
// The tables of the eval command.
std::string evalTable(const EvalResults& r);

}  // namespace wembed
