#include "wembed/corpus/tokenizer.h"

#include <cstring>

#include "wembed/core/error.h"

namespace wembed {

Tokenizer::Tokenizer(std::vector<std::string> inputs, size_t buffer_bytes)
    : inputs_(std::move(inputs)), buf_(buffer_bytes) {}

Tokenizer::Tokenizer(const std::string& path, uint64_t begin, uint64_t end, size_t buffer_bytes)
    : inputs_{path}, buf_(buffer_bytes), range_end_(end), range_mode_(true) {
  next_input_ = 1;
  reader_ = std::make_unique<ByteReader>(path);
  at_input_end_ = false;
  offset_ = begin;
  if (begin > 0) {
    // If the range starts inside a token, that token belongs to the previous range.
    reader_->seek(begin - 1);
    offset_ = begin - 1;
    if (!fill()) return;
    bool prev_space = isSpace(static_cast<unsigned char>(buf_[0]));
    ++pos_;
    ++offset_;
    if (!prev_space) {
      for (;;) {
        while (pos_ < len_ && !isSpace(static_cast<unsigned char>(buf_[pos_]))) ++pos_, ++offset_;
        if (pos_ < len_ || !fill()) break;
      }
    }
  } else {
    reader_->seek(0);
  }
}

bool Tokenizer::fill() {
  if (at_input_end_ || !reader_) return false;
  pos_ = 0;
  len_ = reader_->read(buf_.data(), buf_.size());
  if (len_ == 0) {
    at_input_end_ = true;
    return false;
  }
  if (tee_) tee_->write(buf_.data(), len_);
  return true;
}

bool Tokenizer::openNext() {
  reader_.reset();
  if (next_input_ >= inputs_.size()) return false;
  reader_ = std::make_unique<ByteReader>(inputs_[next_input_++]);
  at_input_end_ = false;
  pos_ = len_ = 0;
  if (tee_) tee_->write("\n", 1);  // inputs never run together in the spool
  return true;
}

Tokenizer::Kind Tokenizer::next() {
  tok_len_ = 0;
  for (;;) {
    if (pos_ >= len_ && !fill()) {
      if (pending_eos_) {
        pending_eos_ = false;
        return kEndOfSentence;
      }
      if (range_mode_ || !openNext()) return kEnd;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(buf_[pos_]);
    if (isSpace(c)) {
      ++pos_;
      ++offset_;
      if (c == '\n' && pending_eos_) {
        pending_eos_ = false;
        return kEndOfSentence;
      }
      continue;
    }
    if (range_mode_ && offset_ >= range_end_) {
      at_input_end_ = true;  // the next token belongs to the following range
      pos_ = len_ = 0;
      continue;
    }
    constexpr int kRoom = kMaxTokenBytes + 4;
    for (;;) {
      size_t start = pos_;
      const char* b = buf_.data();
      while (pos_ < len_ && !isSpace(static_cast<unsigned char>(b[pos_]))) ++pos_;
      size_t n = pos_ - start;
      offset_ += n;
      size_t room = static_cast<size_t>(kRoom - tok_len_);
      size_t take = n < room ? n : room;
      std::memcpy(tok_ + tok_len_, b + start, take);
      tok_len_ += static_cast<int>(take);
      if (pos_ < len_ || !fill()) break;
    }
    if (tok_len_ > kMaxTokenBytes) {
      tok_len_ = static_cast<int>(utf8SafeLength(tok_, tok_len_, kMaxTokenBytes));
      ++truncated_;
    }
    pending_eos_ = true;
    return kWord;
  }
}

}  // namespace wembed
