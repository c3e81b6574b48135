// fastText's .bin model: a model made by the fasttext binary reads as fastText
// prints its vectors (words seen and unseen), wembed's .bin reloads bit for bit
// and is read by fastText, broken files are one clear error. The fixture is
// made by tests/data/fasttext/make_fixture.sh.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/core/matrix.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::q;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

const std::string kDir = std::string(WEMBED_SOURCE_DIR) + "/tests/data/fasttext/";
const std::string kTiny = kDir + "tiny.bin";

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string loadError(const std::string& path, VectorFormat f = VectorFormat::kAuto, int64_t limit = 0) {
  return testutil::errorOf([&] { loadVectors(path, f, limit); });
}

// "word v1 ... vD" lines, as `fasttext print-word-vectors` prints them.
std::vector<std::pair<std::string, std::vector<float>>> printedVectors(const std::string& text) {
  std::vector<std::pair<std::string, std::vector<float>>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string w;
    f >> w;
    std::vector<float> x;
    for (float v; f >> v;) x.push_back(v);
    rows.emplace_back(w, x);
  }
  return rows;
}

int64_t find(const Vectors& v, const std::string& w) {
  for (size_t i = 0; i < v.words.size(); ++i)
    if (v.words[i] == w) return static_cast<int64_t>(i);
  return -1;
}

// The vector wembed gives a word: its row, or composed from its n-grams.
std::vector<float> vectorOf(const Vectors& v, const std::string& w) {
  const int64_t i = find(v, w);
  const int d = v.matrix.cols();
  if (i >= 0) return std::vector<float>(v.matrix.row(i), v.matrix.row(i) + d);
  AlignedBuffer out(static_cast<size_t>(v.matrix.stride()));
  v.subwords->compose(w, out.data());
  return std::vector<float>(out.data(), out.data() + d);
}

// Every printed vector equals wembed's to 1e-5 (fastText prints 5 significant digits).
void checkPrinted(const Vectors& v, const std::string& printed, int* seen, int* unseen) {
  for (const auto& [w, x] : printedVectors(printed)) {
    CAPTURE(w);
    REQUIRE(x.size() == static_cast<size_t>(v.matrix.cols()));
    ++*(find(v, w) >= 0 ? seen : unseen);
    const std::vector<float> mine = vectorOf(v, w);
    for (size_t j = 0; j < x.size(); ++j) CHECK(std::fabs(mine[j] - x[j]) <= 1e-5 * std::max(1.f, std::fabs(x[j])));
  }
}

bool sameSubwords(const Subwords& a, const Subwords& b) {
  return a.args.minn == b.args.minn && a.args.maxn == b.args.maxn && a.args.bucket == b.args.bucket &&
         sameMatrix(a.own, b.own) && sameMatrix(a.buckets, b.buckets) && a.settings.window == b.settings.window &&
         a.settings.epochs == b.settings.epochs && a.settings.min_count == b.settings.min_count &&
         a.settings.negative == b.settings.negative && a.settings.word_ngrams == b.settings.word_ngrams &&
         a.settings.loss == b.settings.loss && a.settings.model == b.settings.model &&
         a.settings.lr_update_rate == b.settings.lr_update_rate && a.settings.sample == b.settings.sample &&
         a.settings.tokens == b.settings.tokens;
}

bool fasttextInstalled() { return std::system("command -v fasttext >/dev/null 2>&1") == 0; }

// A small model with subwords: words, counts, own and bucket rows of known values.
Vectors smallModel() {
  Vectors v;
  v.words = {"ab", "été", "</s>", "c"};
  v.counts = {9, 5, 3, 1};
  auto s = std::make_shared<Subwords>();
  s->args = SubwordArgs{2, 3, 7};
  s->settings.tokens = 18;
  s->own = Matrix(4, 3);
  s->own.uniform(0.5f, 5);
  s->buckets = Matrix(7, 3);
  s->buckets.uniform(0.5f, 6);
  v.matrix = Matrix(4, 3);
  for (int64_t i = 0; i < 4; ++i) {
    std::vector<int32_t> ids;
    appendSubwords(v.words[static_cast<size_t>(i)], s->args, ids);
    float* out = v.matrix.row(i);
    std::copy(s->own.row(i), s->own.row(i) + 3, out);
    for (int32_t b : ids)
      for (int j = 0; j < 3; ++j) out[j] += s->buckets.row(b)[j];
    for (int j = 0; j < 3; ++j) out[j] *= static_cast<float>(1.0 / static_cast<double>(ids.size() + 1));
  }
  v.subwords = std::move(s);
  return v;
}

}  // namespace

TEST_CASE("fasttext: a model made by fastText gives the vectors fastText prints, for words seen and unseen") {
  VectorFormat f = VectorFormat::kAuto;
  const Vectors v = loadVectors(kTiny, VectorFormat::kAuto, 0, &f);
  CHECK((f == VectorFormat::kFastText));
  CHECK((detectVectorFormat(kTiny) == VectorFormat::kFastText));
  REQUIRE(v.subwords);
  const Subwords& s = *v.subwords;
  CHECK(s.args.minn == 3);
  CHECK(s.args.maxn == 5);
  CHECK(s.args.bucket == 5000);
  CHECK(s.buckets.rows() == 5000);
  CHECK(s.own.rows() == static_cast<int64_t>(v.words.size()));
  CHECK(v.matrix.cols() == 8);
  // make_fixture.sh's settings, fastText's defaults for the others.
  CHECK(s.settings.window == 5);
  CHECK(s.settings.epochs == 1);
  CHECK(s.settings.min_count == 1);
  CHECK(s.settings.negative == 5);
  CHECK(s.settings.loss == 2);   // ns
  CHECK(s.settings.model == 2);  // skipgram
  CHECK(s.settings.sample == 1e-4);
  CHECK(s.settings.tokens > 1000);
  // Words by decreasing count, with their counts; "the" is the most frequent.
  REQUIRE(v.counts.size() == v.words.size());
  CHECK(v.words[0] == "the");
  CHECK(std::is_sorted(v.counts.rbegin(), v.counts.rend()));
  CHECK(find(v, "été") >= 0);
  int seen = 0, unseen = 0;
  checkPrinted(v, testutil::readFile(kDir + "tiny.words.txt"), &seen, &unseen);
  CHECK(seen == 12);   // with "anarchists", "été", "naïve", "café" and "</s>" (its own row alone)
  CHECK(unseen == 8);  // "anarchisms", "thougth", "étés", "naïveté", ...
}

TEST_CASE("fasttext: a supervised model reads without its labels; a quantized one is refused") {
  const Vectors v = loadVectors(kDir + "sup.bin");
  CHECK(v.words.size() == 50);
  CHECK(find(v, "__label__a") < 0);
  CHECK(find(v, "good") >= 0);
  CHECK_FALSE(v.subwords);  // no character n-grams: each word's own row is its vector
  const std::string e = loadError(kDir + "sup.ftz");
  CHECK(has(e, "bad vector file '" + kDir + "sup.ftz': this is a quantized fastText model"));
  CHECK(has(e, "wembed reads full .bin models"));
  CHECK(has(loadError(kDir + "sup.ftz", VectorFormat::kFastText), "quantized fastText model"));
}

TEST_CASE("fasttext: wembed's .bin reloads bit for bit, is fastText's own bytes but the output layer, with its .vec") {
  TempDir d;
  const Vectors v = loadVectors(kTiny);
  CHECK(outputPaths(d.file("m.bin"), VectorFormat::kFastText) == std::vector<std::string>{d.file("m.bin"), d.file("m.vec")});
  CHECK(outputPaths(d.file("m"), VectorFormat::kFastText) == std::vector<std::string>{d.file("m"), d.file("m.vec")});
  saveVectors(d.file("m.bin"), v, VectorFormat::kFastText);
  const Vectors back = loadVectors(d.file("m.bin"));
  CHECK(back.words == v.words);
  CHECK(back.counts == v.counts);
  CHECK(sameMatrix(back.matrix, v.matrix));
  REQUIRE(back.subwords);
  CHECK(sameSubwords(*back.subwords, *v.subwords));
  // Everything up to the output layer (wembed does not read it: zeros) is fastText's bytes.
  const std::string mine = testutil::readFile(d.file("m.bin")), theirs = testutil::readFile(kTiny);
  REQUIRE(mine.size() == theirs.size());
  const size_t output = v.words.size() * 8 * sizeof(float);
  CHECK(mine.substr(0, mine.size() - output) == theirs.substr(0, theirs.size() - output));
  CHECK(mine.substr(mine.size() - output) == std::string(output, '\0'));
  // The composed vectors beside it as word2vec text, exactly.
  const Vectors vec = loadVectors(d.file("m.vec"));
  CHECK(vec.words == v.words);
  CHECK(sameMatrix(vec.matrix, v.matrix));
  // A known output layer is written (cut or padded to the words).
  Vectors w = loadVectors(kTiny);
  w.subwords->output = Matrix(3, 8);
  w.subwords->output.uniform(1.f, 3);
  saveVectors(d.file("o.bin"), w, VectorFormat::kFastText);
  const std::string o = testutil::readFile(d.file("o.bin"));
  for (int64_t r = 0; r < 3; ++r)
    CHECK(std::memcmp(o.data() + o.size() - output + r * 32, w.subwords->output.row(r), 32) == 0);
  CHECK(o.substr(o.size() - output + 3 * 32) == std::string(output - 3 * 32, '\0'));
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("fasttext: vectors without subwords, and a model's small cases, round-trip") {
  TempDir d;
  // Plain vectors: the input matrix is the word rows, no n-gram rows; counts of 1 when unknown.
  Matrix m(3, 5);
  m.uniform(1.f, 8);
  saveVectors(d.file("p.bin"), {"a", "b", "c"}, m, VectorFormat::kFastText);
  Vectors p = loadVectors(d.file("p.bin"));
  CHECK(p.words == std::vector<std::string>{"a", "b", "c"});
  CHECK(sameMatrix(p.matrix, m));
  CHECK(p.counts == std::vector<int64_t>{1, 1, 1});
  CHECK_FALSE(p.subwords);
  // A model with subwords: "</s>" is its own row, UTF-8 n-grams, words shorter than minn.
  const Vectors v = smallModel();
  saveVectors(d.file("s.bin"), v, VectorFormat::kFastText);
  const Vectors back = loadVectors(d.file("s.bin"));
  CHECK(back.words == v.words);
  CHECK(back.counts == v.counts);
  CHECK(sameMatrix(back.matrix, v.matrix));
  CHECK(sameSubwords(*back.subwords, *v.subwords));
  CHECK(std::memcmp(back.matrix.row(2), v.subwords->own.row(2), 12) == 0);
  // --limit: the first words; the n-gram rows all the same.
  const Vectors two = loadVectors(d.file("s.bin"), VectorFormat::kAuto, 2);
  CHECK(two.words == std::vector<std::string>{"ab", "été"});
  CHECK(two.subwords->own.rows() == 2);
  CHECK(sameMatrix(two.subwords->buckets, v.subwords->buckets));
  CHECK(std::memcmp(two.matrix.row(1), v.matrix.row(1), 12) == 0);
  // Words fastText's file cannot hold; no words; subwords that do not match.
  CHECK(has(testutil::errorOf([&] { saveVectors(d.file("x.bin"), {std::string("a\0b", 3)}, Matrix(1, 2), VectorFormat::kFastText); }),
            "contains a NUL byte"));
  CHECK(has(testutil::errorOf([&] { saveVectors(d.file("x.bin"), {"a b"}, Matrix(1, 2), VectorFormat::kFastText); }),
            "contains a space"));
  CHECK(has(testutil::errorOf([&] { saveVectors(d.file("x.bin"), {}, Matrix(0, 2), VectorFormat::kFastText); }),
            "no words"));
  Vectors odd = smallModel();
  odd.subwords->buckets = Matrix(6, 3);
  CHECK(has(testutil::errorOf([&] { saveVectors(d.file("x.bin"), odd, VectorFormat::kFastText); }), "6 n-gram rows"));
  CHECK(has(testutil::errorOf([&] { saveVectors(d.file("x.wev"), odd, VectorFormat::kNative); }), "6 n-gram rows"));
  odd = smallModel();
  odd.subwords->own = Matrix(3, 3);
  CHECK(has(testutil::errorOf([&] { saveVectors(d.file("x.bin"), odd, VectorFormat::kFastText); }), "own word rows"));
  odd = smallModel();
  odd.subwords->buckets.row(4)[1] = std::numeric_limits<float>::infinity();
  CHECK(has(testutil::errorOf([&] { saveVectors(d.file("x.bin"), odd, VectorFormat::kFastText); }), "n-gram row 5"));
  CHECK_FALSE(std::ifstream(d.file("x.bin")).good());
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("fasttext: the fasttext binary reads wembed's .bin, giving wembed's vectors") {
  if (!fasttextInstalled()) {
    MESSAGE("skipped: no fasttext binary (Debian package fasttext; scripts/install-deps.sh installs it)");
    return;
  }
  TempDir d;
  const Vectors v = loadVectors(kTiny);
  saveVectors(d.file("m.bin"), v, VectorFormat::kFastText);
  auto r = testutil::run("fasttext print-word-vectors " + q(d.file("m.bin")) + " < " + q(kDir + "words.txt"), d.path());
  REQUIRE(r.status == 0);
  int seen = 0, unseen = 0;
  checkPrinted(v, r.out, &seen, &unseen);
  CHECK(seen == 12);
  CHECK(unseen == 8);
  // fastText's nearest neighbours run on it.
  r = testutil::run("echo anarchisms | fasttext nn " + q(d.file("m.bin")) + " 3", d.path());
  CHECK(r.status == 0);
  CHECK(testutil::nonEmptyLines(r.out).size() >= 3);
  // Plain vectors: no n-grams, each word its row.
  Matrix m(2, 4);
  m.uniform(1.f, 9);
  saveVectors(d.file("p.bin"), {"x", "yy"}, m, VectorFormat::kFastText);
  r = testutil::run("printf 'yy\\nx\\n' | fasttext print-word-vectors " + q(d.file("p.bin")), d.path());
  REQUIRE(r.status == 0);
  const auto rows = printedVectors(r.out);
  REQUIRE(rows.size() == 2);
  for (int j = 0; j < 4; ++j) CHECK(std::fabs(rows[0].second[j] - m.row(1)[j]) <= 1e-5 * std::max(1.f, std::fabs(m.row(1)[j])));
}

TEST_CASE("fasttext: a truncated or corrupted .bin is one clear error naming the file") {
  TempDir d;
  const Vectors v = smallModel();
  saveVectors(d.file("ok.bin"), v, VectorFormat::kFastText);
  const std::string ok = testutil::readFile(d.file("ok.bin"));
  const std::string path = d.file("bad.bin");
  const testutil::DamagedFile damaged{[](const std::string& p) { loadVectors(p); }, path};
  // Every cut (the rows hold no checksum: a flipped float is another float).
  for (size_t n = 0; n < ok.size(); ++n) {
    INFO("cut to " << n << " bytes");
    CHECK(damaged.refused(ok.substr(0, n)));
  }
  const auto with = [&](size_t at, const void* p, size_t n) {
    std::string s = ok;
    std::memcpy(&s[at], p, n);
    return s;
  };
  const auto i32 = [&](size_t at, int32_t x) { return with(at, &x, 4); };
  const auto i64 = [&](size_t at, int64_t x) { return with(at, &x, 8); };
  // Layout: magic 0, version 4, args 8 (dim 8, bucket 40, minn 44, maxn 48), dictionary 64 (size 64, nwords 68,
  // nlabels 72, ntokens 76, pruneidx 84), entries from 92: "ab" 92, count 95, type 103; "été" 104.
  const size_t entries = 92, quant = entries + (3 + 9) + (6 + 9) + (5 + 9) + (2 + 9);
  REQUIRE(ok.substr(entries, 3) == std::string("ab\0", 3));
  REQUIRE(ok[quant] == '\0');
  CHECK(damaged.refused(i32(4, 13), "fastText format version 13; wembed reads versions 11 and 12"));
  CHECK(damaged.refused(i32(8, 0), "0 dimensions"));
  CHECK(damaged.refused(i32(8, 4), "columns"));
  CHECK(damaged.refused(i32(40, 0), "bucket 0"));
  CHECK(damaged.refused(i32(40, 8), "the input matrix has"));
  CHECK(damaged.refused(i32(64, 5), "5 entries"));
  std::string many = i32(64, 2000000000);
  std::memcpy(&many[68], &many[64], 4);  // as many words
  CHECK(damaged.refused(many, "entries do not fit the file"));
  std::string pruned = i64(84, 3);
  pruned.insert(quant, 24, '\0');  // three (i32, i32) pairs
  CHECK(damaged.refused(pruned, "pruned fastText model that is not quantized"));
  CHECK(damaged.refused(i64(84, -2), "pruned index"));
  CHECK(damaged.refused(i64(95, -1), "dictionary entry 1 ('ab') has a negative count"));
  CHECK(damaged.refused(with(103, "\1", 1), "dictionary entry 1 ('ab') has type 1"));
  CHECK(damaged.refused(with(entries, "\0", 1), "dictionary entry 1 is an empty word"));
  CHECK(damaged.refused(with(quant, "\1", 1), "quantized fastText model"));
  CHECK(damaged.refused(with(quant, "\7", 1), "not 0 or 1"));
  CHECK(damaged.refused(ok + "x", "1 unexpected bytes after the output matrix"));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(damaged.refused(with(quant + 1 + 16 + 12 + 4, &nan, 4), "own row 2 ('été') value 2 is not a finite number"));
  CHECK(damaged.refused(with(quant + 1 + 16 + 4 * 12 + 12, &nan, 4), "n-gram row 2 holds a value that is not a finite"));
  const float big = 3e38f;
  std::string huge = ok;
  for (int r = 0; r < 7; ++r) std::memcpy(&huge[quant + 1 + 16 + 4 * 12 + 12 * r], &big, 4);
  CHECK(damaged.refused(huge, "the mean of its own and n-gram rows is not a finite number"));
  // Version 11 reads the same; a supervised model of version 11 has no n-grams.
  testutil::writeFile(path, i32(4, 11));
  CHECK(sameMatrix(loadVectors(path).matrix, v.matrix));
  std::string sup = i32(4, 11);
  std::memcpy(&sup[36], "\3\0\0\0", 4);  // model: supervised
  testutil::writeFile(path, sup);
  const Vectors s = loadVectors(path);
  CHECK_FALSE(s.subwords);
  CHECK(sameMatrix(s.matrix, v.subwords->own));
  // Read as another format, it is named.
  CHECK(has(loadError(d.file("ok.bin"), VectorFormat::kWord2vecBinary), "this is a fastText model, not w2v-bin"));
}

TEST_CASE("fasttext: export keeps the subwords where the format can; info shows them") {
  TempDir d;
  auto r = testutil::runWembed("export " + q(kTiny) + " " + q(d.file("t.wev")), d);
  REQUIRE(r.status == 0);
  CHECK(has(r.err, "with counts, with subwords"));
  r = testutil::runWembed("info " + q(d.file("t.wev")), d);
  CHECK(has(r.out, "format: native (detected)"));
  CHECK(has(r.out, "subwords: minn 3, maxn 5, bucket 5000"));
  r = testutil::runWembed("export " + q(d.file("t.wev")) + " " + q(d.file("back.bin")) + " --format fasttext", d);
  REQUIRE(r.status == 0);
  CHECK(has(r.err, "wrote " + d.file("back.bin") + " and " + d.file("back.vec")));
  const Vectors a = loadVectors(kTiny), b = loadVectors(d.file("back.bin"));
  CHECK(b.words == a.words);
  CHECK(b.counts == a.counts);
  CHECK(sameMatrix(b.matrix, a.matrix));
  CHECK(sameSubwords(*b.subwords, *a.subwords));
  r = testutil::runWembed("export " + q(kTiny) + " " + q(d.file("t.txt")), d);
  CHECK(has(r.err, "the subwords are not kept by this format"));
  r = testutil::runWembed("info " + q(d.file("t.txt")), d);
  CHECK_FALSE(has(r.out, "subwords"));
  r = testutil::runWembed("info " + q(kDir + "sup.ftz"), d);
  testutil::checkError(r, "info", "quantized fastText model");
}
