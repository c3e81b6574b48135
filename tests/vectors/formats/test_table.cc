// Every vector format through the format table: its names, its file names,
// detection, and a write-read round trip, all by the public calls that
// consult the table.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/format.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

struct Expect {
  VectorFormat f;
  const char* name;
  std::vector<std::string> aliases;
  const char* file;   // a name the format is written under ("" for a directory)
  bool read, counts;  // read back; keeps the counts
};

const std::vector<Expect> kFormats = {
    {VectorFormat::kWord2vecBinary, "w2v-bin", {"bin", "binary"}, "v.bin", true, false},
    {VectorFormat::kWord2vecText, "w2v-txt", {"txt", "text", "vec"}, "v.txt", true, false},
    {VectorFormat::kGlove, "glove", {}, "v.glove", true, false},
    {VectorFormat::kNative, "native", {"wev", "wembed"}, "v.wev", true, true},
    {VectorFormat::kTsv, "tsv", {}, "proj", false, true},
    {VectorFormat::kNpy, "npy", {}, "v.npy", true, false},
    {VectorFormat::kFastText, "fasttext", {}, "ft.bin", true, true},
};

}  // namespace

TEST_CASE("formats: names, aliases and file names come from one table") {
  CHECK((parseFormat("auto") == VectorFormat::kAuto));
  for (const Expect& e : kFormats) {
    CAPTURE(e.name);
    CHECK(toString(e.f) == e.name);
    CHECK((parseFormat(e.name) == e.f));
    for (const auto& a : e.aliases) CHECK((parseFormat(a) == e.f));
    CHECK(canRead(e.f) == e.read);
    CHECK(keepsCounts(e.f) == e.counts);
  }
  CHECK((formatFromPath("a/v.bin") == VectorFormat::kWord2vecBinary));
  CHECK((formatFromPath("v.vec") == VectorFormat::kWord2vecText));
  CHECK((formatFromPath("v.npy") == VectorFormat::kNpy));
  // The messages list what the table holds.
  const std::string unknown = testutil::errorOf([] { parseFormat("json"); });
  CHECK(unknown.find("auto, w2v-bin, w2v-txt, glove, native, tsv, npy or fasttext") != std::string::npos);
  const std::string noext = testutil::errorOf([] { formatFromPath("v.json"); });
  CHECK(noext.find(".bin, .txt, .vec, .wev or .npy") != std::string::npos);
  // Output formats: tsv for a directory (trailing '/' removed), else the extension.
  TempDir d;
  std::string dir = d.path() + "//";
  CHECK((outputFormat(dir, VectorFormat::kAuto) == VectorFormat::kTsv));
  CHECK(dir == d.path());
  std::string named = d.file("x.wev");
  CHECK((outputFormat(named, VectorFormat::kAuto) == VectorFormat::kNative));
  CHECK((outputFormat(named, VectorFormat::kGlove) == VectorFormat::kGlove));
}

TEST_CASE("formats: every format writes, is detected and reads back exactly") {
  TempDir d;
  Matrix m(3, 4);
  m.uniform(1.f, 31);
  m.row(1)[2] = 1e-40f;  // a denormal survives every format
  const std::vector<std::string> words = {"alpha", "béta", "</s>"};
  const std::vector<int64_t> counts = {9, 5, 1};
  for (const Expect& e : kFormats) {
    CAPTURE(e.name);
    const std::string path = d.file(e.file);
    saveVectors(path, words, m, e.f, &counts);
    const std::vector<std::string> outs = outputPaths(path, e.f);
    for (const auto& o : outs) CHECK(testutil::readFile(o).size() > 0);
    if (!e.read) {
      CHECK_THROWS_WITH_AS(loadVectors(path, e.f), doctest::Contains("writes that format"), Error);
      continue;
    }
    CHECK((detectVectorFormat(path) == e.f));
    for (VectorFormat asked : {VectorFormat::kAuto, e.f}) {
      VectorFormat got = VectorFormat::kAuto;
      const Vectors v = loadVectors(path, asked, 0, &got);
      CHECK((got == e.f));
      CHECK(v.words == words);
      CHECK(sameMatrix(v.matrix, m));
      CHECK(v.counts == (e.counts ? counts : std::vector<int64_t>{}));
    }
    // --limit through every reader.
    const Vectors two = loadVectors(path, VectorFormat::kAuto, 2);
    CHECK(two.words == std::vector<std::string>{"alpha", "béta"});
    CHECK(two.matrix.rows() == 2);
  }
}
