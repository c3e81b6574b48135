// The `wembed export` command, and the vector formats through the other commands
// (train writing .wev, eval/analogy reading with --format and --limit).
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::checkError;
using testutil::q;
using testutil::runWembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {


}  // namespace

TEST_CASE("export: every format from one file, lossless, formats from the extension") {
  TempDir d;
  Matrix m(4, 6);
  m.uniform(2.f, 8);
  m.row(1)[2] = 1e-40f;  // denormal
  m.row(2)[0] = -0.f;
  const std::vector<std::string> words = {"the", "naïve", "x", "</s>"};
  const std::vector<int64_t> counts = {10, 5, 3, 1};
  saveVectors(d.file("in.wev"), words, m, VectorFormat::kNative, &counts);
  // By extension.
  for (const char* out : {"a.bin", "a.txt", "a.vec", "a.wev"}) {
    CAPTURE(out);
    auto r = runWembed("export " + q(d.file("in.wev")) + " " + q(d.file(out)), d);
    CHECK(r.status == 0);
    CHECK(r.err.find("export: wrote") != std::string::npos);
    Vectors v = loadVectors(d.file(out));
    CHECK(v.words == words);
    CHECK(sameMatrix(v.matrix, m));
  }
  CHECK(loadVectors(d.file("a.wev")).counts == counts);  // native keeps the counts
  CHECK(testutil::readFile(d.file("a.wev")) == testutil::readFile(d.file("in.wev")));
  // Explicit formats, and back to native from each: the same bytes without counts.
  saveVectors(d.file("nocounts.wev"), words, m, VectorFormat::kNative);
  for (const char* f : {"w2v-bin", "w2v-txt", "glove", "native"}) {
    CAPTURE(f);
    auto r = runWembed("export -q " + q(d.file("in.wev")) + " " + q(d.file(std::string("b.") + f)) + " --format " + f, d);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    r = runWembed("export -q " + q(d.file(std::string("b.") + f)) + " " + q(d.file("back.wev")), d);
    CHECK(r.status == 0);
    if (std::string(f) != "native")
      CHECK(testutil::readFile(d.file("back.wev")) == testutil::readFile(d.file("nocounts.wev")));
  }
  // npy (by extension) and tsv (into a directory).
  auto r = runWembed("export " + q(d.file("in.wev")) + " " + q(d.file("m.npy")), d);
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("m.vocab.txt")) == "the\nnaïve\nx\n</s>\n");
  CHECK(testutil::readFile(d.file("m.npy")).size() == 128 + 4 * 6 * 4);
  r = runWembed("export " + q(d.file("in.wev")) + " " + q(d.file("proj")) + "/", d);
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("proj/metadata.tsv")) == "word\tcount\nthe\t10\nnaïve\t5\nx\t3\n</s>\t1\n");
  CHECK(testutil::nonEmptyLines(testutil::readFile(d.file("proj/vectors.tsv"))).size() == 4);
  r = runWembed("export " + q(d.file("in.wev")) + " " + q(d.file("proj2")) + " --format tsv --limit 2", d);
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("proj2/metadata.tsv")) == "word\tcount\nthe\t10\nnaïve\t5\n");
  // --limit and --input-format.
  r = runWembed("export " + q(d.file("b.glove")) + " " + q(d.file("l.bin")) + " --limit 3 --input-format glove", d);
  CHECK(r.status == 0);
  CHECK(loadVectors(d.file("l.bin")).words == std::vector<std::string>{"the", "naïve", "x"});
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("export: errors are one line and leave nothing behind") {
  TempDir d;
  Matrix m(3, 2);
  m.uniform(1.f, 2);
  saveVectors(d.file("spaced.wev"), {"new york", "b", "c"}, m, VectorFormat::kNative);
  testutil::writeFile(d.file("bad.txt"), "2 2\na 1 2\nb 1 x\n");
  testutil::writeFile(d.file("empty.txt"), "");
  const std::string out = d.subdir("out");
  // A word with a space, to formats where it would break the file.
  for (const char* f : {"w2v-bin", "w2v-txt", "glove"})
    checkError(runWembed("export " + q(d.file("spaced.wev")) + " " + q(out + "/x") + " --format " + f, d), "export",
               "row 1's word 'new york' contains a space");
  checkError(runWembed("export " + q(d.file("bad.txt")) + " " + q(out + "/x.bin"), d), "export", "line 3 ('b') value 2 'x'");
  checkError(runWembed("export " + q(d.file("empty.txt")) + " " + q(out + "/x.bin"), d), "export", "the file is empty");
  checkError(runWembed("export " + q(d.file("missing.txt")) + " " + q(out + "/x.bin"), d), "export", "missing.txt");
  checkError(runWembed("export " + q(d.file("spaced.wev")) + " " + q(out + "/x.json"), d), "export", "cannot tell the vector format");
  checkError(runWembed("export " + q(d.file("spaced.wev")) + " " + q(out + "/x") + " --format json", d), "export", "unknown format");
  checkError(runWembed("export " + q(d.file("spaced.wev")) + " " + q(out + "/x.bin") + " --input-format tsv", d), "export",
             "does not read");
  checkError(runWembed("export " + q(d.file("spaced.wev")) + " " + q(out + "/x.bin") + " --input-format npy", d), "export",
             "not a NumPy .npy file");
  testutil::writeFile(d.file("ok.txt"), "1 2\na 1 2\n");
  checkError(runWembed("export " + q(d.file("ok.txt")) + " " + q(out + "/no/dir/x.bin"), d), "export", "does not exist");
  checkError(runWembed("export " + q(d.file("spaced.wev")), d), "export", "expected IN and OUT");
  checkError(runWembed("export " + q(d.file("spaced.wev")) + " " + q(out + "/x.bin") + " --limit -2", d), "export", "--limit");
  CHECK(testutil::listDir(out).empty());
  // Fine where spaces are allowed.
  CHECK(runWembed("export -q " + q(d.file("spaced.wev")) + " " + q(out + "/p") + " --format tsv", d).status == 0);
  CHECK(testutil::readFile(out + "/p/metadata.tsv") == "new york\nb\nc\n");
}

TEST_CASE("export: train writes the native format with the vocabulary counts; eval and analogy read it") {
  TempDir d;
  testutil::writeFile(d.file("corpus.txt"), "the cat sat on the mat\nthe cat\n\nthe dog sat\r\nthe cat mat");
  const std::string common = " --threads 2 --dim 8 --epochs 1 --min-count 1 -q ";
  auto r = runWembed("train " + q(d.file("corpus.txt")) + " -o " + q(d.file("v.wev")) + common, d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  Vectors v = loadVectors(d.file("v.wev"));
  CHECK(v.words == std::vector<std::string>{"the", "cat", "sat", "mat", "on", "dog"});
  CHECK(v.counts == std::vector<int64_t>{5, 3, 2, 2, 1, 1});
  // info describes it.
  r = runWembed("info " + q(d.file("v.wev")), d);
  CHECK(r.status == 0);
  for (const char* line : {"format: native (detected)", "words: 6", "dimensions: 8", "counts: yes", "load seconds: "})
    CHECK(r.out.find(line) != std::string::npos);
  r = runWembed("info " + q(d.file("v.wev")) + " --limit 2 --format native", d);
  CHECK(r.out.find("format: native\n") != std::string::npos);
  CHECK(r.out.find("words: 2") != std::string::npos);
  r = runWembed("info " + q(d.file("corpus.txt")), d);
  CHECK(r.status == 1);
  CHECK(r.err.find("wembed info: error: bad vector file") == 0);
  // --format native with any name; npy.
  r = runWembed("train " + q(d.file("corpus.txt")) + " -o " + q(d.file("v.out")) + " --format native" + common, d);
  CHECK(r.status == 0);
  CHECK((detectVectorFormat(d.file("v.out")) == VectorFormat::kNative));
  r = runWembed("train " + q(d.file("corpus.txt")) + " -o " + q(d.file("v.npy")) + common, d);
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("v.vocab.txt")) == "the\ncat\nsat\nmat\non\ndog\n");
  r = runWembed("train " + q(d.file("corpus.txt")) + " -o " + q(d.file("t")) + " --format tsv" + common, d);
  CHECK(r.status == 1);
  // eval and analogy with --limit / --format.
  testutil::writeFile(d.file("q.txt"), ": s\nthe cat sat mat\ncat sat mat on\n");
  testutil::writeFile(d.file("p.tsv"), "the\tcat\t1\nsat\tmat\t2\non\tdog\t3\n");
  r = runWembed("eval " + q(d.file("v.wev")) + " --analogy " + q(d.file("q.txt")) + " --similarity " + q(d.file("p.tsv")) +
                 " --json --limit 4",
             d);
  CHECK(r.status == 0);
  CHECK(r.out.find("\"words\": 4") != std::string::npos);
  CHECK(r.out.find("\"answered\": 1, \"skipped\": 1") != std::string::npos);  // "on" is beyond the limit
  r = runWembed("analogy " + q(d.file("v.wev")) + " the cat sat -k 1 --limit 4 --format native", d);
  CHECK(r.status == 0);
  r = runWembed("analogy " + q(d.file("v.wev")) + " the cat sat --format glove", d);
  CHECK(r.status == 1);
}

TEST_CASE("export: --input-format and --format (output), -o/--output, and the old spellings") {
  TempDir d;
  Matrix m(3, 4);
  m.uniform(1.f, 9);
  const std::vector<std::string> words = {"a", "b", "c"};
  saveVectors(d.file("in.glove"), words, m, VectorFormat::kGlove);
  const std::string in = q(d.file("in.glove"));
  struct Case {
    std::string args;  // after IN
    const char* out;
    VectorFormat f;
  };
  const std::vector<Case> cases = {
      {q(d.file("o1.bin")) + " --input-format glove", "o1.bin", VectorFormat::kWord2vecBinary},  // positional OUT
      {"-o " + q(d.file("o2.bin")), "o2.bin", VectorFormat::kWord2vecBinary},
      {"--output " + q(d.file("o3")) + " --format native", "o3", VectorFormat::kNative},
      {"--out " + q(d.file("o4")) + " --output-format w2v-txt", "o4", VectorFormat::kWord2vecText},  // old --out
      {"-o " + q(d.file("o5.wev")) + " --input-format glove --format w2v-bin", "o5.wev", VectorFormat::kWord2vecBinary},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    auto r = runWembed("export -q " + in + " " + c.args, d);
    CHECK(r.status == 0);
    CHECK((detectVectorFormat(d.file(c.out)) == c.f));
    const Vectors v = loadVectors(d.file(c.out));
    CHECK(v.words == words);
    CHECK(sameMatrix(v.matrix, m));
  }
  // --in names IN (the old spelling); the input format is forced: a GloVe
  // file read as word2vec text has no header.
  CHECK(runWembed("export -q --in " + in + " -o " + q(d.file("o6.bin")), d).status == 0);
  checkError(runWembed("export " + in + " -o " + q(d.file("o7.bin")) + " --input-format w2v-txt", d), "export",
             "--format glove");
  // Two different outputs are a mistake; the same one twice is not.
  checkError(runWembed("export " + in + " " + q(d.file("x.bin")) + " -o " + q(d.file("y.bin")), d), "export",
             "give OUT once");
  CHECK(runWembed("export -q " + in + " " + q(d.file("z.bin")) + " -o " + q(d.file("z.bin")), d).status == 0);
  checkError(runWembed("export " + in, d), "export", "expected IN and OUT");
  // The reading commands take --input-format as well as --format.
  auto r = runWembed("info " + in + " --input-format glove", d);
  CHECK(r.out.find("format: glove\n") != std::string::npos);
  checkError(runWembed("info " + in + " --input-format native", d), "info", "bad magic");
}
