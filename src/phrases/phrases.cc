#include "wembed/phrases/phrases.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "phrases/count_table.h"
#include "wembed/core/error.h"

namespace wembed {

using phrases_detail::CountTable;

PhraseScoring parsePhraseScoring(const std::string& name) {
  if (name == "default") return PhraseScoring::kDefault;
  if (name == "npmi") return PhraseScoring::kNpmi;
  throw Error("--scoring must be 'default' or 'npmi', not " + quote(name));
}

const char* phraseScoringName(PhraseScoring s) { return s == PhraseScoring::kNpmi ? "npmi" : "default"; }

void PhraseSettings::validate() const {
  if (min_count < 1) throw Error("--min-count must be at least 1 (gensim's min_count), not " + std::to_string(min_count));
  if (std::isnan(threshold)) throw Error("--threshold must be a number");
  if (scoring == PhraseScoring::kDefault && threshold <= 0)
    throw Error("--threshold must be positive with --scoring default (gensim's rule)");
  if (scoring == PhraseScoring::kNpmi && (threshold < -1 || threshold > 1))
    throw Error("--threshold must be between -1 and 1 with --scoring npmi (give one: the default 10 is for "
                "--scoring default)");
  if (delimiter.empty()) throw Error("--delimiter must not be empty");
  for (const char c : delimiter)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
      throw Error("--delimiter must hold no whitespace (the output is whitespace-separated tokens)");
  if (max_vocab < 1) throw Error("--max-vocab must be at least 1, not " + std::to_string(max_vocab));
}

double phraseScore(PhraseScoring scoring, int64_t count_a, int64_t count_b, int64_t count_ab, int64_t n_entries,
                   int64_t min_count, int64_t corpus_words) {
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  if (scoring == PhraseScoring::kDefault) {
    // (bigram_count - min_count) / float(worda_count * wordb_count) * len_vocab
    const double denom = static_cast<double>(count_a) * static_cast<double>(count_b);
    if (denom == 0) return kNegInf;
    return static_cast<double>(count_ab - min_count) / denom * static_cast<double>(n_entries);
  }
  if (count_ab < min_count) return kNegInf;
  const double n = static_cast<double>(corpus_words);
  const double pa = static_cast<double>(count_a) / n, pb = static_cast<double>(count_b) / n;
  const double pab = static_cast<double>(count_ab) / n;
  const double ratio = pab / (pa * pb);
  if (!(pab > 0) || !(ratio > 0) || pab == 1.0) return kNegInf;  // gensim: ValueError / division by zero
  return std::log(ratio) / -std::log(pab);
}

namespace {

std::unique_ptr<CountTable> wordSet(const std::vector<std::string>& words) {
  auto t = std::make_unique<CountTable>();
  for (const auto& w : words)
    if (!t->contains(w)) t->add(w);
  return t;
}

bool isConnector(const CountTable& set, std::string_view w) { return set.size() > 0 && set.contains(w); }

void pushWord(std::vector<std::string>& v, size_t& n, std::string_view w) {
  if (n == v.size())
    v.emplace_back(w);
  else
    v[n].assign(w.data(), w.size());
  ++n;
}

// start, the words between and end, joined with the delimiter.
void joinInto(std::string& out, const std::string& start, const std::vector<std::string>& between, size_t n,
              std::string_view end, const std::string& delimiter) {
  out.assign(start);
  for (size_t i = 0; i < n; ++i) {
    out += delimiter;
    out += between[i];
  }
  out += delimiter;
  out.append(end.data(), end.size());
}

}  // namespace

PhraseCounter::PhraseCounter(const PhraseSettings& settings)
    : settings_(settings), table_(std::make_unique<CountTable>()), connectors_(wordSet(settings.connector_words)) {}
PhraseCounter::~PhraseCounter() = default;
PhraseCounter::PhraseCounter(PhraseCounter&&) noexcept = default;

void PhraseCounter::word(std::string_view w) {
  ++corpus_words_;
  if (isConnector(*connectors_, w)) {
    if (has_start_) pushWord(between_, n_between_, w);
    return;
  }
  table_->add(w);
  if (has_start_) {
    joinInto(key_, start_, between_, n_between_, w, settings_.delimiter);
    table_->add(key_, 1, start_.size(), w.size());
  }
  start_.assign(w.data(), w.size());
  has_start_ = true;
  n_between_ = 0;
  // gensim prunes after each sentence; a single line far past the bound is pruned inside it too.
  if (table_->size() / 2 > settings_.max_vocab) pruneIfFull();
}

void PhraseCounter::endSentence() {
  has_start_ = false;
  n_between_ = 0;
  pruneIfFull();
}

void PhraseCounter::pruneIfFull() {
  if (table_->size() <= settings_.max_vocab) return;
  table_->prune(min_reduce_);
  ++min_reduce_;
}

void PhraseCounter::merge(const PhraseCounter& other) {
  other.table_->forEach(
      [&](std::string_view key, int64_t n, size_t first, size_t last) { table_->add(key, n, first, last); });
  corpus_words_ += other.corpus_words_;
  min_reduce_ = std::max(min_reduce_, other.min_reduce_);
  pruneIfFull();
}

int64_t PhraseCounter::count(std::string_view key) const { return table_->get(key); }
int64_t PhraseCounter::entries() const { return table_->size(); }

PhraseTable PhraseCounter::exportPhrases() const {
  PhraseTable t;
  const int64_t n = table_->size();
  table_->forEach([&](std::string_view key, int64_t count_ab, size_t first, size_t last) {
    if (first == 0) return;  // a word
    const int64_t count_a = table_->get(key.substr(0, first)), count_b = table_->get(key.substr(key.size() - last));
    if (count_a <= 0 || count_b <= 0) return;
    const double s =
        phraseScore(settings_.scoring, count_a, count_b, count_ab, n, settings_.min_count, corpus_words_);
    if (s > settings_.threshold) t.phrases.emplace_back(std::string(key), s);
  });
  std::sort(t.phrases.begin(), t.phrases.end(), [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  });
  return t;
}

PhraseApplier::PhraseApplier(const PhraseTable& table, const std::vector<std::string>& connector_words,
                             const std::string& delimiter, double threshold, TokenSink* next)
    : connectors_(wordSet(connector_words)), delimiter_(delimiter), threshold_(threshold), next_(next) {
  for (const auto& [phrase, score] : table.phrases)
    if (score > threshold_) scores_.emplace(phrase, score);
}
PhraseApplier::~PhraseApplier() = default;

void PhraseApplier::word(std::string_view w) {
  if (isConnector(*connectors_, w)) {
    if (has_start_)
      pushWord(between_, n_between_, w);
    else
      next_->word(w);
    return;
  }
  if (has_start_) {
    joinInto(candidate_, start_, between_, n_between_, w, delimiter_);
    if (scores_.count(candidate_)) {
      next_->word(candidate_);
      ++joined_;
      has_start_ = false;
      n_between_ = 0;
      return;
    }
    flush();
  }
  start_.assign(w.data(), w.size());
  has_start_ = true;
}

// Passes on the pending word and the connector words after it.
void PhraseApplier::flush() {
  if (has_start_) next_->word(start_);
  for (size_t i = 0; i < n_between_; ++i) next_->word(between_[i]);
  has_start_ = false;
  n_between_ = 0;
}

void PhraseApplier::endSentence() {
  flush();
  next_->endSentence();
}

}  // namespace wembed
