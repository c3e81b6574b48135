#pragma once
// Phrase detection (word2phrase, gensim 4's Phrases/FrozenPhrases): count the
// words and the pairs of words of a corpus, score every pair, and join the
// pairs that score above a threshold into one token ("new york" -> new_york).
//
// The counting, scoring and greedy left-to-right joining follow gensim 4
// exactly (gensim/models/phrases.py): one table of counts holds the words and
// the pairs (a pair's key is its words joined with the delimiter, with the
// connector words between them: bank_of_america), a pair is scored with the
// number of entries of that table as N, and a table fuller than max_vocab
// after a sentence is pruned as gensim prunes it (entries counted fewer than
// 1, then 2, 3, ... times are dropped).
//
// A pair is scored with the counts of its own first and last words, as
// gensim's Phrases scores a pair it meets when applied (phrases[sentence]).
// gensim's export_phrases (freeze) splits a joined key at the delimiter
// instead, which differs only for words that hold the delimiter themselves:
// it drops second-pass phrases such as new_york_times (its 'new' and 'times'
// are not counted alone) and scores a corpus word such as snake_case as a pair.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "wembed/core/report.h"
#include "wembed/corpus/token_stream.h"

namespace wembed {

namespace phrases_detail {
class CountTable;
}

enum class PhraseScoring {
  kDefault,  // gensim's original_scorer: (count(ab) - min_count) * N / (count(a) * count(b))
  kNpmi,     // normalised pointwise mutual information, in [-1, 1]
};

// "default" or "npmi"; throws Error naming --scoring otherwise.
PhraseScoring parsePhraseScoring(const std::string& name);
const char* phraseScoringName(PhraseScoring s);

struct PhraseSettings {
  int64_t min_count = 5;
  double threshold = 10.0;  // a pair is joined if its score is strictly greater
  PhraseScoring scoring = PhraseScoring::kDefault;
  std::string delimiter = "_";
  int64_t max_vocab = 40000000;  // entries (words + pairs) held while counting
  std::vector<std::string> connector_words;  // gensim's connector_words (--common-words)
  // Throws Error naming the flag of the first bad setting.
  void validate() const;
};

// The score of a pair as gensim computes it (the same double operations);
// -infinity where gensim gives -inf (a zero count; npmi below min_count).
// n_entries: entries of the count table; corpus_words: tokens counted.
double phraseScore(PhraseScoring scoring, int64_t count_a, int64_t count_b, int64_t count_ab, int64_t n_entries,
                   int64_t min_count, int64_t corpus_words);

// One pass's phrases: the joined phrase and its score, highest score first.
struct PhraseTable {
  std::vector<std::pair<std::string, double>> phrases;
};

// A saved phrase model: what applying the phrases needs.
struct PhraseModel {
  std::string delimiter = "_";
  std::vector<std::string> connector_words;
  std::vector<PhraseTable> passes;  // applied in order, each on the output of the one before
};

// The phrase file (--save-phrases, --phrases): "phrase<TAB>score" per line,
// highest score first; lines starting "# " are the header ("# delimiter _",
// "# connector-words of the", ...) and "# pass N" starts the table of pass N
// (phrase lines before any "# pass" line are pass 1).
void writePhraseModel(const PhraseModel& model, const PhraseSettings& settings, std::FILE* out);
// Throws Error naming the file and line of anything else.
PhraseModel readPhraseModel(const std::string& path);
// Whitespace-separated words of a file (--common-words); throws Error naming it.
std::vector<std::string> readWordList(const std::string& path, const std::string& flag);


// gensim's Phrases._learn_vocab: counts the words (connector words excepted)
// and the pairs of consecutive non-connector words with the connector words
// between them, sentence by sentence, pruning as gensim does.
class PhraseCounter : public TokenSink {
 public:
  explicit PhraseCounter(const PhraseSettings& settings);
  ~PhraseCounter() override;
  PhraseCounter(PhraseCounter&&) noexcept;
  void word(std::string_view w) override;
  void endSentence() override;
  // Adds other's counts (counted on another part of the corpus), then prunes
  // as endSentence does.
  void merge(const PhraseCounter& other);
  int64_t count(std::string_view key) const;  // of a word or a joined pair
  int64_t entries() const;                     // words + pairs held (gensim's len(vocab))
  int64_t corpusWords() const { return corpus_words_; }
  int64_t prunes() const { return min_reduce_ - 1; }
  // gensim's export_phrases: every pair entry scoring above the threshold.
  PhraseTable exportPhrases() const;

 private:
  void pruneIfFull();
  PhraseSettings settings_;
  std::unique_ptr<phrases_detail::CountTable> table_, connectors_;
  std::string start_, key_;
  std::vector<std::string> between_;
  size_t n_between_ = 0;
  bool has_start_ = false;
  int64_t corpus_words_ = 0, min_reduce_ = 1;
};

// gensim's analyze_sentence with FrozenPhrases' scores: left to right, a
// word and the next non-connector word (with the connector words between
// them) are joined if their joined form is in the table with a score above
// threshold; the joined token goes on, and the word after it starts anew.
class PhraseApplier : public TokenSink {
 public:
  PhraseApplier(const PhraseTable& table, const std::vector<std::string>& connector_words,
                const std::string& delimiter, double threshold, TokenSink* next);
  ~PhraseApplier() override;
  void word(std::string_view w) override;
  void endSentence() override;
  int64_t joined() const { return joined_; }

 private:
  void flush();
  std::unordered_map<std::string, double> scores_;
  std::unique_ptr<phrases_detail::CountTable> connectors_;
  std::string delimiter_, start_, candidate_;
  std::vector<std::string> between_;
  size_t n_between_ = 0;
  bool has_start_ = false;
  double threshold_;
  TokenSink* next_;
  int64_t joined_ = 0;
};

// A saved phrase model applied to token streams (`train --phrases`) as
// `wembed phrases --phrases FILE` applies it: every pass in order, with the
// file's delimiter and connector words; each stream gets its own appliers.
class PhraseRewriting : public TokenRewriting {
 public:
  explicit PhraseRewriting(PhraseModel model) : model_(std::move(model)) {}
  std::unique_ptr<TokenSink> start(TokenSink* out) const override;
  const PhraseModel& model() const { return model_; }

 private:
  PhraseModel model_;
};

// `wembed phrases`.
struct PhrasesArgs {
  std::vector<std::string> input;  // files, "-" for stdin, .gz/.xz read directly
  std::string output;
  PhraseSettings settings;
  int passes = 1;
  std::string common_words;  // file of connector words
  std::string save_phrases;  // write the phrase model here too
  std::string phrases;       // apply this phrase model instead of counting
  bool threshold_given = false;  // with phrases: only the table's phrases scoring above settings.threshold
  std::string tmp_dir;       // spool of stdin (read more than once)
  int threads = 1;           // counting threads on plain files (0: all cores)
};

struct PhrasesSummary {
  std::vector<int64_t> phrases;  // per pass
  int64_t sentences = 0, tokens_out = 0;
};

// Counts (or reads) the phrases and writes the phrased text to args.output
// (and the model to args.save_phrases), both renamed into place together
// at the end; nothing is left on failure.
PhrasesSummary runPhrases(const PhrasesArgs& args, const Reporter& log = {});

}  // namespace wembed
