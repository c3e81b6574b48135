#pragma once
// Private to the word2vec trainer: one thread's first epoch as a stream of
// word ids, so the later epochs read ids instead of tokenizing the corpus and
// looking every word up again (a fifth of a CBOW run's time otherwise). The
// stream lives in a temporary file (4 bytes a word: memory does not grow with
// the corpus) and replays the epoch exactly: in-vocabulary word ids in
// order, with the sentence ends between them.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wembed/core/io.h"

namespace wembed {

class IdCache {
 public:
  static constexpr int32_t kSentenceEnd = -1;
  static constexpr int32_t kEnd = -2;  // get(): the epoch is over

  // Creates the temporary file in dir; throws Error if it cannot.
  explicit IdCache(const std::string& dir);

  // Recording (the first epoch). A write that fails (a full disk) drops the
  // cache: ready() stays false and the caller goes on tokenizing.
  void put(int32_t v) {
    if (failed_) return;
    buf_[n_++] = v;
    if (n_ == buf_.size()) flush();
  }
  void finish();  // flushes; ready() from now on if nothing failed
  bool ready() const { return ready_; }

  // Replaying: rewind(), then get() until it returns kEnd. A read that fails
  // or comes up short throws Error (the file was just written by this run).
  void rewind();
  int32_t get() {
    if (pos_ == n_ && !refill()) return kEnd;
    return buf_[pos_++];
  }

 private:
  void flush();
  bool refill();
  TempFile file_;
  std::vector<int32_t> buf_;
  size_t n_ = 0, pos_ = 0;
  uint64_t written_ = 0, read_ = 0;  // bytes
  bool failed_ = false, ready_ = false;
};

// Whether caching an epoch of `words` in-vocabulary words (plus their
// sentence ends) fits in dir with room to spare (a tenth of the free space
// stays free); false if dir cannot be examined.
bool idCacheFits(const std::string& dir, int64_t words);

}  // namespace wembed
