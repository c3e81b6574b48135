// The native format's version 2: a model's subwords after the matrix,
// checksummed as the matrix; without subwords, version 1 as before.
#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "checksums.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Words, counts, composed vectors (any values: the format does not recompose) and subwords.
Vectors modelWithSubwords(int64_t rows = 3, int dim = 5, int64_t bucket = 11) {
  Vectors v;
  for (int64_t i = 0; i < rows; ++i) {
    v.words.push_back("w" + std::to_string(i));
    v.counts.push_back(rows - i);
  }
  v.matrix = Matrix(rows, dim);
  v.matrix.uniform(1.f, 1);
  auto s = std::make_shared<Subwords>();
  s->args = SubwordArgs{3, 6, bucket};
  s->settings = {7, 3, 2, 10, 2, 1, 1, 50, 1e-3, 123456789};
  s->own = Matrix(rows, dim);
  s->own.uniform(1.f, 2);
  s->buckets = Matrix(bucket, dim);
  s->buckets.uniform(1.f, 3);
  v.subwords = std::move(s);
  return v;
}

void checkSame(const Vectors& a, const Vectors& b) {
  CHECK(a.words == b.words);
  CHECK(a.counts == b.counts);
  CHECK(sameMatrix(a.matrix, b.matrix));
  REQUIRE(a.subwords);
  REQUIRE(b.subwords);
  const Subwords &x = *a.subwords, &y = *b.subwords;
  CHECK(x.args.minn == y.args.minn);
  CHECK(x.args.maxn == y.args.maxn);
  CHECK(x.args.bucket == y.args.bucket);
  CHECK(sameMatrix(x.own, y.own));
  CHECK(sameMatrix(x.buckets, y.buckets));
  CHECK(x.settings.window == y.settings.window);
  CHECK(x.settings.epochs == y.settings.epochs);
  CHECK(x.settings.min_count == y.settings.min_count);
  CHECK(x.settings.negative == y.settings.negative);
  CHECK(x.settings.word_ngrams == y.settings.word_ngrams);
  CHECK(x.settings.loss == y.settings.loss);
  CHECK(x.settings.model == y.settings.model);
  CHECK(x.settings.lr_update_rate == y.settings.lr_update_rate);
  CHECK(x.settings.sample == y.settings.sample);
  CHECK(x.settings.tokens == y.settings.tokens);
}

}  // namespace

TEST_CASE("native: version 2 keeps a model's subwords and settings; without them, version 1 as before") {
  TempDir d;
  const Vectors v = modelWithSubwords();
  saveVectors(d.file("s.wev"), v, VectorFormat::kNative);
  const std::string s = testutil::readFile(d.file("s.wev"));
  uint32_t version;
  uint64_t flags;
  std::memcpy(&version, s.data() + 8, 4);
  std::memcpy(&flags, s.data() + 32, 8);
  CHECK(version == 2);
  CHECK(flags == 3);  // counts, subwords
  // Layout: vocabulary 3 x (4 + 2) = 18 bytes, padded to 24, 3 counts: 48; matrix at 128, 60 bytes;
  // subword header at 192 (88 bytes), own rows at 320 (60 bytes), n-gram rows at 384 (11 x 20).
  REQUIRE(s.size() == 384 + 220);
  int32_t minn, maxn;
  int64_t bucket;
  std::memcpy(&minn, s.data() + 192, 4);
  std::memcpy(&maxn, s.data() + 196, 4);
  std::memcpy(&bucket, s.data() + 200, 8);
  CHECK(minn == 3);
  CHECK(maxn == 6);
  CHECK(bucket == 11);
  CHECK(std::memcmp(s.data() + 320, v.subwords->own.row(0), 20) == 0);
  CHECK(std::memcmp(s.data() + 384 + 200, v.subwords->buckets.row(10), 20) == 0);
  const Vectors back = loadVectors(d.file("s.wev"));
  checkSame(back, v);
  saveVectors(d.file("again.wev"), back, VectorFormat::kNative);
  CHECK(testutil::readFile(d.file("again.wev")) == s);
  // --limit: the first words and own rows, every n-gram row.
  const Vectors two = loadVectors(d.file("s.wev"), VectorFormat::kAuto, 2);
  CHECK(two.words == std::vector<std::string>{"w0", "w1"});
  CHECK(two.subwords->own.rows() == 2);
  CHECK(std::memcmp(two.subwords->own.row(1), v.subwords->own.row(1), 20) == 0);
  CHECK(sameMatrix(two.subwords->buckets, v.subwords->buckets));
  // Without subwords (or with subwords of no n-grams): version 1, the same bytes.
  saveVectors(d.file("plain.wev"), v.words, v.matrix, VectorFormat::kNative, &v.counts);
  Vectors none = modelWithSubwords();
  none.subwords->args.maxn = 0;
  saveVectors(d.file("none.wev"), none, VectorFormat::kNative);
  const std::string plain = testutil::readFile(d.file("plain.wev"));
  REQUIRE(plain.size() == 188);
  CHECK(plain[8] == 1);   // version
  CHECK(plain[32] == 1);  // flags: counts
  CHECK(plain.substr(12, 20) == s.substr(12, 20));  // dimensions, rows, vocabulary size
  CHECK(plain.substr(40, 16) == s.substr(40, 16));  // vocabulary and matrix checksums
  CHECK(plain.substr(64) == s.substr(64, 124));     // vocabulary and matrix
  CHECK(testutil::readFile(d.file("none.wev")) == plain);
  CHECK_FALSE(loadVectors(d.file("plain.wev")).subwords);
  // A model read from a fastText .bin goes through native and back.
  const Vectors ft = loadVectors(std::string(WEMBED_SOURCE_DIR) + "/tests/data/fasttext/tiny.bin");
  saveVectors(d.file("ft.wev"), ft, VectorFormat::kNative);
  checkSame(loadVectors(d.file("ft.wev")), ft);
}

TEST_CASE("native: a corrupted subword section is refused: checksums, sizes, flags") {
  TempDir d;
  const Vectors v = modelWithSubwords();
  saveVectors(d.file("ok.wev"), v, VectorFormat::kNative);
  const std::string ok = testutil::readFile(d.file("ok.wev"));
  const testutil::DamagedFile damaged{[](const std::string& p) { loadVectors(p); }, d.file("bad.wev")};
  const auto flip = [&](size_t at) {
    std::string s = ok;
    s[at] = static_cast<char>(s[at] ^ 0x10);
    return s;
  };
  CHECK(damaged.refused(flip(200), "subword header checksum mismatch"));
  CHECK(damaged.refused(flip(330), "own word rows checksum mismatch"));
  CHECK(damaged.refused(flip(ok.size() - 3), "n-gram rows checksum mismatch"));
  CHECK(damaged.refused(ok + "x", "1 unexpected bytes after the n-gram rows"));
  CHECK(damaged.refused(ok.substr(0, 200), "the file is cut"));
  CHECK(damaged.refused(ok.substr(0, ok.size() - 1), "the file is cut"));
  // Structure behind correct checksums.
  const auto fixed = [&](size_t at, const void* p, size_t n) {
    std::string s = ok;
    std::memcpy(&s[at], p, n);
    testutil::fixNativeChecksums(s);
    return s;
  };
  const uint32_t one = 1, two = 2, three = 3, four = 4;
  const uint64_t counts_only = 1;
  CHECK(damaged.refused(fixed(8, &one, 4), "version 1 with a subword section"));
  saveVectors(d.file("p.wev"), v.words, v.matrix, VectorFormat::kNative, &v.counts);
  std::string v2plain = testutil::readFile(d.file("p.wev"));
  std::memcpy(&v2plain[8], &two, 4);
  testutil::fixNativeChecksums(v2plain);
  CHECK(damaged.refused(v2plain, "version 2 without a subword section"));
  CHECK(damaged.refused(fixed(8, &four, 4), "native format version 4; this wembed reads versions 1 to 3"));
  CHECK(damaged.refused(fixed(8, &three, 4), "version 3 without a model section"));
  CHECK(damaged.refused(fixed(32, &counts_only, 8), "version 2 without a subword section"));
  const int32_t zero = 0;
  CHECK(damaged.refused(fixed(196, &zero, 4), "maxn 0"));
  const int64_t more = 12, huge = int64_t(1) << 30;
  CHECK(damaged.refused(fixed(200, &more, 8), "the file is cut"));
  CHECK(damaged.refused(fixed(200, &huge, 8), "do not fit"));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(damaged.refused(fixed(320 + 24, &nan, 4), "own row 2 ('w1') value 2 is not a finite number"));
  CHECK(damaged.refused(fixed(384 + 44, &nan, 4), "n-gram row 3 holds a value that is not a finite number"));
  // With a limit the rest of the own rows is not read (nor checked); the n-gram rows are.
  testutil::writeFile(d.file("m.wev"), flip(360));
  CHECK(loadVectors(d.file("m.wev"), VectorFormat::kAuto, 1).words == std::vector<std::string>{"w0"});
  CHECK(has(testutil::errorOf([&] { loadVectors(d.file("m.wev")); }), "own word rows checksum mismatch"));
}

TEST_CASE("native: version 3 keeps a full model (output rows and settings), with or without subwords") {
  TempDir d;
  ModelState m;
  m.settings = "model skipgram\nloss ns\n";
  m.output = Matrix(4, 5);
  m.output.uniform(1.f, 9);
  for (const bool sub : {false, true}) {
    INFO("subwords " << sub);
    Vectors v = modelWithSubwords();
    if (!sub) v.subwords.reset();
    {
      PendingFiles out;
      writeModelFile(out, d.file("m.model"), v, m.settings, m.output);  // native whatever the name
      out.commit();
    }
    const std::string s = testutil::readFile(d.file("m.model"));
    uint32_t version;
    uint64_t flags;
    std::memcpy(&version, s.data() + 8, 4);
    std::memcpy(&flags, s.data() + 32, 8);
    CHECK(version == 3);
    CHECK(flags == (sub ? 7u : 5u));
    const Vectors back = loadVectors(d.file("m.model"));
    CHECK(back.words == v.words);
    CHECK(back.counts == v.counts);
    CHECK(sameMatrix(back.matrix, v.matrix));
    CHECK(static_cast<bool>(back.subwords) == sub);
    if (sub) checkSame(back, v);
    REQUIRE(back.model);
    CHECK(back.model->settings == m.settings);
    CHECK(sameMatrix(back.model->output, m.output));
    // The model section ends the file: its rows are the last 4 x 5 floats.
    CHECK(std::memcmp(s.data() + s.size() - 20, m.output.row(3), 20) == 0);
    // With a limit: the first rows, no model.
    const Vectors two = loadVectors(d.file("m.model"), VectorFormat::kAuto, 2);
    CHECK(two.words.size() == 2);
    CHECK_FALSE(two.model);
    // Damage in the model section is refused.
    const testutil::DamagedFile damaged{[](const std::string& p) { loadVectors(p); }, d.file("bad.wev")};
    const auto flip = [&](size_t at) {
      std::string t = s;
      t[at] = static_cast<char>(t[at] ^ 0x10);
      return t;
    };
    CHECK(damaged.refused(flip(s.size() - 3), "output rows checksum mismatch"));
    CHECK(damaged.refused(flip(s.size() - 80 - 64 - 10), "model header checksum mismatch"));
    CHECK(damaged.refused(s.substr(0, s.size() - 1), "the file is cut"));
    CHECK(damaged.refused(s + "x", "1 unexpected bytes after the output rows"));
  }
}
