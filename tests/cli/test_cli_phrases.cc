// The `wembed phrases` front end: counting, applying a saved table, standard
// input, and one clear line for every mistake with nothing left behind.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"

using testutil::checkFailure, testutil::kBin, testutil::q, testutil::readFile, testutil::runWembed,
    testutil::TempDir, testutil::writeFile;

namespace {

// "new york" in every other line among counted filler words.
std::string corpus() {
  std::string s;
  for (int l = 0; l < 400; ++l) {
    s += "x" + std::to_string(l % 37) + " y" + std::to_string(l % 41);
    s += (l % 8 == 1) ? " new york z" + std::to_string(l % 43) + "\n" : " z" + std::to_string(l % 47) + "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("cli phrases: counts, saves, applies the table; stdin gives the same") {
  TempDir d;
  const std::string in = d.subdir("in"), out = d.subdir("out");
  writeFile(in + "/c.txt", corpus());
  auto r = runWembed("phrases " + q(in + "/c.txt") + " -o " + q(out + "/p.txt") + " --save-phrases " +
                         q(out + "/t.tsv") + " -q",
                     d);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const std::string phrased = readFile(out + "/p.txt");
  CHECK(phrased.find("new_york") != std::string::npos);
  CHECK(phrased.find("new york") == std::string::npos);
  CHECK(readFile(out + "/t.tsv").find("\nnew_york\t") != std::string::npos);

  r = runWembed("phrases --input " + q(in + "/c.txt") + " --output " + q(out + "/a.txt") + " --phrases " +
                    q(out + "/t.tsv"),
                d);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("pass 1: 1 phrases") != std::string::npos);
  CHECK(readFile(out + "/a.txt") == phrased);

  r = testutil::run("cat " + q(in + "/c.txt") + " | " + q(kBin) + " phrases -i - -o " + q(out + "/s.txt") +
                        " --tmp-dir " + q(out) + " --passes 2 -q",
                    d.path());
  REQUIRE(r.status == 0);
  CHECK(readFile(out + "/s.txt") == phrased);
  // a threshold above every score joins nothing
  r = runWembed("phrases " + q(in + "/c.txt") + " -o " + q(out + "/n.txt") + " --threshold 1e9 -q", d);
  REQUIRE(r.status == 0);
  CHECK(readFile(out + "/n.txt") == corpus());
  r = runWembed("help phrases", d);
  CHECK(r.status == 0);
  CHECK(r.out.find("usage: wembed phrases") == 0);
}

TEST_CASE("cli phrases: errors - one line naming the flag, exit 1, nothing left behind") {
  TempDir d;
  const std::string in = d.subdir("in"), out = d.subdir("out");
  writeFile(in + "/c.txt", corpus());
  writeFile(in + "/t.tsv", "new_york\t20\n");
  writeFile(in + "/bad.tsv", "new_york 20\n");
  const std::string c = " " + q(in + "/c.txt"), o = " -o " + q(out + "/p.txt");
  checkFailure(runWembed("phrases" + c, d), out, "no output", "--output");
  checkFailure(runWembed("phrases" + o, d), out, "no input", "--input");
  checkFailure(runWembed("phrases " + q(in + "/missing.txt") + o, d), out, "missing input", "missing.txt");
  checkFailure(runWembed("phrases" + c + o + " --min-count 0", d), out, "min-count 0", "--min-count");
  checkFailure(runWembed("phrases" + c + o + " --threshold 0", d), out, "threshold 0", "--threshold");
  checkFailure(runWembed("phrases" + c + o + " --scoring npmi", d), out, "npmi with threshold 10", "--threshold");
  checkFailure(runWembed("phrases" + c + o + " --scoring pmi", d), out, "unknown scoring", "--scoring");
  checkFailure(runWembed("phrases" + c + o + " --delimiter ''", d), out, "empty delimiter", "--delimiter");
  checkFailure(runWembed("phrases" + c + o + " --passes 0", d), out, "passes 0", "--passes");
  checkFailure(runWembed("phrases" + c + o + " --max-vocab 0", d), out, "max-vocab 0", "--max-vocab");
  checkFailure(runWembed("phrases" + c + o + " --threads -1", d), out, "threads -1", "--threads");
  checkFailure(runWembed("phrases" + c + o + " --common-words " + q(in + "/none.txt"), d), out,
               "missing connector words", "--common-words");
  checkFailure(runWembed("phrases" + c + o + " --phrases " + q(in + "/missing.tsv"), d), out, "missing table",
               "--phrases");
  checkFailure(runWembed("phrases" + c + o + " --phrases " + q(in + "/bad.tsv"), d), out, "bad table",
               "--phrases");
  checkFailure(runWembed("phrases" + c + o + " --phrases " + q(in + "/t.tsv") + " --min-count 3", d), out,
               "counting flag with --phrases", "--min-count");
  checkFailure(runWembed("phrases" + c + o + " --save-phrases " + q(out + "/p.txt"), d), out,
               "one file for two outputs", "--save-phrases");
  checkFailure(runWembed("phrases" + c + " -o " + q(in + "/c.txt"), d), out, "output over the input", "--output");
  checkFailure(runWembed("phrases" + c + " -o " + q(out + "/no/such/dir/p.txt"), d), out, "no such directory");
}
