#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"
#include "wembed/word2vec/args.h"
#include "wembed/glove/cooccur.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/error.h"

using namespace wembed;
using testutil::TempDir;

namespace {

using Counts = std::map<std::pair<std::string, std::string>, double>;

Dictionary vocabOf(const std::string& path, int64_t min_count = 1) {
  VocabArgs v;
  v.input = {path};
  v.min_count = min_count;
  return buildVocabulary(v, nullptr);
}

std::vector<CooccurRecord> readAll(const std::string& path) {
  CooccurReader r(path);
  std::vector<CooccurRecord> out(r.records());
  size_t got = 0;
  while (got < out.size()) got += r.read(got, out.data() + got, out.size() - got);
  return out;
}

// Records as a (word, context) -> count map; fails on duplicate pairs.
Counts countsOf(const std::string& path, const Dictionary& d) {
  Counts m;
  for (const auto& r : readAll(path)) {
    auto key = std::make_pair(d[r.word].word, d[r.context].word);
    CHECK_MESSAGE(m.count(key) == 0, "duplicate record " << key.first << " " << key.second);
    m[key] = r.count;
  }
  return m;
}

CooccurArgs quietArgs(const std::string& tmp, int window, int threads = 1) {
  CooccurArgs a;
  a.window = window;
  a.threads = threads;
  a.tmp_dir = tmp;
  a.memory_gb = 0.01;
  return a;
}

void checkCounts(const Counts& got, const Counts& want) {
  CHECK(got.size() == want.size());
  for (const auto& [k, v] : want) {
    INFO("pair (" << k.first << ", " << k.second << ")");
    auto it = got.find(k);
    REQUIRE(it != got.end());
    CHECK(it->second == doctest::Approx(v).epsilon(1e-6));
  }
}

void checkSame(const Counts& a, const Counts& b, double eps) {
  REQUIRE(a.size() == b.size());
  auto ib = b.begin();
  for (const auto& [k, v] : a) {
    INFO("pair (" << k.first << ", " << k.second << ")");
    REQUIRE(k == ib->first);
    CHECK(v == doctest::Approx(ib->second).epsilon(eps));
    ++ib;
  }
}

// "a b z c a b / c a": z is out of vocabulary (min-count 2) and skipped
// without taking a window position, as Stanford's cooccur does.
const char* kTiny = "a b z c a b\nc a\n";

// Hand-computed for window 3 (weights 1/distance). In-vocabulary sequence of
// line 1: a b c a b (positions 0..4); line 2: c a.
//   left-context table L(word, left word):
//   b@1: a/1            -> L(b,a) += 1
//   c@2: b/1 a/2        -> L(c,b) += 1,  L(c,a) += 1/2
//   a@3: c/1 b/2 a/3    -> L(a,c) += 1,  L(a,b) += 1/2, L(a,a) += 1/3
//   b@4: a/1 c/2 b/3    -> L(b,a) += 1,  L(b,c) += 1/2, L(b,b) += 1/3
//   line 2, a: c/1      -> L(a,c) += 1
const Counts kLeft = {{{"b", "a"}, 2.0}, {{"c", "b"}, 1.0},     {{"c", "a"}, 0.5},     {{"a", "c"}, 2.0},
                      {{"a", "b"}, 0.5}, {{"a", "a"}, 1.0 / 3}, {{"b", "c"}, 0.5},     {{"b", "b"}, 1.0 / 3}};
// Symmetric: X = L + L^T (the diagonal doubles).
const Counts kSym = {{{"a", "b"}, 2.5},     {{"b", "a"}, 2.5},     {{"a", "c"}, 2.5}, {{"c", "a"}, 2.5},
                     {{"b", "c"}, 1.5},     {{"c", "b"}, 1.5},     {{"a", "a"}, 2.0 / 3},
                     {{"b", "b"}, 2.0 / 3}};

}  // namespace

TEST_CASE("cooccur: exact counts on a tiny corpus (window, 1/distance, symmetry, sentence ends)") {
  TempDir d;
  const std::string in = d.file("tiny.txt"), out = d.file("c.bin");
  testutil::writeFile(in, kTiny);
  const Dictionary dict = vocabOf(in, 2);
  REQUIRE(dict.size() == 3);
  REQUIRE(dict.find("z") < 0);

  SUBCASE("symmetric (default)") {
    auto a = quietArgs(d.path(), 3);
    CooccurStats st = countCooccurrences({in}, dict, a, out);
    checkCounts(countsOf(out, dict), kSym);
    CHECK(st.records == kSym.size());
    CHECK(st.tokens == 7);
    CooccurReader r(out);
    CHECK(r.header().vocab_size == 3);
    CHECK(r.header().window == 3);
    CHECK((r.header().flags & kCooccurSymmetric) != 0);
    CHECK((r.header().flags & kCooccurShuffled) != 0);
    CHECK((r.header().flags & kCooccurCrossSentences) == 0);
  }
  SUBCASE("asymmetric: (word, left context)") {
    auto a = quietArgs(d.path(), 3);
    a.symmetric = false;
    countCooccurrences({in}, dict, a, out);
    checkCounts(countsOf(out, dict), kLeft);
    CHECK((CooccurReader(out).header().flags & kCooccurSymmetric) == 0);
  }
  SUBCASE("window 1 keeps adjacent pairs only") {
    auto a = quietArgs(d.path(), 1);
    countCooccurrences({in}, dict, a, out);
    // a-b twice, b-c once, c-a twice (once per line).
    checkCounts(countsOf(out, dict), {{{"a", "b"}, 2.0},
                                      {{"b", "a"}, 2.0},
                                      {{"b", "c"}, 1.0},
                                      {{"c", "b"}, 1.0},
                                      {{"a", "c"}, 2.0},
                                      {{"c", "a"}, 2.0}});
  }
  SUBCASE("--cross-sentences lets the window run over the line end") {
    auto a = quietArgs(d.path(), 3);
    a.cross_sentences = true;
    countCooccurrences({in}, dict, a, out);
    // Sequence a b c a b c a: the line-2 tokens c@5, a@6 add
    // c-c/3, a-c/2, b-c/1 and a-a/3, b-a/2 (c-a/1 was already counted).
    checkCounts(countsOf(out, dict), {{{"a", "b"}, 3.0},
                                      {{"b", "a"}, 3.0},
                                      {{"a", "c"}, 3.0},
                                      {{"c", "a"}, 3.0},
                                      {{"b", "c"}, 2.5},
                                      {{"c", "b"}, 2.5},
                                      {{"a", "a"}, 4.0 / 3},
                                      {{"b", "b"}, 2.0 / 3},
                                      {{"c", "c"}, 2.0 / 3}});
    CHECK((CooccurReader(out).header().flags & kCooccurCrossSentences) != 0);
  }
  SUBCASE("the dense array and the sparse buffer give the same counts") {
    for (int64_t p : {0, 1, 2, 4, 9}) {
      INFO("max_product " << p);
      auto a = quietArgs(d.path(), 3);
      a.max_product = p;
      a.buffer_records = 16;
      countCooccurrences({in}, dict, a, out);
      checkCounts(countsOf(out, dict), kSym);
      a.symmetric = false;
      countCooccurrences({in}, dict, a, out);
      checkCounts(countsOf(out, dict), kLeft);
    }
  }
}

TEST_CASE("cooccur: dense array size") {
  // Symmetric: row i holds j in [i, min(V, P/(i+1))).
  CHECK(denseCells(5, 0, true) == 0);
  CHECK(denseCells(5, 1, true) == 1);    // (0,0)
  CHECK(denseCells(5, 4, true) == 5);    // row 0: j<4 -> 4 cells; row 1: j in [1,2) -> 1
  CHECK(denseCells(5, 25, true) == 15);  // the full triangle
  CHECK(denseCells(5, 25, false) == 25);
  CHECK(denseCells(5, 4, false) == 4 + 2 + 1 + 1);
}

namespace {

std::string randomCorpus(std::mt19937& rng, int lines, int vocab) {
  std::string s;
  // Zipf-like: word k drawn with probability ~ 1/(k+1).
  std::vector<double> w(vocab);
  for (int k = 0; k < vocab; ++k) w[k] = 1.0 / (k + 1);
  std::discrete_distribution<int> pick(w.begin(), w.end());
  for (int l = 0; l < lines; ++l) {
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      if (i) s += ' ';
      s += "w" + std::to_string(pick(rng));
    }
    s += '\n';
  }
  return s;
}

}  // namespace

TEST_CASE("cooccur: spilling and merging in rounds gives the in-memory counts") {
  TempDir d;
  std::mt19937 rng(7);
  const std::string in = d.file("corpus.txt");
  testutil::writeFile(in, randomCorpus(rng, 400, 300));
  const Dictionary dict = vocabOf(in, 2);
  const std::string tmp = d.subdir("tmp");

  for (bool sym : {true, false}) {
    INFO("symmetric " << sym);
    auto ref = quietArgs(tmp, 5);
    ref.symmetric = sym;
    ref.memory_gb = 0.5;  // everything in memory
    const CooccurStats rs = countCooccurrences({in}, dict, ref, d.file("ref.bin"));
    CHECK(rs.runs == 0);
    CHECK(rs.merge_rounds == 0);
    CHECK(rs.buckets == 1);
    const Counts want = countsOf(d.file("ref.bin"), dict);

    for (int threads : {1, 2, 3}) {
      INFO("threads " << threads);
      auto a = quietArgs(tmp, 5, threads);
      a.symmetric = sym;
      a.max_product = 50;     // a small dense array for the most frequent pairs
      a.buffer_records = 600;  // and a tiny buffer: many runs
      a.max_open = 2;         // merged two at a time, in rounds
      const CooccurStats st = countCooccurrences({in}, dict, a, d.file("spill.bin"));
      CHECK(st.runs > 10);
      CHECK(st.merge_rounds >= st.runs - 2);
      checkSame(countsOf(d.file("spill.bin"), dict), want, 1e-5);
      CHECK(testutil::listDir(tmp).empty());
    }
    // The automatic sizing under a tiny --memory: spills and several buckets.
    auto a = quietArgs(tmp, 5, 2);
    a.symmetric = sym;
    a.memory_gb = 2e-5;  // ~21 KB
    a.max_open = 3;
    const CooccurStats st = countCooccurrences({in}, dict, a, d.file("tiny.bin"));
    CHECK(st.runs > 3);
    CHECK(st.merge_rounds > 0);
    CHECK(st.buckets > 1);
    checkSame(countsOf(d.file("tiny.bin"), dict), want, 1e-5);
    CHECK(testutil::listDir(tmp).empty());
  }
}

TEST_CASE("cooccur: counts do not depend on the number of threads (ranges start at lines)") {
  TempDir d;
  std::mt19937 rng(11);
  const std::string in = d.file("corpus.txt");
  testutil::writeFile(in, randomCorpus(rng, 300, 100));
  const Dictionary dict = vocabOf(in, 1);
  countCooccurrences({in}, dict, quietArgs(d.path(), 4, 1), d.file("t1.bin"));
  const Counts one = countsOf(d.file("t1.bin"), dict);
  for (int t : {2, 3, 5}) {
    INFO("threads " << t);
    countCooccurrences({in}, dict, quietArgs(d.path(), 4, t), d.file("tn.bin"));
    checkSame(countsOf(d.file("tn.bin"), dict), one, 1e-5);
  }
  // Several input files count as their concatenation (each ends a line).
  const std::string text = testutil::readFile(in);
  const size_t mid = text.find('\n', text.size() / 2) + 1;
  testutil::writeFile(d.file("p1.txt"), text.substr(0, mid));
  testutil::writeFile(d.file("p2.txt"), text.substr(mid));
  countCooccurrences({d.file("p1.txt"), d.file("p2.txt")}, dict, quietArgs(d.path(), 4, 2), d.file("tp.bin"));
  checkSame(countsOf(d.file("tp.bin"), dict), one, 1e-5);
}

TEST_CASE("cooccur: the output is shuffled") {
  TempDir d;
  std::mt19937 rng(3);
  const std::string in = d.file("corpus.txt");
  testutil::writeFile(in, randomCorpus(rng, 300, 200));
  const Dictionary dict = vocabOf(in, 1);
  auto a = quietArgs(d.path(), 5);
  a.memory_gb = 3e-5;  // several buckets
  const CooccurStats st = countCooccurrences({in}, dict, a, d.file("c.bin"));
  CHECK(st.buckets > 1);
  const auto recs = readAll(d.file("c.bin"));
  REQUIRE(recs.size() > 1000);
  // Sorted order would have no descents; a random order has about half.
  size_t descents = 0;
  for (size_t i = 1; i < recs.size(); ++i)
    descents += (recs[i].word < recs[i - 1].word ||
                 (recs[i].word == recs[i - 1].word && recs[i].context < recs[i - 1].context));
  CHECK(descents > recs.size() / 3);
  CHECK(descents < recs.size() * 2 / 3);
  // The first and second halves cover the same range of words.
  double m1 = 0, m2 = 0;
  const size_t h = recs.size() / 2;
  for (size_t i = 0; i < h; ++i) m1 += recs[i].word;
  for (size_t i = h; i < 2 * h; ++i) m2 += recs[i].word;
  CHECK(std::fabs(m1 - m2) / h < 0.1 * dict.size());
  // Same seed, same order.
  countCooccurrences({in}, dict, a, d.file("c2.bin"));
  CHECK(testutil::readFile(d.file("c.bin")) == testutil::readFile(d.file("c2.bin")));
}

TEST_CASE("cooccur: temporary files are removed after success and after an error") {
  TempDir d;
  std::mt19937 rng(5);
  const std::string in = d.file("corpus.txt");
  testutil::writeFile(in, randomCorpus(rng, 200, 150));
  const Dictionary dict = vocabOf(in, 1);
  const std::string tmp = d.subdir("tmp");
  const std::string outdir = d.subdir("out");
  auto a = quietArgs(tmp, 5, 2);
  a.max_product = 10;
  a.buffer_records = 400;
  a.max_open = 2;

  std::atomic<int> spills{0};
  CooccurHooks count_spills;
  count_spills.on_stage = [&](CooccurStage s) { spills += s == CooccurStage::kSpilled; };
  countCooccurrences({in}, dict, a, outdir + "/ok.bin", count_spills);
  CHECK(spills > 4);
  CHECK(testutil::listDir(tmp).empty());
  CHECK(testutil::listDir(outdir) == std::vector<std::string>{"ok.bin"});

  for (CooccurStage fail_at : {CooccurStage::kSpilled, CooccurStage::kMerging, CooccurStage::kShuffling}) {
    INFO("failing at stage " << static_cast<int>(fail_at));
    std::atomic<int> seen{0};
    CooccurHooks h;
    h.on_stage = [&](CooccurStage s) {
      // Fail at the third spill (runs exist by then) or at the stage.
      if (s == fail_at && (s != CooccurStage::kSpilled || ++seen == 3)) throw Error("injected failure");
    };
    CHECK_THROWS_WITH_AS(countCooccurrences({in}, dict, a, outdir + "/bad.bin", h), "injected failure", Error);
    CHECK(testutil::listDir(tmp).empty());
    CHECK(testutil::listDir(outdir) == std::vector<std::string>{"ok.bin"});
  }
  // An unwritable output fails before counting, and leaves nothing either.
  CHECK_THROWS_AS(countCooccurrences({in}, dict, a, d.file("missing-dir/x.bin")), Error);
  CHECK(testutil::listDir(tmp).empty());
  // A missing temporary directory is a clear error.
  a.tmp_dir = d.file("no-such-dir");
  CHECK_THROWS_WITH_AS(countCooccurrences({in}, dict, a, outdir + "/x.bin"),
                       doctest::Contains("cannot create a temporary directory"), Error);
}

TEST_CASE("cooccur: reader rejects malformed files with a clear error") {
  TempDir d;
  const std::string in = d.file("tiny.txt");
  testutil::writeFile(in, kTiny);
  const Dictionary dict = vocabOf(in, 1);
  const std::string good = d.file("good.bin");
  countCooccurrences({in}, dict, quietArgs(d.path(), 3), good);
  const std::string bytes = testutil::readFile(good);
  REQUIRE(bytes.size() > kCooccurHeaderBytes + 24);

  auto readAll = [](const std::string& p) {
    CooccurReader r(p);
    std::vector<CooccurRecord> buf(r.records());
    r.read(0, buf.data(), buf.size());
  };
  const testutil::DamagedFile bad{readAll, d.file("bad.bin")};
  auto expectError = [&](const std::string& content, const std::string& what) {
    INFO("expected: " << what);
    CHECK(bad.refused(content, what));
  };
  expectError("", "header is truncated");
  expectError(bytes.substr(0, 20), "header is truncated");
  expectError("hello world, this is not a co-occurrence file", "wrong magic");
  expectError(bytes.substr(0, bytes.size() - 5), "truncated");
  expectError(bytes.substr(0, bytes.size() - 12), "truncated");
  expectError(bytes + "x", "bytes follow it");
  std::string v = bytes;
  v[8] = 9;  // version
  expectError(v, "version 9");
  std::string vs = bytes;
  std::memset(&vs[16], 0, 4);  // vocabulary size 0
  expectError(vs, "vocabulary size 0");
  std::string id = bytes;
  const int32_t big = 1000;  // outside the vocabulary
  std::memcpy(&id[kCooccurHeaderBytes + 12], &big, 4);
  expectError(id, "record 1");
  std::string neg = bytes;
  const float minus = -1.f;
  std::memcpy(&neg[kCooccurHeaderBytes + 8], &minus, 4);
  expectError(neg, "record 0");
  CHECK_THROWS_AS(CooccurReader{d.file("absent.bin")}, Error);
  CHECK_NOTHROW(CooccurReader{good});
}

TEST_CASE("cooccur: argument checks") {
  CooccurArgs a;
  CHECK_NOTHROW(a.validate());
  a.window = 0;
  CHECK_THROWS_AS(a.validate(), Error);
  a = CooccurArgs();
  a.memory_gb = 0;
  CHECK_THROWS_AS(a.validate(), Error);
  a = CooccurArgs();
  a.max_open = 1;
  CHECK_THROWS_AS(a.validate(), Error);
  a = CooccurArgs();
  a.threads = -1;
  CHECK_THROWS_AS(a.validate(), Error);
}

TEST_CASE("cooccur: a rejected file leaves no file descriptor open (found by fuzz/cooccur)") {
  TempDir d;
  testutil::writeFile(d.file("bad.cooc"), "WEMBCOOC\x09\0\0\0 not a version we read");
  testutil::writeFile(d.file("short.cooc"), "WEMBCO");
  auto openFds = [] { return testutil::listDir("/proc/self/fd").size(); };
  const size_t before = openFds();
  for (int i = 0; i < 200; ++i) {
    CHECK_THROWS_AS(CooccurReader(d.file(i % 2 ? "bad.cooc" : "short.cooc")), Error);
  }
  CHECK(openFds() <= before + 2);
}
