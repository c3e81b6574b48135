// Where vector files come from: gzip-compressed files (by magic or name),
// standard input as a real pipe, and the files that are refused with a
// line saying what they are.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::q;
using testutil::runWembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

const std::vector<std::string> kWords = {"the", "naïve", "x"};

Matrix testMatrix() {
  Matrix m(3, 5);
  m.uniform(1.f, 41);
  return m;
}

std::string loadError(const std::string& path, VectorFormat f = VectorFormat::kAuto) {
  return testutil::errorOf([&] { loadVectors(path, f); });
}

}  // namespace

TEST_CASE("source: gzip-compressed files of every format read as the plain ones") {
  TempDir d;
  const Matrix m = testMatrix();
  const std::vector<int64_t> counts = {3, 2, 1};
  for (VectorFormat f : {VectorFormat::kWord2vecBinary, VectorFormat::kWord2vecText, VectorFormat::kGlove,
                         VectorFormat::kNative}) {
    CAPTURE(toString(f));
    saveVectors(d.file("plain"), kWords, m, f, &counts);
    const std::string bytes = testutil::readFile(d.file("plain"));
    testutil::writeGzip(d.file("v.gz"), bytes);
    testutil::writeGzip(d.file("compressed-but-not-named-so"), bytes);
    for (const char* name : {"v.gz", "compressed-but-not-named-so"}) {
      CAPTURE(name);
      VectorFormat got = VectorFormat::kAuto;
      const Vectors v = loadVectors(d.file(name), VectorFormat::kAuto, 0, &got);
      CHECK((got == f));
      CHECK(v.words == kWords);
      CHECK(sameMatrix(v.matrix, m));
      CHECK((detectVectorFormat(d.file(name)) == f));
      CHECK(loadVectors(d.file(name), f, 2).words.size() == 2);
    }
  }
  // A .gz name over plain content is read as it is.
  saveVectors(d.file("plain.txt.gz"), kWords, m, VectorFormat::kWord2vecText);
  CHECK(sameMatrix(loadVectors(d.file("plain.txt.gz")).matrix, m));
  // Two gzip members one after the other are one content (as gzip -d reads them).
  const std::string text = testutil::readFile(d.file("plain.txt.gz"));
  testutil::writeGzip(d.file("a.gz"), text.substr(0, 20));
  testutil::writeGzip(d.file("b.gz"), text.substr(20));
  testutil::writeFile(d.file("two.gz"), testutil::readFile(d.file("a.gz")) + testutil::readFile(d.file("b.gz")));
  CHECK(sameMatrix(loadVectors(d.file("two.gz")).matrix, m));
  // A truncated or corrupt gzip file is one clear error.
  const std::string gz = testutil::readFile(d.file("v.gz"));
  testutil::writeFile(d.file("cut.gz"), gz.substr(0, gz.size() - 12));
  CHECK(loadError(d.file("cut.gz")).find("cannot read gzip file '" + d.file("cut.gz") + "'") == 0);
  std::string bad = gz;
  bad[gz.size() / 2] = static_cast<char>(bad[gz.size() / 2] ^ 0x55);
  testutil::writeFile(d.file("bad.gz"), bad);
  CHECK(loadError(d.file("bad.gz")) != "");
}

TEST_CASE("source: a gzip-compressed .npy finds its vocabulary beside it") {
  TempDir d;
  const Matrix m = testMatrix();
  saveVectors(d.file("m.npy"), kWords, m, VectorFormat::kNpy);
  testutil::writeGzip(d.file("m.npy.gz"), testutil::readFile(d.file("m.npy")));
  std::remove(d.file("m.npy").c_str());
  const Vectors v = loadVectors(d.file("m.npy.gz"));
  CHECK(v.words == kWords);
  CHECK(sameMatrix(v.matrix, m));
  // ... also when the vocabulary is compressed too.
  testutil::writeGzip(d.file("m.vocab.txt.gz"), testutil::readFile(d.file("m.vocab.txt")));
  std::remove(d.file("m.vocab.txt").c_str());
  CHECK(loadVectors(d.file("m.npy.gz")).words == kWords);
}

TEST_CASE("source: '-' reads standard input through a pipe, in every streamable format, compressed or not") {
  TempDir d;
  const Matrix m = testMatrix();
  const std::vector<std::pair<VectorFormat, const char*>> formats = {
      {VectorFormat::kWord2vecBinary, "w2v-bin"}, {VectorFormat::kWord2vecText, "w2v-txt"},
      {VectorFormat::kGlove, "glove"}, {VectorFormat::kNative, "native"}};
  for (const auto& [f, name] : formats) {
    CAPTURE(name);
    saveVectors(d.file("v"), kWords, m, f);
    testutil::writeGzip(d.file("v.gz"), testutil::readFile(d.file("v")));
    for (const char* in : {"v", "v.gz"}) {
      // cat makes standard input a pipe (not a file wembed could map).
      auto r = testutil::run("cat " + q(d.file(in)) + " | " + q(testutil::kBin) + " info -", d.path());
      CHECK(r.status == 0);
      CHECK(r.out.find(std::string("format: ") + name + " (detected)") != std::string::npos);
      CHECK(r.out.find("words: 3") != std::string::npos);
      r = testutil::run("cat " + q(d.file(in)) + " | " + q(testutil::kBin) + " export -q - " + q(d.file("out.wev")),
                        d.path());
      CHECK(r.status == 0);
      const Vectors back = loadVectors(d.file("out.wev"));
      CHECK(back.words == kWords);
      CHECK(sameMatrix(back.matrix, m));
    }
  }
  // The query commands read standard input too.
  saveVectors(d.file("v.txt"), kWords, m, VectorFormat::kWord2vecText);
  auto r = testutil::run("cat " + q(d.file("v.txt")) + " | " + q(testutil::kBin) + " neighbors - the -k 2", d.path());
  CHECK(r.status == 0);
  CHECK(testutil::nonEmptyLines(r.out).size() == 3);
  // Nothing on standard input, and a .npy (its vocabulary is a file beside it).
  r = runWembed("info -", d);
  testutil::checkError(r, "info", "bad vector file standard input: the file is empty");
  saveVectors(d.file("m.npy"), kWords, m, VectorFormat::kNpy);
  r = testutil::run("cat " + q(d.file("m.npy")) + " | " + q(testutil::kBin) + " info -", d.path());
  testutil::checkError(r, "info", "give its file name, not '-'");
}

TEST_CASE("source: files that are not vector files are refused, saying what they look like") {
  TempDir d;
  struct Case {
    const char* name;
    std::string bytes;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"model.pkl", std::string("\x80\x04\x95\x10\x00\x00\x00", 7) + "gensim.models", "a Python pickle"},
      {"old.model", std::string("\x80\x02}q\x00", 5), "a Python pickle"},
      {"v.npz", std::string("PK\x03\x04", 4) + std::string(40, 'z'), "a zip archive"},
      // (Named .xz or .bz2, they are decoded or refused by name: see below.)
      {"v.txt.packed", std::string("\xfd" "7zXZ\x00", 6) + std::string(40, '\0'), "xz-compressed"},
      {"v.txt.zst", std::string("\x28\xb5\x2f\xfd", 4) + std::string(40, '\0'), "zstd-compressed"},
      {"v.txt.bz", std::string("BZh91AY&SY", 10) + std::string(40, '\0'), "bzip2-compressed"},
      {"run.ckpt", std::string("WEMBCKPT\x03\x00\x00\x00", 12) + std::string(40, '\0'), "a wembed word2vec checkpoint"},
      {"glove.ckpt", std::string("WEMBCKGV\x02\x00\x00\x00", 12) + std::string(40, '\0'), "a wembed GloVe checkpoint"},
      {"clf.ckpt", std::string("WEMBCKSN\x02\x00\x00\x00", 12) + std::string(40, '\0'), "a wembed sentiment checkpoint"},
      {"clf.bin", std::string("WEMBSENT\x01\x00\x00\x00", 12) + std::string(40, '\0'), "a wembed sentiment model"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    testutil::writeFile(d.file(c.name), c.bytes);
    for (VectorFormat f : {VectorFormat::kAuto, VectorFormat::kWord2vecBinary}) {
      const std::string e = loadError(d.file(c.name), f);
      CHECK(e.find("bad vector file '" + d.file(c.name) + "': this is " + c.says) == 0);
      CHECK(e.find('\n') == std::string::npos);
    }
    CHECK_THROWS_AS(detectVectorFormat(d.file(c.name)), Error);
    testutil::checkError(runWembed("neighbors " + q(d.file(c.name)) + " x", d), "neighbors", c.says);
  }
  // By name: .xz is decoded (here: not xz inside), .bz2 refused.
  testutil::writeFile(d.file("v.txt.xz"), cases[3].bytes);
  CHECK(loadError(d.file("v.txt.xz")).find("cannot read xz file '" + d.file("v.txt.xz") + "': corrupt data") == 0);
  testutil::writeFile(d.file("v.txt.bz2"), cases[5].bytes);
  CHECK(loadError(d.file("v.txt.bz2")).find("bzip2 is not supported") != std::string::npos);
  testutil::writeFile(d.file("good.txt"), "2 2\na 1 2\nb 3 4\n");
  REQUIRE(testutil::run("xz -k '" + d.file("good.txt") + "'", d.path()).status == 0);
  CHECK(loadVectors(d.file("good.txt.xz")).words == std::vector<std::string>{"a", "b"});
  // A fastText model is read as one (here: broken), and named when read as another format;
  // gzip-compressed, the content is what is recognised.
  const std::string ft = std::string("\xba\x16\x4f\x2f\x0c\x00\x00\x00", 8) + std::string(100, '\1');
  testutil::writeFile(d.file("model.bin"), ft);
  CHECK(loadError(d.file("model.bin")) ==
        "bad vector file '" + d.file("model.bin") + "': the header says 16843009 dimensions; expected 1 to 100000");
  CHECK(loadError(d.file("model.bin"), VectorFormat::kWord2vecBinary) ==
        "bad vector file '" + d.file("model.bin") + "': this is a fastText model, not w2v-bin; read it with --format "
        "fasttext (or auto)");
  testutil::writeGzip(d.file("model.bin.gz"), ft);
  CHECK(loadError(d.file("model.bin.gz")).find("16843009 dimensions") != std::string::npos);
}

TEST_CASE("source: a named pipe (as bash's <(...) gives) is read as it comes") {
  TempDir d;
  const Matrix m = testMatrix();
  saveVectors(d.file("v.bin"), kWords, m, VectorFormat::kWord2vecBinary);
  testutil::writeGzip(d.file("v.bin.gz"), testutil::readFile(d.file("v.bin")));
  REQUIRE(testutil::run("mkfifo " + q(d.file("fifo")), d.path()).status == 0);
  auto r = testutil::run("(cat " + q(d.file("v.bin.gz")) + " > " + q(d.file("fifo")) + " &) ; " + q(testutil::kBin) +
                             " export -q " + q(d.file("fifo")) + " " + q(d.file("out.txt")),
                         d.path());
  CHECK(r.status == 0);
  const Vectors v = loadVectors(d.file("out.txt"));
  CHECK(v.words == kWords);
  CHECK(sameMatrix(v.matrix, m));
  // eval reads its test files first, without opening the pipe to check it.
  testutil::writeFile(d.file("p.tsv"), "the\tx\t1\nthe\tnaïve\t2\n");
  r = testutil::run("(cat " + q(d.file("v.bin")) + " > " + q(d.file("fifo")) + " &) ; " + q(testutil::kBin) +
                        " eval " + q(d.file("fifo")) + " --similarity " + q(d.file("p.tsv")) + " --json",
                    d.path());
  CHECK(r.status == 0);
  CHECK(r.out.find("\"words\": 3") != std::string::npos);
  // A stream with no line break is refused after 16 MB, not read until memory runs out.
  r = testutil::run("(head -c 40000000 /dev/zero > " + q(d.file("fifo")) + " 2>/dev/null &) ; " + q(testutil::kBin) +
                        " info " + q(d.file("fifo")),
                    d.path());
  CHECK(r.status == 1);
  CHECK(r.err.find("no line break in its first 16 MB: not a vector file") != std::string::npos);
}
