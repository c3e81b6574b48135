#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <limits>
#include <string>

#include "vectors/subword_model.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/sentiment/model.h"

using namespace wembed;
using testutil::TempDir;

namespace {

SentimentModel makeModel() {
  NetConfig c;
  c.cell = CellType::kLstm;
  c.embed_dim = 4;
  c.hidden = 3;
  c.layers = 2;
  c.bidirectional = true;
  c.pooling = Pooling::kAttention;
  SentimentModel m;
  m.max_len = 77;
  m.vocab = Vocabulary({"good", "bad", "movie"});
  m.net = NetParams<float>(c, 4);
  m.net.initialize(5);
  for (int r = 0; r < 4; ++r)
    for (int j = 0; j < 4; ++j) m.net.embeddings(r, j) = 0.25f * r - 0.5f * j;
  return m;
}

}  // namespace

TEST_CASE("sentiment model: save and load round trip") {
  TempDir d;
  const SentimentModel m = makeModel();
  m.save(d.file("m.bin"));
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
  const SentimentModel r = SentimentModel::load(d.file("m.bin"));
  CHECK(r.max_len == 77);
  CHECK(r.vocab.words() == m.vocab.words());
  CHECK((r.net.config.cell == CellType::kLstm));
  CHECK(r.net.config.embed_dim == 4);
  CHECK(r.net.config.hidden == 3);
  CHECK(r.net.config.layers == 2);
  CHECK(r.net.config.bidirectional);
  CHECK((r.net.config.pooling == Pooling::kAttention));
  CHECK(r.net.embeddings == m.net.embeddings);
  CHECK(r.net.dense == m.net.dense);
  // Same predictions.
  const Example e = r.encode("A good, good movie");
  CHECK(e.ids == std::vector<int32_t>{0, 1, 1, 3});
  NetWorkspace<float> w1, w2;
  const Example* p = &e;
  netForward<float>(m.net, &p, 1, w1, 0.0, 0);
  netForward<float>(r.net, &p, 1, w2, 0.0, 0);
  CHECK(w1.prob[0] == w2.prob[0]);
}

TEST_CASE("sentiment model: corrupt, truncated and foreign files are rejected") {
  TempDir d;
  makeModel().save(d.file("m.bin"));
  const std::string good = testutil::readFile(d.file("m.bin"));

  std::string bad = good;
  bad[bad.size() / 2] ^= 0x40;
  testutil::writeFile(d.file("flip.bin"), bad);
  CHECK_THROWS_WITH_AS(SentimentModel::load(d.file("flip.bin")), doctest::Contains("checksum mismatch"), Error);

  testutil::writeFile(d.file("trunc.bin"), good.substr(0, good.size() - 100));
  CHECK_THROWS_WITH_AS(SentimentModel::load(d.file("trunc.bin")), doctest::Contains("trunc.bin"), Error);
  testutil::writeFile(d.file("short.bin"), good.substr(0, 10));
  CHECK_THROWS_WITH_AS(SentimentModel::load(d.file("short.bin")), doctest::Contains("truncated"), Error);

  testutil::writeFile(d.file("vec.txt"), "3 2\na 1 2\nb 3 4\nc 5 6\n");
  CHECK_THROWS_WITH_AS(SentimentModel::load(d.file("vec.txt")), doctest::Contains("not a wembed sentiment model"),
                       Error);
  testutil::writeFile(d.file("empty.bin"), "");
  CHECK_THROWS_WITH_AS(SentimentModel::load(d.file("empty.bin")), doctest::Contains("not a wembed sentiment model"),
                       Error);

  std::string v2 = good;
  const uint32_t version = 2;
  std::memcpy(&v2[8], &version, 4);
  testutil::writeFile(d.file("v2.bin"), v2);
  CHECK_THROWS_WITH_AS(SentimentModel::load(d.file("v2.bin")), doctest::Contains("format version 2"), Error);

  CHECK_THROWS_WITH_AS(SentimentModel::load(d.file("none.bin")), doctest::Contains("none.bin"), Error);
}

TEST_CASE("sentiment model: saving to a missing directory fails without leaving files") {
  TempDir d;
  CHECK_THROWS_AS(makeModel().save(d.file("no/such/dir/m.bin")), Error);
  CHECK(testutil::listDir(d.path()).empty());
}

TEST_CASE("sentiment model: sizes and values are checked before use, even with a valid checksum") {
  TempDir d;
  makeModel().save(d.file("m.bin"));
  const std::string good = testutil::readFile(d.file("m.bin"));
  auto loadError = [&](std::string s) {
    testutil::fixSentimentChecksum(s);
    testutil::writeFile(d.file("x.bin"), s);
    return testutil::errorOf([&] { SentimentModel::load(d.file("x.bin")); });
  };
  auto u32 = [](std::string s, size_t at, uint32_t v) {
    std::memcpy(&s[at], &v, 4);
    return s;
  };
  // The largest configuration (hidden 8192, 16 layers, both directions:
  // ~100 GB of weights) on a small file: refused before allocating.
  CHECK(loadError(u32(u32(good, 20, 8192), 24, 16)).find("truncated") != std::string::npos);
  CHECK(loadError(u32(good, 16, 100000)).find("truncated") != std::string::npos);
  CHECK(loadError(u32(good, 16, 0x7fffffff)).find("the embedding dimension must be in [1, 100000]") != std::string::npos);
  CHECK(loadError(u32(good, 36, 0xffffffffu)).find("length limit") != std::string::npos);
  std::string nan = good;
  const float x = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(&nan[nan.size() - 12], &x, 4);
  CHECK(loadError(nan).find("not a finite number") != std::string::npos);
  CHECK(loadError(good) == "");
  // ... and a model holding NaN is never written.
  SentimentModel m = makeModel();
  m.net.dense[0] = x;
  CHECK_THROWS_WITH_AS(m.save(d.file("nan.bin")), doctest::Contains("NaN"), Error);
  CHECK_FALSE(std::filesystem::exists(d.file("nan.bin")));
}

TEST_CASE("sentiment model: with subwords, words of the data outside the vector file get composed vectors") {
  // Vector words: good, bad, Fine (not a-z: the classifier cannot use it). The texts, cut at 3
  // words, also hold "goodest" (5 of its 13 n-grams are good's), "zq" (none shared: a zero
  // vector, still a word) and "fine" (3 of its 7 are Fine's: ine, ine>, ne>).
  const Vectors vec = testutil::subwordModel({{"good", {1, 0}}, {"bad", {-1, 0}}, {"Fine", {0, 1}}});
  VectorVocabulary v = classifierVocabulary(vec.words, 0);
  REQUIRE(v.words == std::vector<std::string>{"good", "bad"});
  const std::vector<std::string_view> texts = {"Good, GOODEST zq!", "bad fine goodest later words"};
  CHECK(addComposedWords(v, vec.words, *vec.subwords, texts, 3) == 3);
  CHECK(v.words == std::vector<std::string>{"good", "bad", "goodest", "zq", "fine"});
  CHECK(v.rows == std::vector<int64_t>{0, 1, -1, -2, -3});
  NetConfig c;
  c.hidden = 4;
  const SentimentModel m = newSentimentModel(vec.matrix, v, c, 3, 1);
  REQUIRE(m.net.embeddings.rows() == 6);
  CHECK(m.vocab.find("goodest") == 3);
  CHECK(m.net.embeddings(3, 0) == doctest::Approx(5.0 / 13));
  CHECK(m.net.embeddings(3, 1) == 0.f);
  CHECK(m.net.embeddings.row(4).isZero());
  CHECK(m.net.embeddings(5, 1) == doctest::Approx(3.0 / 7));
  CHECK(m.net.embeddings(1, 0) == 1.f);  // good: its own row
  // No limit: the later words count too.
  VectorVocabulary all = classifierVocabulary(vec.words, 0);
  CHECK(addComposedWords(all, vec.words, *vec.subwords, texts, 0) == 5);
}
