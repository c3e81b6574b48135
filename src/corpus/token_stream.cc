#include "wembed/corpus/token_stream.h"

namespace wembed {

TokenStream::TokenStream(Tokenizer& tok, const TokenRewriting* rewriting) : tok_(tok) {
  if (rewriting) head_ = rewriting->start(this);
}

TokenStream::~TokenStream() = default;

void TokenStream::word(std::string_view w) {
  if (n_ == words_.size()) {
    words_.emplace_back();
    ends_.push_back(0);
  }
  words_[n_].assign(w.data(), w.size());
  ends_[n_++] = 0;
}

void TokenStream::endSentence() {
  if (n_ == words_.size()) {
    words_.emplace_back();
    ends_.push_back(0);
  }
  ends_[n_++] = 1;
}

Tokenizer::Kind TokenStream::nextRewritten() {
  while (pos_ == n_) {
    pos_ = n_ = 0;
    if (done_) return Tokenizer::kEnd;
    switch (tok_.next()) {
      case Tokenizer::kWord:
        head_->word(tok_.word());
        break;
      case Tokenizer::kEndOfSentence:
        head_->endSentence();
        break;
      case Tokenizer::kEnd:
        head_->endSentence();  // the tokens held back; the end of an input already ended its sentence
        done_ = true;
        break;
    }
  }
  return ends_[pos_++] ? Tokenizer::kEndOfSentence : Tokenizer::kWord;
}

}  // namespace wembed
