#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/core/matrix.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

const std::vector<std::string> kWords = {"the", "naïve", "日本", "x", "</s>"};

// Rows full of values that are hard to print exactly.
Matrix trickyMatrix(int rows, int cols) {
  Matrix m(rows, cols);
  const float specials[] = {0.1f,  -0.0f, 1e-30f, -3.4028235e38f, 1.4e-45f /* denormal */, 1.f / 3.f,
                            16777217.f, 2.5e-8f, 0.f, 123456.789f, -1.17549435e-38f, 0.2f};
  m.uniform(1.f, 99);
  int k = 0;
  for (int64_t r = 0; r < rows; ++r)
    for (int c = 0; c < cols; c += 2) m.row(r)[c] = specials[k++ % 12];
  return m;
}

std::string errorOf(const std::string& path, VectorFormat f = VectorFormat::kAuto) {
  return testutil::errorOf([&] { loadWord2vec(path, f); });
}

}  // namespace

TEST_CASE("vectors: binary and text round trips are exact") {
  TempDir d;
  const Matrix m = trickyMatrix(5, 7);
  for (bool binary : {true, false}) {
    CAPTURE(binary);
    const std::string p = d.file(binary ? "v.bin" : "v.txt");
    saveWord2vec(p, kWords, m, binary);
    for (VectorFormat f : {VectorFormat::kAuto, binary ? VectorFormat::kWord2vecBinary : VectorFormat::kWord2vecText}) {
      Vectors v = loadWord2vec(p, f);
      CHECK(v.words == kWords);
      CHECK(v.matrix.rows() == 5);
      CHECK(v.matrix.cols() == 7);
      CHECK(sameMatrix(v.matrix, m));
      // Loaded rows are zero-padded to the stride.
      bool pad = true;
      for (int64_t r = 0; r < v.matrix.rows(); ++r)
        for (int c = v.matrix.cols(); c < v.matrix.stride(); ++c) pad &= v.matrix.row(r)[c] == 0.f;
      CHECK(pad);
    }
  }
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("vectors: known file layouts") {
  TempDir d;
  Matrix m(2, 2);
  m.row(0)[0] = 1.f;
  m.row(0)[1] = -0.5f;
  m.row(1)[0] = 0.1f;
  m.row(1)[1] = 3e-7f;
  saveWord2vec(d.file("v.txt"), {"a", "b"}, m, false);
  CHECK(testutil::readFile(d.file("v.txt")) == "2 2\na 1 -0.5\nb 0.1 3e-07\n");
  saveWord2vec(d.file("v.bin"), {"a", "b"}, m, true);
  std::string expect = "2 2\na ";
  expect.append(reinterpret_cast<const char*>(m.row(0)), 8);
  expect += "\nb ";
  expect.append(reinterpret_cast<const char*>(m.row(1)), 8);
  expect += "\n";
  CHECK(testutil::readFile(d.file("v.bin")) == expect);
}

TEST_CASE("vectors: format auto-detection and foreign files") {
  TempDir d;
  // A hand-written text file (CRLF, several spaces) is read as text.
  testutil::writeFile(d.file("hand.txt"), "2 3\r\nfoo 1 2 3\r\nbar  -1.5e2 0 7 \r\n");
  Vectors t = loadWord2vec(d.file("hand.txt"));
  CHECK(t.words == std::vector<std::string>{"foo", "bar"});
  CHECK(t.matrix.row(0)[2] == 3.f);
  CHECK(t.matrix.row(1)[0] == -150.f);
  // A binary file without newlines after the rows (as gensim writes) is still read.
  std::string bin = "2 2\n";
  const float vals[4] = {1.f, 2.f, -3.f, 0.25f};
  bin += "p ";
  bin.append(reinterpret_cast<const char*>(vals), 8);
  bin += "q ";
  bin.append(reinterpret_cast<const char*>(vals + 2), 8);
  testutil::writeFile(d.file("gensim.bin"), bin);
  Vectors b = loadWord2vec(d.file("gensim.bin"));
  CHECK(b.words == std::vector<std::string>{"p", "q"});
  CHECK(b.matrix.row(1)[0] == -3.f);
  CHECK(b.matrix.row(1)[1] == 0.25f);
  // The same data saved by us in binary is auto-detected as binary, even with a file name ending .txt.
  Matrix m(3, 4);
  m.uniform(1.f, 5);
  saveWord2vec(d.file("binary-named.txt"), {"a", "b", "c"}, m, true);
  CHECK(sameMatrix(loadWord2vec(d.file("binary-named.txt")).matrix, m));
  saveWord2vec(d.file("text-named.bin"), {"a", "b", "c"}, m, false);
  CHECK(sameMatrix(loadWord2vec(d.file("text-named.bin")).matrix, m));
  // A binary file whose first row's bytes happen to start with "1\n" (so its
  // first line reads "a 1") is still binary.
  {
    Matrix t(2, 3);
    const unsigned char bytes[4] = {'1', '\n', ' ', 0x3F};
    std::memcpy(&t.row(0)[0], bytes, 4);
    t.row(0)[1] = 1.f;
    t.row(0)[2] = -2.f;
    t.row(1)[0] = 0.5f;
    saveWord2vec(d.file("tricky.bin"), {"a", "b"}, t, true);
    Vectors tv = loadWord2vec(d.file("tricky.bin"));
    CHECK(tv.words == std::vector<std::string>{"a", "b"});
    CHECK(sameMatrix(tv.matrix, t));
  }
  // Zero rows.
  testutil::writeFile(d.file("none.txt"), "0 5\n");
  Vectors z = loadWord2vec(d.file("none.txt"));
  CHECK(z.words.empty());
  CHECK(z.matrix.rows() == 0);
}

TEST_CASE("vectors: malformed files throw wembed::Error") {
  TempDir d;
  auto bad = [&](const std::string& content, VectorFormat f = VectorFormat::kAuto) {
    const std::string p = d.file("bad.vec");
    testutil::writeFile(p, content);
    return errorOf(p, f);
  };
  // Missing file, directory.
  CHECK(errorOf(d.file("missing.txt")) != "");
  CHECK(errorOf(d.path()) != "");
  // Zero-length file.
  CHECK(bad("") != "");
  // Bad headers.
  CHECK(bad("hello\nfoo 1 2\n") != "");
  CHECK(bad("2\nfoo 1 2\n") != "");
  CHECK(bad("2 x\nfoo 1 2\n") != "");
  CHECK(bad("-1 2\n") != "");
  CHECK(bad("1 0\nfoo\n") != "");
  CHECK(bad("1 2 3\nfoo 1 2\n", VectorFormat::kWord2vecText) != "");  // (auto: a GloVe file, word "1")
  CHECK(bad("\n") != "");
  // Header says more rows than present.
  CHECK(bad("3 2\na 1 2\nb 3 4\n") != "");
  CHECK(bad("3 2\na 1 2\nb 3 4\n", VectorFormat::kWord2vecText) != "");
  CHECK(bad("1000000 2\na 1 2\n") != "");
  // A header promising far more values than the file holds is refused before
  // allocating (here 10^6 x 50000 floats = 200 GB for a 2 MB file).
  CHECK(bad("1000000 50000\n" + std::string(2100000, '1')) != "");
  CHECK(bad("1000 1000\n" + std::string(10000, '1')) != "");
  // Text rows with the wrong number of values (second row, so the first row says "text").
  CHECK(bad("2 3\na 1 2 3\nb 1 2\n") != "");
  CHECK(bad("2 3\na 1 2 3\nb 1 2 3 4\n") != "");
  CHECK(bad("2 3\na 1 2 3\nb\n") != "");
  // ... and in the first row with an explicit text format.
  CHECK(bad("2 3\na 1 2\nb 1 2 3\n", VectorFormat::kWord2vecText) != "");
  CHECK(bad("2 3\na 1 2 3 4\nb 1 2 3\n", VectorFormat::kWord2vecText) != "");
  // Not a number.
  CHECK(bad("2 3\na 1 2 3\nb 1 x 3\n") != "");
  CHECK(bad("2 3\na 1 2 3\nb 1 2.5q 3\n") != "");
  CHECK(bad("1 3\na 1 two 3\n", VectorFormat::kWord2vecText) != "");
  // The message names the file.
  CHECK(bad("2 3\na 1 2 3\nb 1 2\n").find("bad.vec") != std::string::npos);

  // Binary files truncated in the middle of a row, and with fewer rows than the header says.
  Matrix m(3, 8);
  m.uniform(1.f, 1);
  saveWord2vec(d.file("ok.bin"), {"one", "two", "three"}, m, true);
  const std::string full = testutil::readFile(d.file("ok.bin"));
  for (size_t cut : {size_t(2), size_t(5), size_t(20), size_t(32), size_t(33), full.size() / 2}) {
    CAPTURE(cut);
    testutil::writeFile(d.file("cut.bin"), full.substr(0, full.size() - cut));
    CHECK(errorOf(d.file("cut.bin")) != "");
    CHECK(errorOf(d.file("cut.bin"), VectorFormat::kWord2vecBinary) != "");
  }
  // Cutting only the final newline still leaves every value: that file is fine.
  testutil::writeFile(d.file("nonl.bin"), full.substr(0, full.size() - 1));
  CHECK(errorOf(d.file("nonl.bin")) == "");
  std::string more = full;
  more[0] = '4';  // header says 4 rows, 3 present
  testutil::writeFile(d.file("more.bin"), more);
  CHECK(errorOf(d.file("more.bin")) != "");
}

TEST_CASE("vectors: a text file whose first row is malformed is not loaded as binary garbage") {
  TempDir d;
  // Auto-detection sees a first row that does not hold D numbers; it must not
  // silently read the text as binary floats.
  for (const std::string& content : {std::string("2 3\na 1 2\nb 4 5 6\n"), std::string("2 3\na 1 2 3 4 5 6 7 8\nb 4 5 6\n"),
                                    std::string("1 4\nw 1 2 x 4\n"), std::string("2 2\nw 1\nv 0 1 2 3 4 5 6 7 8 9\n")}) {
    CAPTURE(content);
    testutil::writeFile(d.file("t.txt"), content);
    CHECK(errorOf(d.file("t.txt")) != "");
  }
}

TEST_CASE("vectors: detection names the real problem (byte-order mark, a bad row 1, hex floats, a bad header)") {
  TempDir d;
  auto read = [&](const std::string& content) {
    testutil::writeFile(d.file("t.txt"), content);
    return loadVectors(d.file("t.txt"));
  };
  auto errorFor = [&](const std::string& content) {
    testutil::writeFile(d.file("t.txt"), content);
    return errorOf(d.file("t.txt"));
  };
  // A UTF-8 byte-order mark (Windows editors) is skipped, before a header or a GloVe row.
  for (const char* body : {"2 3\na 1 2 3\nb 4 5 6\n", "a 1 2 3\nb 4 5 6\n"}) {
    const Vectors v = read(std::string("\xEF\xBB\xBF") + body);
    REQUIRE(v.words.size() == 2);
    CHECK(v.words[0] == "a");
    CHECK(v.matrix.row(1)[2] == 6.0f);
  }
  // A text row 1 with a word where a number should be is text, not a binary file cut short.
  CHECK(errorFor("2 3\na 1 x 3\nb 4 5 6\n") == "bad vector file '" + d.file("t.txt") +
                                                                  "': line 2 ('a') value 2 'x' is not a number");
  // Hexadecimal floats are refused wherever they are (as gensim and Python's float() do).
  for (const char* content : {"2 3\na 0x1p-2 2 3\nb 4 5 6\n", "2 3\na 1 2 3\nb 4 -0X1.8P+1 6\n", "a 1 0x1p-2 3\nb 4 5 6\n"})
    CHECK(errorFor(content).find("is a hexadecimal float") != std::string::npos);
  // "word n" above rows of three numbers is a bad header, not GloVe of dimension 1 ...
  CHECK(errorFor("abc 3\na 1 2 3\nb 4 5 6\n").find("line 1 'abc 3' is not a valid 'rows dimensions' header") !=
        std::string::npos);
  CHECK(errorFor("2 x3\na 1 2 3\nb 4 5 6\n").find("line 1 '2 x3' is not a valid") != std::string::npos);
  // ... which still reads when the rows below are of dimension 1 too.
  CHECK(read("a 1\nb 2\n").matrix.cols() == 1);
  // A header of a million digits: one short line naming the field.
  const std::string e = errorFor(std::string(1000000, '9') + " 3\na 1 2 3\n");
  CHECK(e.find("line 1 (header) says '999") != std::string::npos);
  CHECK(e.size() < 200);
}

TEST_CASE("vectors: saving is atomic") {
  TempDir d;
  Matrix m(2, 3);
  m.uniform(1.f, 2);
  // Into a missing directory: Error, and nothing is created.
  const std::string missing = d.file("no/such/dir/v.bin");
  CHECK_THROWS_AS(saveWord2vec(missing, {"a", "b"}, m, true), Error);
  CHECK_FALSE(std::filesystem::exists(d.file("no")));
  CHECK(testutil::listDir(d.path()).empty());
  // Onto a directory: Error, directory untouched.
  std::filesystem::create_directory(d.file("adir"));
  CHECK_THROWS_AS(saveWord2vec(d.file("adir"), {"a", "b"}, m, false), Error);
  CHECK(std::filesystem::is_directory(d.file("adir")));
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"adir"});
  // A successful save leaves exactly the output, no *.tmp.* file, and replaces an older file.
  testutil::writeFile(d.file("v.txt"), "old contents");
  saveWord2vec(d.file("v.txt"), {"a", "b"}, m, false);
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"adir", "v.txt"});
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
  CHECK(sameMatrix(loadWord2vec(d.file("v.txt")).matrix, m));
  // Relative path in the current directory.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(d.path());
  saveWord2vec("rel.bin", {"a", "b"}, m, true);
  std::filesystem::current_path(cwd);
  CHECK(sameMatrix(loadWord2vec(d.file("rel.bin")).matrix, m));
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("vectors: NaN and Inf are never written or read") {
  TempDir d;
  Matrix m(3, 2);
  m.uniform(1.f, 3);
  m.row(1)[1] = std::numeric_limits<float>::quiet_NaN();
  for (bool binary : {false, true}) {
    testutil::writeFile(d.file("v"), "old");
    CHECK_THROWS_WITH_AS(saveWord2vec(d.file("v"), {"a", "b", "c"}, m, binary),
                         doctest::Contains("the vector of 'b' (row 2) holds NaN or Inf"), Error);
    CHECK(testutil::readFile(d.file("v")) == "old");  // untouched, no temporary file left
    CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"v"});
  }
  // Every other format: refused before anything is written (tsv: not even its directory).
  for (VectorFormat f : {VectorFormat::kGlove, VectorFormat::kNative, VectorFormat::kNpy, VectorFormat::kTsv}) {
    CAPTURE(toString(f));
    CHECK_THROWS_WITH_AS(saveVectors(d.file("out.npy"), {"a", "b", "c"}, m, f), doctest::Contains("row 2"), Error);
    CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"v"});
  }
  m.row(1)[1] = std::numeric_limits<float>::infinity();
  CHECK_THROWS_AS(saveWord2vec(d.file("v"), {"a", "b", "c"}, m, true), Error);
  // A native file holding a NaN (with valid checksums) is refused too.
  {
    Matrix ok(3, 2);
    ok.uniform(1.f, 3);
    saveVectors(d.file("n.wev"), {"a", "b", "c"}, ok, VectorFormat::kNative);
    std::string s = testutil::readFile(d.file("n.wev"));
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(&s[s.size() - 4], &nan, 4);  // row 3, value 2
    testutil::fixNativeChecksums(s);
    testutil::writeFile(d.file("n.wev"), s);
    CHECK_THROWS_WITH_AS(loadVectors(d.file("n.wev")), doctest::Contains("row 3 ('c') value 2 is not a finite number"),
                         Error);
  }
  // Reading: the row and the offending text are named.
  testutil::writeFile(d.file("nan.txt"), "2 2\na 1 2\nb 3 nan\n");
  CHECK_THROWS_WITH_AS(loadWord2vec(d.file("nan.txt")),
                       doctest::Contains("line 3 ('b') value 2 'nan' is not a finite number"), Error);
  testutil::writeFile(d.file("big.txt"), "2 2\na 1 2\nb 3 1e39\n");  // overflows float
  CHECK_THROWS_WITH_AS(loadWord2vec(d.file("big.txt")), doctest::Contains("'1e39'"), Error);
  std::string bin = "1 2\nx ";
  const float vals[2] = {1.f, -std::numeric_limits<float>::infinity()};
  bin.append(reinterpret_cast<const char*>(vals), sizeof vals);
  testutil::writeFile(d.file("inf.bin"), bin);
  CHECK_THROWS_WITH_AS(loadWord2vec(d.file("inf.bin")), doctest::Contains("row 1 ('x') value 2 is not a finite number (-inf)"), Error);
}

TEST_CASE("vectors: a header that does not match the data is an error") {
  TempDir d;
  Matrix m(3, 2);
  m.uniform(1.f, 4);
  saveWord2vec(d.file("v.txt"), {"a", "b", "c"}, m, false);
  saveWord2vec(d.file("v.bin"), {"a", "b", "c"}, m, true);
  for (const char* name : {"v.txt", "v.bin"}) {
    INFO(name);
    std::string s = testutil::readFile(d.file(name));
    // Fewer rows claimed than held.
    testutil::writeFile(d.file("fewer"), "2 2" + s.substr(3));
    CHECK_THROWS_WITH_AS(loadWord2vec(d.file("fewer")), doctest::Contains("2 rows"), Error);
    // More rows claimed than held.
    testutil::writeFile(d.file("more"), "4 2" + s.substr(3));
    CHECK_THROWS_AS(loadWord2vec(d.file("more")), Error);
    // Trailing blank lines are fine.
    testutil::writeFile(d.file("blank"), s + "\n\n");
    CHECK(loadWord2vec(d.file("blank")).words.size() == 3);
  }
  // A header far beyond the file size is refused before allocating.
  testutil::writeFile(d.file("lie.txt"), "1000000000 1\na 1\n");
  CHECK_THROWS_WITH_AS(loadWord2vec(d.file("lie.txt")), doctest::Contains("header says 1000000000 rows but the file ends after 1 row"),
                       Error);
  // Many short lines under a wide header (or a wide first GloVe row): the
  // first short line is reported before the rows x dims matrix is allocated
  // (200,000 x 100,000 floats would be 80 GB).
  {
    std::string t = "200000 100000\n", g = "a";
    for (int i = 0; i < 50000; ++i) g += " 1";
    g += "\n";
    for (int i = 0; i < 200000; ++i) {
      t += "a 1\n";
      g += "b 1\n";
    }
    testutil::writeFile(d.file("wide.txt"), t);
    CHECK_THROWS_WITH_AS(loadWord2vec(d.file("wide.txt"), VectorFormat::kWord2vecText),
                         doctest::Contains("line 2 ('a') has 1 value, expected 100000"), Error);
    testutil::writeFile(d.file("wide.glove"), g);
    CHECK_THROWS_WITH_AS(loadVectors(d.file("wide.glove")), doctest::Contains("line 2 ('b') has 1 value, expected 50000"), Error);
  }
  // A 100 KB line of garbage: one short error naming the line.
  testutil::writeFile(d.file("long.txt"), "1 2\n" + std::string(100000, 'x') + "\n");
  CHECK_THROWS_WITH_AS(loadWord2vec(d.file("long.txt"), VectorFormat::kWord2vecText),
                       doctest::Contains("line 2 ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (100000 bytes)) has 0 values, expected 2"), Error);
}

// --- loadVectors / saveVectors: every format ------------------------------------

namespace {

std::string loadError(const std::string& path, VectorFormat f = VectorFormat::kAuto, int64_t limit = 0) {
  return testutil::errorOf([&] { loadVectors(path, f, limit); });
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

Matrix firstRows(const Matrix& m, int64_t n) {
  Matrix out(n, m.cols());
  for (int64_t r = 0; r < n; ++r) std::memcpy(out.row(r), m.row(r), sizeof(float) * m.cols());
  return out;
}

const std::vector<int64_t> kCounts = {50, 40, 30, 7, 1};

}  // namespace

TEST_CASE("vectors: every format round-trips exactly, the native one with counts") {
  TempDir d;
  const Matrix m = trickyMatrix(5, 7);
  struct Case {
    VectorFormat f;
    const char* name;
  };
  for (const Case& c : {Case{VectorFormat::kWord2vecBinary, "v.bin"}, Case{VectorFormat::kWord2vecText, "v.txt"},
                        Case{VectorFormat::kGlove, "v.glove"}, Case{VectorFormat::kNative, "v.wev"}}) {
    CAPTURE(c.name);
    saveVectors(d.file(c.name), kWords, m, c.f, &kCounts);
    CHECK((detectVectorFormat(d.file(c.name)) == c.f));
    for (VectorFormat f : {VectorFormat::kAuto, c.f}) {
      Vectors v = loadVectors(d.file(c.name), f);
      CHECK(v.words == kWords);
      CHECK(sameMatrix(v.matrix, m));
      if (c.f == VectorFormat::kNative) CHECK(v.counts == kCounts);
      else CHECK(v.counts.empty());
    }
  }
  // Native without counts, and words no text format can hold.
  const std::vector<std::string> odd = {"a b", "tab\there", "new\nline", "", "\xff\xfe"};
  saveVectors(d.file("odd.wev"), odd, m, VectorFormat::kNative);
  Vectors v = loadVectors(d.file("odd.wev"));
  CHECK(v.words == odd);
  CHECK(v.counts.empty());
  CHECK(sameMatrix(v.matrix, m));
  // The Vectors overload; zero rows.
  saveVectors(d.file("again.wev"), v, VectorFormat::kNative);
  CHECK(testutil::readFile(d.file("again.wev")) == testutil::readFile(d.file("odd.wev")));
  Matrix none(0, 3);
  for (VectorFormat f : {VectorFormat::kWord2vecBinary, VectorFormat::kWord2vecText, VectorFormat::kNative}) {
    saveVectors(d.file("none"), {}, none, f);
    Vectors z = loadVectors(d.file("none"), f);
    CHECK(z.words.empty());
    CHECK(z.matrix.rows() == 0);
  }
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("vectors: the native file layout") {
  TempDir d;
  Matrix m(2, 3);
  for (int j = 0; j < 3; ++j) {
    m.row(0)[j] = static_cast<float>(j + 1);
    m.row(1)[j] = -static_cast<float>(j + 1);
  }
  const std::vector<int64_t> counts = {9, 4};
  saveVectors(d.file("v.wev"), {"ab", "c"}, m, VectorFormat::kNative, &counts);
  const std::string s = testutil::readFile(d.file("v.wev"));
  CHECK(s.substr(0, 8) == std::string("WEMBEDV\x1a", 8));
  auto u32 = [&](size_t off) { uint32_t x; std::memcpy(&x, s.data() + off, 4); return x; };
  auto u64 = [&](size_t off) { uint64_t x; std::memcpy(&x, s.data() + off, 8); return x; };
  CHECK(u32(8) == 1);   // version
  CHECK(u32(12) == 3);  // dim
  CHECK(u64(16) == 2);  // rows
  // vocabulary: 4+2, 4+1 bytes of words, pad to 16, 2 counts = 32 bytes
  CHECK(u64(24) == 32);
  CHECK(u64(32) == 1);  // flags: counts
  CHECK(u32(64) == 2);
  CHECK(s.substr(68, 2) == "ab");
  CHECK(u32(70) == 1);
  CHECK(s.substr(74, 1) == "c");
  CHECK(u64(64 + 16) == 9);
  CHECK(u64(64 + 24) == 4);
  // Matrix at 128 (next multiple of 64), 2 x 3 float32, and nothing after it.
  REQUIRE(s.size() == 128 + 24);
  float x[6];
  std::memcpy(x, s.data() + 128, 24);
  CHECK(x[0] == 1.f);
  CHECK(x[5] == -3.f);
}

TEST_CASE("vectors: npy and tsv exports") {
  TempDir d;
  Matrix m(2, 3);
  m.row(0)[0] = 0.5f;
  m.row(0)[1] = -1.f;
  m.row(0)[2] = 0.1f;
  m.row(1)[2] = 3.f;
  saveVectors(d.file("emb.npy"), {"x", "y z"}, m, VectorFormat::kNpy);
  const std::string npy = testutil::readFile(d.file("emb.npy"));
  REQUIRE(npy.size() == 128 + 24);
  CHECK(npy.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  const uint16_t hl = static_cast<uint16_t>(static_cast<unsigned char>(npy[8]) | (static_cast<unsigned char>(npy[9]) << 8));
  CHECK(hl == 118);  // 10 + 118 = 128, a multiple of 64
  CHECK(has(npy.substr(10, hl), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
  CHECK(npy[10 + hl - 1] == '\n');
  float x[6];
  std::memcpy(x, npy.data() + 128, 24);
  CHECK(x[0] == 0.5f);
  CHECK(x[2] == 0.1f);
  CHECK(x[5] == 3.f);
  CHECK(testutil::readFile(d.file("emb.vocab.txt")) == "x\ny z\n");
  CHECK(outputPaths(d.file("emb.npy"), VectorFormat::kNpy) ==
        std::vector<std::string>{d.file("emb.npy"), d.file("emb.vocab.txt")});
  CHECK(outputPaths(d.file("emb.npy"), VectorFormat::kAuto).size() == 2);

  // tsv: a directory (created) with vectors.tsv and metadata.tsv.
  saveVectors(d.file("proj"), {"x", "y z"}, m, VectorFormat::kTsv);
  CHECK(testutil::readFile(d.file("proj/vectors.tsv")) == "0.5\t-1\t0.1\n0\t0\t3\n");
  CHECK(testutil::readFile(d.file("proj/metadata.tsv")) == "x\ny z\n");
  const std::vector<int64_t> counts = {3, 1};
  saveVectors(d.file("proj"), {"x", "y z"}, m, VectorFormat::kTsv, &counts);  // into the existing directory
  CHECK(testutil::readFile(d.file("proj/metadata.tsv")) == "word\tcount\nx\t3\ny z\t1\n");
  CHECK(testutil::listDir(d.file("proj")) == std::vector<std::string>{"metadata.tsv", "vectors.tsv"});
  // tsv onto a file is refused.
  testutil::writeFile(d.file("afile"), "x");
  CHECK_THROWS_AS(saveVectors(d.file("afile"), {"x", "y"}, m, VectorFormat::kTsv), Error);
  // npy reads back (with its vocabulary), tsv does not.
  const Vectors back = loadVectors(d.file("emb.npy"));
  CHECK(back.words == std::vector<std::string>{"x", "y z"});
  CHECK(sameMatrix(back.matrix, m));
  CHECK(has(loadError(d.file("proj/vectors.tsv"), VectorFormat::kTsv), "writes that format"));
}

TEST_CASE("vectors: words a format cannot hold are refused on export, naming the row") {
  TempDir d;
  Matrix m(3, 2);
  const std::vector<std::string> space = {"ok", "new york", "fine"};
  for (VectorFormat f : {VectorFormat::kWord2vecBinary, VectorFormat::kWord2vecText, VectorFormat::kGlove}) {
    CAPTURE(toString(f));
    const std::string err = testutil::errorOf([&] { saveVectors(d.file("out"), space, m, f); });
    CHECK(has(err, d.file("out")));
    CHECK(has(err, "row 2"));
    CHECK(has(err, "'new york'"));
    CHECK(has(err, "a space"));
    CHECK_THROWS_AS(saveVectors(d.file("out"), {"ok", "", "x"}, m, f), Error);
    CHECK_THROWS_AS(saveVectors(d.file("out"), {"ok", "t\tb", "x"}, m, f), Error);
  }
  CHECK_THROWS_AS(saveVectors(d.file("t"), {"ok", "t\tb", "x"}, m, VectorFormat::kTsv), Error);
  CHECK_THROWS_AS(saveVectors(d.file("t"), {"ok", "a\nb", "x"}, m, VectorFormat::kTsv), Error);
  CHECK_THROWS_AS(saveVectors(d.file("n.npy"), {"ok", "a\nb", "x"}, m, VectorFormat::kNpy), Error);
  // Nothing was written.
  CHECK(testutil::listDir(d.path()).empty());
  // Spaces are fine in tsv metadata, npy vocabularies and native files.
  CHECK_NOTHROW(saveVectors(d.file("t"), space, m, VectorFormat::kTsv));
  CHECK_NOTHROW(saveVectors(d.file("n.npy"), space, m, VectorFormat::kNpy));
  CHECK_NOTHROW(saveVectors(d.file("n.wev"), space, m, VectorFormat::kNative));
  // Words and rows must agree.
  CHECK_THROWS_AS(saveVectors(d.file("x.bin"), {"a"}, m, VectorFormat::kWord2vecBinary), Error);
  const std::vector<int64_t> two = {1, 2};
  CHECK_THROWS_AS(saveVectors(d.file("x.wev"), space, m, VectorFormat::kNative, &two), Error);
}

TEST_CASE("vectors: GloVe files (no header) are detected and read") {
  TempDir d;
  testutil::writeFile(d.file("g.txt"), "the 0.1 -0.2 0.3\r\n, 1e-3 2 3\nnaïve 1 2 3\n\n");
  CHECK((detectVectorFormat(d.file("g.txt")) == VectorFormat::kGlove));
  Vectors g = loadVectors(d.file("g.txt"));
  CHECK(g.words == std::vector<std::string>{"the", ",", "naïve"});
  CHECK(g.matrix.cols() == 3);
  CHECK(g.matrix.row(0)[1] == -0.2f);
  CHECK(g.matrix.row(1)[0] == 1e-3f);
  // A one-dimensional GloVe file whose first word is a number, and a first line of 3 integers.
  testutil::writeFile(d.file("g1.txt"), "7 0.5\n8 0.25\n");
  CHECK(loadVectors(d.file("g1.txt")).words == std::vector<std::string>{"7", "8"});
  testutil::writeFile(d.file("g2.txt"), "1 2 3\n4 5 6\n");
  CHECK((detectVectorFormat(d.file("g2.txt")) == VectorFormat::kGlove));
  CHECK(loadVectors(d.file("g2.txt")).matrix.row(1)[1] == 6.f);
  // A word2vec text file forced as GloVe reads its header as a row and fails on line 2.
  testutil::writeFile(d.file("w.txt"), "2 3\na 1 2 3\nb 4 5 6\n");
  CHECK((detectVectorFormat(d.file("w.txt")) == VectorFormat::kWord2vecText));
  CHECK(has(loadError(d.file("w.txt"), VectorFormat::kGlove), "line 2"));
  // ... and a GloVe file forced as word2vec text says how to read it.
  CHECK(has(loadError(d.file("g.txt"), VectorFormat::kWord2vecText), "--format glove"));
  // fastText .vec: header, then rows ending in a space.
  testutil::writeFile(d.file("ft.vec"), "2 2\nthe 0.5 1 \n</s> -1 0.25 \n");
  Vectors ft = loadVectors(d.file("ft.vec"));
  CHECK(ft.words == std::vector<std::string>{"the", "</s>"});
  CHECK(ft.matrix.row(1)[1] == 0.25f);
}

TEST_CASE("vectors: --limit reads only the first rows of every format") {
  TempDir d;
  Matrix m(6, 5);
  m.uniform(1.f, 3);
  const std::vector<std::string> w = {"a", "b", "c", "d", "e", "f"};
  const std::vector<int64_t> c = {6, 5, 4, 3, 2, 1};
  for (VectorFormat f : {VectorFormat::kWord2vecBinary, VectorFormat::kWord2vecText, VectorFormat::kGlove,
                         VectorFormat::kNative}) {
    CAPTURE(toString(f));
    saveVectors(d.file("v"), w, m, f, &c);
    for (int64_t limit : {1, 3, 6, 100}) {
      CAPTURE(limit);
      Vectors v = loadVectors(d.file("v"), VectorFormat::kAuto, limit);
      const int64_t n = std::min<int64_t>(limit, 6);
      CHECK(v.words == std::vector<std::string>(w.begin(), w.begin() + n));
      CHECK(sameMatrix(v.matrix, firstRows(m, n)));
      if (f == VectorFormat::kNative) CHECK(v.counts == std::vector<int64_t>(c.begin(), c.begin() + n));
    }
  }
  // Rows after the limit are never read: malformed ones do not matter.
  testutil::writeFile(d.file("t.txt"), "4 2\na 1 2\nb 3 4\nc x y\nd\n");
  CHECK(loadVectors(d.file("t.txt"), VectorFormat::kAuto, 2).words == std::vector<std::string>{"a", "b"});
  CHECK(has(loadError(d.file("t.txt")), "line 4"));
  testutil::writeFile(d.file("g.txt"), "a 1 2\nb 3 4\nc 5\n");
  CHECK(loadVectors(d.file("g.txt"), VectorFormat::kAuto, 2).matrix.rows() == 2);
  CHECK(has(loadError(d.file("g.txt")), "line 3"));
  // A file shorter than the limit and than its header is still an error.
  testutil::writeFile(d.file("short.txt"), "5 2\na 1 2\nb 3 4\n");
  CHECK(has(loadError(d.file("short.txt"), VectorFormat::kAuto, 3), "header says 5 rows"));
  CHECK(loadError(d.file("short.txt"), VectorFormat::kAuto, 2) == "");
  CHECK_THROWS_AS(loadVectors(d.file("short.txt"), VectorFormat::kAuto, -1), Error);
}

TEST_CASE("vectors: large text files are parsed in parallel chunks, in order") {
  TempDir d;
  // ~2.5 MB of text: several chunks.
  const int64_t rows = 20000;
  Matrix m(rows, 12);
  m.uniform(1.f, 11);
  std::vector<std::string> w;
  for (int64_t i = 0; i < rows; ++i) w.push_back("w" + std::to_string(i));
  saveVectors(d.file("big.txt"), w, m, VectorFormat::kWord2vecText);
  saveVectors(d.file("big.glove"), w, m, VectorFormat::kGlove);
  for (const char* f : {"big.txt", "big.glove"}) {
    Vectors v = loadVectors(d.file(f));
    CHECK(v.words == w);
    CHECK(sameMatrix(v.matrix, m));
  }
  // Two bad rows far apart: the first one is reported, with its line number.
  std::string text = testutil::readFile(d.file("big.txt"));
  auto breakRow = [&](std::string& t, int64_t row, const std::string& with) {
    const std::string key = "\nw" + std::to_string(row) + " ";
    const size_t p = t.find(key);
    REQUIRE(p != std::string::npos);
    const size_t e = t.find('\n', p + 1);
    t.replace(p + 1, e - p - 1, with);
  };
  breakRow(text, 17000, "late 1 2");
  breakRow(text, 4321, "early 1 2 3 4 5 6 7 8 9 10 11 oops");
  testutil::writeFile(d.file("bad.txt"), text);
  const std::string err = loadError(d.file("bad.txt"));
  CHECK(has(err, "line 4323 ('early') value 12 'oops' is not a number"));
}

TEST_CASE("vectors: every malformed file gives one clear error naming the file and the line or row") {
  TempDir d;
  auto bad = [&](const std::string& name, const std::string& content, VectorFormat f = VectorFormat::kAuto) {
    testutil::writeFile(d.file(name), content);
    const std::string e = loadError(d.file(name), f);
    CHECK(has(e, d.file(name)));
    CHECK(e.find('\n') == std::string::npos);
    return e;
  };
  // The header says 1000 rows but there are 999 (text and binary).
  {
    std::string t = "1000 2\n";
    for (int i = 0; i < 999; ++i) t += "w" + std::to_string(i) + " 1 2\n";
    const std::string e = bad("999.txt", t);
    CHECK(has(e, "header says 1000 rows but the file ends after 999 rows (line 1000)"));
    Matrix m(999, 4);
    std::vector<std::string> w;
    for (int i = 0; i < 999; ++i) w.push_back("w" + std::to_string(i));
    saveVectors(d.file("999.bin"), w, m, VectorFormat::kWord2vecBinary);
    std::string b = testutil::readFile(d.file("999.bin"));
    b.replace(0, 3, "1000");
    const std::string eb = bad("999.bin", b);
    CHECK(has(eb, "header says 1000 rows but the file ends after 999 rows"));
    // ... or 1001.
    CHECK(has(bad("more.txt", "2 2\na 1 2\nb 1 2\nc 1 2\n"), "header says 2 rows but line 4 holds another row"));
    CHECK(has(bad("blank.txt", "3 2\na 1 2\n\nb 1 2\nc 1 2\n"), "line 3 is empty"));
  }
  // Wrong number of values in a row.
  CHECK(has(bad("few.txt", "3 3\na 1 2 3\nb 1 2 3\nc 1 2\n"), "line 4 ('c') has 2 values, expected 3"));
  CHECK(has(bad("many.txt", "2 3\na 1 2 3\nb 1 2 3 4\n"), "line 3 ('b') has 4 values, expected 3"));
  CHECK(has(bad("few.glove", "a 1 2 3\nb 1 2 3\nc 1 2\n"), "line 3 ('c') has 2 values, expected 3"));
  CHECK(has(bad("none.txt", "2 3\na 1 2 3\nb\n"), "line 3 ('b') has 0 values"));
  // A non-number.
  CHECK(has(bad("nan.txt", "2 3\na 1 2 3\nb 1 x 3\n"), "line 3 ('b') value 2 'x' is not a number"));
  CHECK(has(bad("nan2.txt", "2 3\na 1 2 3\nb 1 2.5q 3\n"), "value 2 '2.5q' is not a number"));
  CHECK(has(bad("nan.glove", "a 1 2\nb 1 0x1g\n"), "line 2 ('b') value 2 '0x1g' is not a number"));
  CHECK(has(bad("big.txt", "1 2\na 1 1e39\n"), "out of the float32 range"));
  // Numbers strtof reads are read: a '+' sign, underflow to 0; nan and inf
  // are not (loaded vectors are always finite).
  testutil::writeFile(d.file("ok.txt"), "1 2\na +1.5 1e-50\n");
  Vectors ok = loadVectors(d.file("ok.txt"));
  CHECK(ok.matrix.row(0)[0] == 1.5f);
  CHECK(ok.matrix.row(0)[1] == 0.f);
  CHECK(has(bad("nonfinite.txt", "1 4\na +1.5 1e-50 nan -inf\n"), "line 2 ('a') value 3 'nan' is not a finite number"));
  CHECK(has(bad("inf.glove", "a 1 2\nb inf 2\n"), "line 2 ('b') value 1 'inf' is not a finite number"));
  // A binary file cut in the middle (of a row's numbers, of a word).
  {
    Matrix m(3, 8);
    m.uniform(1.f, 1);
    saveVectors(d.file("ok.bin"), {"one", "two", "three"}, m, VectorFormat::kWord2vecBinary);
    const std::string full = testutil::readFile(d.file("ok.bin"));
    CHECK(has(bad("cut.bin", full.substr(0, full.size() - 10)), "the file ends in the middle of row 3 ('three')"));
    const size_t two = full.find("two");
    CHECK(has(bad("cut2.bin", full.substr(0, two + 2)), "the file ends in the middle of row 2"));
    CHECK(has(bad("extra.bin", full + "junk"), "more data follows row 3"));
  }
  // Zero-length file, for every format.
  for (VectorFormat f : {VectorFormat::kAuto, VectorFormat::kWord2vecBinary, VectorFormat::kWord2vecText,
                         VectorFormat::kGlove, VectorFormat::kNative})
    CHECK(has(bad("empty", "", f), "the file is empty"));
  // Neither header nor row.
  CHECK(has(bad("junk.txt", "hello world\n"), "line 1 'hello world' is neither"));
  CHECK(has(bad("dims.txt", "2 0\n"), "0 dimensions"));
  CHECK(has(bad("neg.txt", "-1 2\n"), "line 1"));
}

TEST_CASE("vectors: a corrupted native file is refused: magic, version, checksums, size") {
  TempDir d;
  Matrix m(4, 5);
  m.uniform(1.f, 4);
  const std::vector<int64_t> counts = {4, 3, 2, 1};
  saveVectors(d.file("ok.wev"), {"a", "bb", "ccc", "dddd"}, m, VectorFormat::kNative, &counts);
  const std::string full = testutil::readFile(d.file("ok.wev"));
  auto bad = [&](const std::string& content, VectorFormat f = VectorFormat::kNative, int64_t limit = 0) {
    testutil::writeFile(d.file("bad.wev"), content);
    const std::string e = loadError(d.file("bad.wev"), f, limit);
    CHECK(has(e, d.file("bad.wev")));
    return e;
  };
  auto flip = [&](size_t at) {
    std::string s = full;
    s[at] = static_cast<char>(s[at] ^ 0x10);
    return s;
  };
  CHECK(has(bad(flip(0)), "bad magic"));
  std::string v4 = full;  // version 3 is a full model (train --save-model)
  v4[8] = 4;
  CHECK(has(bad(v4), "version 4"));
  CHECK(has(bad(flip(13)), "header checksum"));
  CHECK(has(bad(flip(40)), "header checksum"));  // the stored vocabulary checksum itself
  CHECK(has(bad(flip(69)), "vocabulary checksum"));
  CHECK(has(bad(flip(full.size() - 3)), "matrix checksum"));
  CHECK(has(bad(full.substr(0, full.size() - 1)), "the file is cut"));
  CHECK(has(bad(full.substr(0, 40)), "64-byte header"));
  CHECK(has(bad(full + "x"), "unexpected bytes after the matrix"));
  // Auto-detection finds the magic; without it the file is not taken for anything else.
  CHECK(has(bad(flip(full.size() - 3), VectorFormat::kAuto), "matrix checksum"));
  CHECK(bad(flip(0), VectorFormat::kAuto) != "");
  // With a limit the matrix is not read, so its checksum is not checked; the vocabulary's is.
  testutil::writeFile(d.file("m.wev"), flip(full.size() - 3));
  CHECK(loadVectors(d.file("m.wev"), VectorFormat::kAuto, 2).words == std::vector<std::string>{"a", "bb"});
  CHECK(has(bad(flip(69), VectorFormat::kNative, 2), "vocabulary checksum"));
}

TEST_CASE("vectors: native files of several 4 MiB pieces, checked and read on all threads") {
  TempDir d;
  Matrix m(3001, 401);  // 4.8 MB of floats: two pieces, rows straddling the boundary
  m.uniform(1.f, 21);
  std::vector<std::string> w;
  for (int i = 0; i < 3001; ++i) w.push_back("w" + std::to_string(i));
  saveVectors(d.file("big.wev"), w, m, VectorFormat::kNative);
  Vectors v = loadVectors(d.file("big.wev"));
  CHECK(v.words == w);
  CHECK(sameMatrix(v.matrix, m));
  CHECK(sameMatrix(loadVectors(d.file("big.wev"), VectorFormat::kAuto, 2700).matrix, firstRows(m, 2700)));
  // A flipped bit in the second piece is caught.
  std::string s = testutil::readFile(d.file("big.wev"));
  s[s.size() - 100] = static_cast<char>(s[s.size() - 100] ^ 1);
  testutil::writeFile(d.file("bad.wev"), s);
  CHECK(has(loadError(d.file("bad.wev")), "matrix checksum mismatch"));
}
