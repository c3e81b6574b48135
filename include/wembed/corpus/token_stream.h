#pragma once
// A token stream rewritten on the fly (`train --phrases`: pairs of tokens
// joined into one), read as a Tokenizer is read. The vocabulary's counting
// and the word2vec trainer read their inputs through it, so both see the same
// tokens.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wembed/corpus/tokenizer.h"

namespace wembed {

// A stream of tokens, sentence by sentence, pushed in.
class TokenSink {
 public:
  virtual ~TokenSink() = default;
  virtual void word(std::string_view w) = 0;
  virtual void endSentence() = 0;
};

// How a stream of tokens is rewritten. Shared by the threads: each stream
// makes its own state with start().
class TokenRewriting {
 public:
  virtual ~TokenRewriting() = default;
  // A sink that takes the tokens in and passes the rewritten ones on to out
  // (a sentence end always passes on, after the tokens held back).
  // The threads that read a rewritten stream split the inputs at line
  // starts (SplitAt::kLineStart): a range cut inside a line would part a
  // pair the whole text joins.
  virtual std::unique_ptr<TokenSink> start(TokenSink* out) const = 0;
};

// tok's events rewritten by `rewriting` (null: tok's own events, unchanged).
// word() is valid until the next call of next(). Holds no allocation per
// token once its buffers have grown to the longest run held back.
class TokenStream : private TokenSink {
 public:
  TokenStream(Tokenizer& tok, const TokenRewriting* rewriting);
  ~TokenStream() override;
  Tokenizer::Kind next() { return head_ ? nextRewritten() : tok_.next(); }
  std::string_view word() const { return head_ ? std::string_view(words_[pos_ - 1]) : tok_.word(); }

 private:
  void word(std::string_view w) override;
  void endSentence() override;
  Tokenizer::Kind nextRewritten();
  Tokenizer& tok_;
  std::unique_ptr<TokenSink> head_;
  std::vector<std::string> words_;  // the events passed on and not yet read, from pos_ to n_
  std::vector<char> ends_;          // 1: a sentence end
  size_t n_ = 0, pos_ = 0;
  bool done_ = false;
};

}  // namespace wembed
