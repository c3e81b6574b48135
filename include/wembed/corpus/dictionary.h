#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wembed/core/report.h"

namespace wembed {

// Vocabulary-building options (shared by `vocab` and `train`).
class TokenRewriting;

struct VocabArgs {
  std::vector<std::string> input;  // files, "-" for stdin, *.gz
  int64_t min_count = 5;
  int64_t max_vocab = 0;            // 0 = unlimited; else keep the most frequent
  int64_t prune_at = 20000000;      // prune the counting table above this many entries
  // Counting threads (0: all hardware threads). They apply when every input is
  // a plain file and no spool is asked for (see buildVocabulary); each thread
  // gets at least min_bytes_per_thread bytes, so small inputs use fewer.
  int threads = 1;
  int64_t min_bytes_per_thread = 4 << 20;
  // The tokens counted are those of the inputs rewritten by this (train
  // --phrases: pairs joined); null: the inputs' own. Not owned.
  const TokenRewriting* rewriting = nullptr;
  void validate() const;            // for counting: an input, and every setting in its range
  void validateLimits() const;      // min_count and max_vocab alone (they apply to a vocabulary read from a file too)
};

class AtomicFile;

// Word counts in an open-addressing hash table keyed by xxHash (XXH3).
// Counting: add() each token, then finalize() filters by min-count, keeps the
// max_vocab most frequent, and sorts by count (descending; ties keep first-seen
// order). Lookups by word are O(1).
class Dictionary {
 public:
  struct Entry {
    std::string word;
    int64_t count;
  };

  Dictionary();
  // Counting. When the table holds more than prune_at entries, the rarest are
  // dropped (word2vec's ReduceVocab) and the event is reported via pruneEvents().
  void add(std::string_view word, int64_t count = 1);
  void setPruneAt(int64_t n) { prune_at_ = n; }
  // Adds other's counts and tokens seen; its words new here come after this
  // table's, in other's order. So counting consecutive pieces of a text into
  // one Dictionary each and merging them in order gives what one Dictionary
  // counting the whole text holds, first-seen order included, unless one
  // pruned. Merging prunes as add() does; prune events add up and the
  // threshold is the higher of the two.
  void merge(const Dictionary& other);
  // The table being counted as bytes (words, counts, tokens seen, prunings)
  // and back: what a rank sends the others to merge (distributed counting).
  std::string serialize() const;
  static Dictionary deserialize(std::string_view bytes);
  void finalize(int64_t min_count, int64_t max_vocab);
  // Ends adding without filtering or sorting: every word keeps the id it was
  // added with (a vocabulary read back, or grown by continued training).
  void finalizeInOrder();

  int32_t find(std::string_view word) const;  // -1 if absent
  int32_t size() const { return static_cast<int32_t>(entries_.size()); }
  const Entry& operator[](int32_t i) const { return entries_[i]; }
  const std::vector<Entry>& entries() const { return entries_; }
  int64_t totalCount() const;      // sum of counts of the kept words
  int64_t tokensSeen() const { return tokens_seen_; }  // all tokens counted, kept or not
  int pruneEvents() const { return prune_events_; }
  int64_t pruneThreshold() const { return min_reduce_ - 1; }  // counts <= this may be lost

  // word2vec -save-vocab format: "word count" per line, most frequent first.
  void save(const std::string& path) const;
  void write(AtomicFile& f) const;  // the same into a file the caller commits
  static Dictionary load(const std::string& path);

 private:
  void insert(std::string_view word, int64_t count);  // add() without the tokens seen
  void rehash(size_t slots);
  void prune();
  size_t slotOf(std::string_view word, uint64_t h) const;
  std::vector<Entry> entries_;
  std::vector<int32_t> slots_;  // -1 empty, else index into entries_
  size_t mask_ = 0;
  int64_t prune_at_ = 20000000;
  int64_t min_reduce_ = 1;
  int prune_events_ = 0;
  int64_t tokens_seen_ = 0;
};

// Builds a vocabulary from the inputs in one streaming pass. If spool is
// non-null, the raw bytes of the inputs are copied into it (for inputs that
// cannot be re-read: stdin, gzip). log receives the progress and notes
// ("vocab: ..."): pruning, truncated tokens, the counts at the end.
// With args.threads > 1, plain-file inputs and no spool, the concatenated
// inputs are cut into one byte range per thread (partitionInputs; a token
// belongs to the range its first byte is in), each counted into its own
// table, and the tables merged in range order: words, counts, order and
// tokens seen are those of one thread. Pruning differs: each thread prunes
// its own table at prune_at (and the merge prunes the merged one), so with
// pruning which rare words survive may differ from one thread's, the note
// counts every table's prunings and gives the highest threshold. Pruning
// happens at all exactly when it would with one thread (more than prune_at
// distinct words). Progress is shown from the calling thread.
// In a distributed run (distributed::active(); plain files only) the inputs
// are cut into ranks x threads ranges, each rank counts its own and the
// tables are merged in rank order on every rank, so that all hold the same
// vocabulary, the one a single process counting ranks x threads ranges gets.
// A failure on any rank stops every rank (distributed::gatherTogether).
class TempFile;
Dictionary buildVocabulary(const VocabArgs& args, TempFile* spool, const Reporter& log = {});

// The inputs named in a message: "'a.txt', standard input".
std::string describeInputs(const std::vector<std::string>& inputs);

}  // namespace wembed
