// The command line reads alike: 'wembed help CMD', --version, and the vector
// file as VECTORS or -i/--input, the output as -o/--output (old spellings kept).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/vectors/vectors.h"
#include "wembed/version.h"

using testutil::checkFailure, testutil::q, testutil::runWembed, testutil::TempDir;

namespace {

// Two groups of three words on their own axes, and a similarity file.
std::string writeVectors(const TempDir& d) {
  const wembed::Vectors v = testutil::makeVectors({{"red", {1, 0.1f, 0}},
                                                   {"green", {1, 0.2f, 0.1f}},
                                                   {"blue", {0.9f, 0, 0.2f}},
                                                   {"one", {0, 1, 0.1f}},
                                                   {"two", {0.1f, 1, 0}},
                                                   {"three", {0, 0.9f, 0.2f}}});
  const std::string path = d.file("v.txt");
  wembed::saveWord2vec(path, v.words, v.matrix, false);
  testutil::writeFile(d.file("sim.tsv"), "red\tgreen\t9\nred\tone\t1\none\ttwo\t8\nblue\tthree\t2\n");
  return path;
}

}  // namespace

TEST_CASE("cli: 'wembed help CMD' is 'wembed CMD --help'; --version") {
  TempDir d;
  for (const char* cmd : {"train", "vocab", "cooccur", "neighbors", "analogy", "eval", "plot", "export", "info",
                          "sentiment", "sentiment train", "sentiment predict", "phrases"}) {
    INFO(cmd);
    const auto help = runWembed(std::string("help ") + cmd, d), direct = runWembed(std::string(cmd) + " --help", d);
    CHECK(help.status == 0);
    CHECK(help.out.find("usage: wembed " + std::string(cmd)) == 0);
    CHECK(help.out == direct.out);
  }
  checkFailure(runWembed("help frobnicate", d), std::vector<std::string>{}, "help of an unknown command",
               "'frobnicate'");
  for (const char* top : {"--help", "help"}) {
    const auto r = runWembed(top, d);
    CHECK(r.status == 0);
    CHECK(r.out.find("wembed help COMMAND") != std::string::npos);
    CHECK(r.out.find("--version") != std::string::npos);
  }
  const auto r = runWembed("--version", d);
  CHECK(r.status == 0);
  CHECK(r.out == std::string("wembed ") + WEMBED_VERSION + "\n");
}

TEST_CASE("cli: the vector file as VECTORS or -i/--input") {
  TempDir d;
  const std::string v = writeVectors(d), other = d.file("other.txt");
  testutil::writeFile(other, testutil::readFile(v));
  struct Case {
    std::string positional, option;  // the same command with VECTORS, and with {I} for -i/--input
  };
  const std::vector<Case> cases = {
      {"neighbors {V} red one -k 2", "neighbors {I} {V} red one -k 2"},
      {"analogy {V} red green one -k 2", "analogy {I} {V} red green one -k 2"},
      {"analogy {V} red green one -k 2", "analogy red green one {I} {V} -k 2"},
      {"eval {V} --similarity {S} --json", "eval {I} {V} --similarity {S} --json"},
      {"info {V} --limit 4", "info {I} {V} --limit 4"},
  };
  auto expand = [&](std::string s, const std::string& flag) {
    for (size_t at; (at = s.find("{I}")) != std::string::npos;) s.replace(at, 3, flag);
    for (size_t at; (at = s.find("{V}")) != std::string::npos;) s.replace(at, 3, q(v));
    for (size_t at; (at = s.find("{S}")) != std::string::npos;) s.replace(at, 3, q(d.file("sim.tsv")));
    return s;
  };
  for (const auto& c : cases) {
    INFO(c.option);
    const auto a = runWembed(expand(c.positional, ""), d);
    REQUIRE(a.status == 0);
    for (const char* flag : {"-i", "--input"}) {
      const auto b = runWembed(expand(c.option, flag), d);
      CHECK(b.status == 0);
      if (c.positional.rfind("info", 0) == 0) {  // the load time differs
        CHECK(b.out.find("words: 4\ndimensions: 3\n") != std::string::npos);
      } else {
        CHECK(b.out == a.out);
      }
    }
    // The same file both ways is accepted, two different files are an error;
    // but for the queries, with -i/--input every positional argument is a word.
    if (c.positional.rfind("eval", 0) != 0 && c.positional.rfind("info", 0) != 0) continue;
    CHECK(runWembed(expand(c.positional, "") + " -i " + q(v), d).status == 0);
    checkFailure(runWembed(expand(c.positional, "") + " -i " + q(other), d), std::vector<std::string>{},
                 "two vector files", "give VECTORS once");
  }
  const auto r = runWembed("neighbors -i " + q(v) + " " + q(v), d);
  CHECK(r.status == 1);
  CHECK(r.err.find("not in the vocabulary") != std::string::npos);
}

TEST_CASE("cli: the output as -o/--output; old spellings kept") {
  TempDir d;
  const std::string v = writeVectors(d), out = d.subdir("out");
  for (const char* cmd : {"plot", "export", "train", "vocab", "phrases"}) {
    INFO(cmd);
    CHECK(runWembed(std::string(cmd) + " --help", d).out.find("-o [ --output ]") != std::string::npos);
  }
  // plot: -o, --output and the old --out write the same picture.
  std::string first;
  for (const char* flag : {"-o", "--output", "--out"}) {
    INFO(flag);
    const std::string svg = out + "/m" + std::string(flag).substr(flag[1] == '-' ? 2 : 1) + ".svg";
    const auto r = runWembed("plot " + q(v) + " --words red,one,two --title t " + flag + " " + q(svg), d);
    CHECK(r.status == 0);
    CHECK(r.out.find("wrote " + svg) == 0);
    const std::string pic = testutil::readFile(svg);
    CHECK(pic.find("<svg") != std::string::npos);
    if (first.empty()) first = pic;
    CHECK(pic == first);
  }
  checkFailure(runWembed("plot " + q(v) + " --words red,one --out " + q(out + "/a.svg") + " -o " + q(out + "/b.svg"), d),
               std::vector<std::string>{}, "plot: two outputs", "two outputs");
  CHECK(!std::filesystem::exists(out + "/a.svg"));
  CHECK(!std::filesystem::exists(out + "/b.svg"));
  // export: IN OUT, -i IN -o OUT and --input IN --output OUT write the same file.
  CHECK(runWembed("export " + q(v) + " " + q(out + "/e1.txt") + " -q", d).status == 0);
  CHECK(runWembed("export -i " + q(v) + " -o " + q(out + "/e2.txt") + " -q", d).status == 0);
  CHECK(runWembed("export --input " + q(v) + " --output " + q(out + "/e3.txt") + " -q", d).status == 0);
  CHECK(testutil::readFile(out + "/e1.txt") == testutil::readFile(v));
  CHECK(testutil::readFile(out + "/e2.txt") == testutil::readFile(v));
  CHECK(testutil::readFile(out + "/e3.txt") == testutil::readFile(v));
  checkFailure(runWembed("export " + q(v) + " -i " + q(d.file("sim.tsv")) + " -o " + q(out + "/e4.txt"), d),
               std::vector<std::string>{}, "export: two inputs", "give IN once");
}

TEST_CASE("cli: phrases reads CORPUS or -i/--input and writes -o/--output; train --phrases reads its table") {
  TempDir d;
  std::string corpus;
  for (int i = 0; i < 200; ++i)  // "new york" in every line among words of a wide vocabulary
    corpus += "w" + std::to_string(i * 7 % 991) + " w" + std::to_string(i * 13 % 997) + " new york w" +
              std::to_string(i * 17 % 983) + " w" + std::to_string(i * 31 % 977) + "\n";
  testutil::writeFile(d.file("c.txt"), corpus);
  const std::string c = q(d.file("c.txt"));
  // Counting: the same text and table whichever way the files are named.
  REQUIRE(runWembed("phrases " + c + " -o " + q(d.file("p1.txt")) + " --save-phrases " + q(d.file("t.tsv")) +
                        " --min-count 2 --threshold 1 -q", d).status == 0);
  REQUIRE(runWembed("phrases -i " + c + " --output " + q(d.file("p2.txt")) + " --min-count 2 --threshold 1 -q", d).status == 0);
  REQUIRE(runWembed("phrases --input " + c + " -o " + q(d.file("p3.txt")) + " --phrases " + q(d.file("t.tsv")) + " -q", d)
              .status == 0);
  const std::string phrased = testutil::readFile(d.file("p1.txt"));
  CHECK(phrased.find("new_york") != std::string::npos);
  CHECK(testutil::readFile(d.file("p2.txt")) == phrased);
  CHECK(testutil::readFile(d.file("p3.txt")) == phrased);
  // train --phrases: in --help, and the vocabulary of training on the phrased text.
  CHECK(runWembed("train --help", d).out.find("--phrases") != std::string::npos);
  const std::string common = " --min-count 1 --dim 4 --epochs 1 --threads 1 -q";
  REQUIRE(runWembed("train -i " + q(d.file("p1.txt")) + " -o " + q(d.file("a.bin")) + " --save-vocab " +
                        q(d.file("a.vocab")) + common, d).status == 0);
  REQUIRE(runWembed("train -i " + c + " --phrases " + q(d.file("t.tsv")) + " -o " + q(d.file("b.bin")) + " --save-vocab " +
                        q(d.file("b.vocab")) + common, d).status == 0);
  CHECK(testutil::readFile(d.file("b.vocab")) == testutil::readFile(d.file("a.vocab")));
  CHECK(testutil::readFile(d.file("b.bin")) == testutil::readFile(d.file("a.bin")));
  const std::string fail = d.subdir("fail");
  checkFailure(runWembed("train -i " + c + " --phrases " + q(d.file("nope.tsv")) + " -o " + q(fail + "/x.bin"), d),
               std::vector<std::string>{fail}, "train --phrases missing", "--phrases: cannot open");
}
