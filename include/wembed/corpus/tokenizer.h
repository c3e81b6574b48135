#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wembed/core/io.h"
#include "wembed/core/utf8.h"

namespace wembed {

// Longest token kept, in bytes; longer tokens are cut at a UTF-8 character boundary.
constexpr int kMaxTokenBytes = 100;

inline bool isSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Streaming tokenizer over a sequence of inputs. Tokens are maximal runs of
// non-whitespace bytes (ASCII whitespace only, so UTF-8 bytes stay intact); a
// newline, and the end of each input, ends a sentence. Memory is constant
// whatever the line or file length.
class Tokenizer {
 public:
  enum Kind { kWord, kEndOfSentence, kEnd };

  // Whole inputs: paths, "-" (stdin) or *.gz.
  explicit Tokenizer(std::vector<std::string> inputs, size_t buffer_bytes = 1 << 20);
  // A byte range [begin, end) of one plain file: a token belongs to the range
  // if its first byte is inside it (so adjacent ranges split tokens exactly).
  Tokenizer(const std::string& path, uint64_t begin, uint64_t end, size_t buffer_bytes = 1 << 20);

  // Next event. For kWord, word() is valid until the next call.
  Kind next();
  std::string_view word() const { return std::string_view(tok_, tok_len_); }
  // If set, every byte read is also appended to this file (used to spool stdin/.gz).
  void teeTo(TempFile* f) { tee_ = f; }
  uint64_t tokensTruncated() const { return truncated_; }
  // Range mode: file offset of the first byte not yet consumed. A Tokenizer
  // started there (same end) continues exactly where this one stands after a
  // kWord or kEndOfSentence event.
  uint64_t offset() const { return offset_; }

 private:
  bool fill();            // refill buf_; false at end of all inputs
  bool openNext();
  std::vector<std::string> inputs_;
  size_t next_input_ = 0;
  std::unique_ptr<ByteReader> reader_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  uint64_t offset_ = 0;    // file offset of buf_[pos_] (range mode)
  uint64_t range_end_ = UINT64_MAX;
  bool range_mode_ = false;
  bool at_input_end_ = true;
  bool pending_eos_ = false;
  char tok_[kMaxTokenBytes + 8];
  int tok_len_ = 0;
  uint64_t truncated_ = 0;
  TempFile* tee_ = nullptr;
};

}  // namespace wembed
