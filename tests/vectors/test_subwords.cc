#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "wembed/core/error.h"
#include "wembed/vectors/subwords.h"

using namespace wembed;

namespace {
std::vector<std::string> ngramsOf(const std::string& w, int minn = 3, int maxn = 6, int64_t bucket = 2000000) {
  SubwordArgs a{minn, maxn, bucket};
  std::vector<int32_t> ids;
  std::vector<std::string> grams;
  appendSubwords(w, a, ids, &grams);
  REQUIRE(ids.size() == grams.size());
  for (size_t i = 0; i < ids.size(); ++i) CHECK(ids[i] == static_cast<int32_t>(fasttextHash(grams[i]) % bucket));
  return grams;
}
}  // namespace

TEST_CASE("subwords: fastText's FNV-1a with its sign-extended bytes") {
  // Values from an independent implementation of fastText's Dictionary::hash.
  CHECK(fasttextHash("") == 2166136261u);
  CHECK(fasttextHash("a") == 3826002220u);  // plain FNV-1a for ASCII
  CHECK(fasttextHash("<a>") == 2359087600u);
  CHECK(fasttextHash("<ét") == 1975908133u);  // bytes >= 0x80 are sign-extended
  CHECK(fasttextHash("été>") == 4054196363u);
  CHECK(fasttextHash("ïve>") == 445788548u);
}

TEST_CASE("subwords: the n-grams fastText's print-ngrams lists, in its order (UTF-8 characters)") {
  // fasttext print-ngrams on a model trained with -minn 3 -maxn 6.
  CHECK(ngramsOf("été") == std::vector<std::string>{"<ét", "<été", "<été>", "été", "été>", "té>"});
  CHECK(ngramsOf("naïve") == std::vector<std::string>{"<na", "<naï", "<naïv", "<naïve", "naï", "naïv", "naïve",
                                                      "naïve>", "aïv", "aïve", "aïve>", "ïve", "ïve>", "ve>"});
  CHECK(ngramsOf("ab") == std::vector<std::string>{"<ab", "<ab>", "ab>"});
  CHECK(ngramsOf("a") == std::vector<std::string>{"<a>"});
  // Shorter than minn with its '<' '>': nothing; one-character n-grams are never '<' or '>' alone.
  CHECK(ngramsOf("a", 4, 6).empty());
  CHECK(ngramsOf("ab", 1, 2) == std::vector<std::string>{"<a", "a", "ab", "b", "b>"});
  CHECK(ngramsOf(std::string(kEndOfSentence)).empty());
  CHECK(ngramsOf("topic", 0, 0).empty());  // maxn 0: the word model
}

TEST_CASE("subwords: the table holds each word's own row, then V + its buckets") {
  SubwordArgs a{3, 4, 100};
  SubwordTable t({"ab", "</s>", "abc"}, a);
  REQUIRE(t.words() == 3);
  REQUIRE(t.count(0) == 1 + 3);  // <ab, <ab>, ab>
  CHECK(t.rows(0)[0] == 0);
  CHECK(t.rows(0)[1] == 3 + static_cast<int32_t>(fasttextHash("<ab") % 100));
  CHECK(t.count(1) == 1);
  CHECK(t.rows(1)[0] == 1);
  CHECK(t.count(2) == 1 + 5);  // <ab, <abc, abc, abc>, bc>
  CHECK(t.maxCount() == 6);
}

TEST_CASE("subwords: composing a word never seen is the mean of its n-gram rows") {
  SubwordArgs a{3, 3, 8};
  Subwords s;
  s.args = a;
  s.buckets = Matrix(8, 2);
  for (int r = 0; r < 8; ++r) {
    s.buckets.row(r)[0] = static_cast<float>(r);
    s.buckets.row(r)[1] = 1.f;
  }
  AlignedBuffer buf(s.buckets.stride());
  float* v = buf.data();
  REQUIRE(s.compose("ab", v));
  const float expect = static_cast<float>((fasttextHash("<ab") % 8 + fasttextHash("ab>") % 8) / 2.0);
  CHECK(v[0] == doctest::Approx(expect));
  CHECK(v[1] == doctest::Approx(1.f));
  CHECK_FALSE(s.compose("", v));  // "<>" has no 3-gram
  CHECK(v[0] == 0.f);
}

TEST_CASE("subwords: settings out of range name the flag") {
  CHECK_THROWS_WITH_AS((SubwordArgs{7, 6, 10}.validate()), doctest::Contains("--minn"), Error);
  CHECK_THROWS_WITH_AS((SubwordArgs{3, 21, 10}.validate()), doctest::Contains("--maxn"), Error);
  CHECK_THROWS_WITH_AS((SubwordArgs{3, 6, 0}.validate()), doctest::Contains("--bucket"), Error);
  CHECK_THROWS_WITH_AS((SubwordArgs{3, 6, -1}.validate()), doctest::Contains("--bucket"), Error);
  CHECK_NOTHROW((SubwordArgs{0, 0, 2000000}.validate()));
  CHECK_NOTHROW((SubwordArgs{3, 6, 2000000}.validate()));
}
