#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/error.h"
#include "wembed/matrix.h"
#include "wembed/vectors.h"

using namespace wembed;
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

bool bitEqual(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (int64_t r = 0; r < a.rows(); ++r)
    if (std::memcmp(a.row(r), b.row(r), sizeof(float) * a.cols()) != 0) return false;
  return true;
}

std::string errorOf(const std::string& path, VectorFormat f = VectorFormat::kAuto) {
  try {
    loadWord2vec(path, f);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
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
      CHECK(bitEqual(v.matrix, m));
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
  CHECK(bitEqual(loadWord2vec(d.file("binary-named.txt")).matrix, m));
  saveWord2vec(d.file("text-named.bin"), {"a", "b", "c"}, m, false);
  CHECK(bitEqual(loadWord2vec(d.file("text-named.bin")).matrix, m));
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
    CHECK(bitEqual(tv.matrix, t));
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
  CHECK(bitEqual(loadWord2vec(d.file("v.txt")).matrix, m));
  // Relative path in the current directory.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(d.path());
  saveWord2vec("rel.bin", {"a", "b"}, m, true);
  std::filesystem::current_path(cwd);
  CHECK(bitEqual(loadWord2vec(d.file("rel.bin")).matrix, m));
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}
