// TokenStream: a Tokenizer's events, rewritten on the fly (train --phrases).
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "test_util.h"
#include "wembed/corpus/token_stream.h"

using namespace wembed;
using testutil::TempDir;

namespace {

// Joins "x" and a following "y" into "x+y"; holds "x" back until it knows.
class JoinXY : public TokenRewriting {
  struct Sink : TokenSink {
    TokenSink* out;
    bool held = false;
    explicit Sink(TokenSink* o) : out(o) {}
    void word(std::string_view w) override {
      if (held && w == "y") {
        out->word("x+y");
        held = false;
        return;
      }
      if (held) out->word("x");
      held = w == "x";
      if (!held) out->word(w);
    }
    void endSentence() override {
      if (held) out->word("x");
      held = false;
      out->endSentence();
    }
  };

 public:
  std::unique_ptr<TokenSink> start(TokenSink* out) const override { return std::make_unique<Sink>(out); }
};

// The stream's events: words, "|" for a sentence end.
std::vector<std::string> events(Tokenizer& tok, const TokenRewriting* r) {
  TokenStream s(tok, r);
  std::vector<std::string> e;
  for (Tokenizer::Kind k; (k = s.next()) != Tokenizer::kEnd;) e.push_back(k == Tokenizer::kWord ? std::string(s.word()) : "|");
  return e;
}

}  // namespace

TEST_CASE("token stream: without a rewriting it gives the tokenizer's own events") {
  TempDir d;
  testutil::writeFile(d.file("t.txt"), "a x y\n\nx b");
  Tokenizer t1({d.file("t.txt")}), t2({d.file("t.txt")});
  std::vector<std::string> plain;
  for (Tokenizer::Kind k; (k = t2.next()) != Tokenizer::kEnd;) plain.push_back(k == Tokenizer::kWord ? std::string(t2.word()) : "|");
  CHECK(events(t1, nullptr) == plain);
}

TEST_CASE("token stream: a rewriting's tokens come out in order, held-back ones at a sentence's and the input's end") {
  TempDir d;
  testutil::writeFile(d.file("t.txt"), "a x y x\nx\nx y y x y\nb x");  // no line end at the end
  Tokenizer t({d.file("t.txt")});
  const JoinXY join;
  const std::vector<std::string> want = {"a", "x+y", "x", "|", "x", "|", "x+y", "y", "x+y", "|", "b", "x", "|"};
  std::vector<std::string> got = events(t, &join);
  while (got.size() > want.size() && got.back() == "|") got.pop_back();  // a sentence end more at the end is no token
  CHECK(got == want);
  // A byte range of the file: the same rewriting, its own state.
  Tokenizer r(d.file("t.txt"), 10, 23);  // "x y y x y\n" and "b x"
  std::vector<std::string> part = events(r, &join);
  while (part.size() > 6 && part.back() == "|") part.pop_back();
  CHECK(part == std::vector<std::string>{"x+y", "y", "x+y", "|", "b", "x"});
}
