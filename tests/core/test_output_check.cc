#include "doctest/doctest.h"

#include <filesystem>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/core/output_check.h"

using namespace wembed;
using testutil::TempDir;

namespace {
// The message plan.check() throws ("" if none).
std::string problem(const FilePlan& plan) {
  try {
    plan.check();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("file plan: outputs must differ from each other and from the inputs") {
  TempDir d;
  testutil::writeFile(d.file("in.txt"), "x\n");
  FilePlan ok;
  ok.read("--input", std::vector<std::string>{d.file("in.txt"), "-"});
  ok.write("--output", d.file("a"));
  ok.write("--save-vocab", "");
  ok.write("--x", d.file("b"));
  CHECK(problem(ok).empty());

  FilePlan twice;
  twice.write("--output", d.file("a"));
  twice.write("--x", d.path() + "/./a");
  CHECK(problem(twice) == "--output " + quote(d.file("a")) + " and --x " + quote(d.path() + "/./a") +
                              " name the same file: one would overwrite the other");

  FilePlan onto;
  onto.read("--input", d.file("in.txt"));
  onto.write("--output", d.file("in.txt"));
  CHECK(problem(onto) == "--output " + quote(d.file("in.txt")) + " is also an input (--input " +
                             quote(d.file("in.txt")) + "): it would be overwritten");
}

TEST_CASE("file plan: the same file under other names: hard link, symlink, '..', a dangling link's target") {
  TempDir d;
  testutil::writeFile(d.file("in.txt"), "x\n");
  std::filesystem::create_directory(d.file("sub"));
  std::filesystem::create_hard_link(d.file("in.txt"), d.file("hard.txt"));
  std::filesystem::create_symlink("in.txt", d.file("soft.txt"));
  std::filesystem::create_symlink("out.txt", d.file("dangling.txt"));
  for (const std::string& name : {d.file("hard.txt"), d.file("soft.txt"), d.file("sub/../in.txt"),
                                  d.file("nosuchdir/../in.txt")}) {
    INFO(name);
    FilePlan p;
    p.read("--input", d.file("in.txt"));
    p.write("--output", name);
    CHECK(problem(p).find("is also an input") != std::string::npos);
  }
  FilePlan p;
  p.write("--output", d.file("dangling.txt"));
  p.write("--save-vocab", d.file("sub/../out.txt"));
  CHECK(problem(p).find("name the same file") != std::string::npos);
}

TEST_CASE("file plan: an input named as an output's temporary file (a resume would remove it)") {
  TempDir d;
  testutil::writeFile(d.file("v.bin.tmp.abc123"), "x\n");
  FilePlan p;
  p.read("--input", d.file("v.bin.tmp.abc123"));
  p.write("--output", d.file("v.bin"));
  CHECK(problem(p) == "--input " + quote(d.file("v.bin.tmp.abc123")) + " has the name of a temporary file of --output " +
                          quote(d.file("v.bin")) + ", which a resumed run removes: rename it");
  FilePlan other;  // another output's, or another directory's, is no concern
  other.read("--input", d.file("v.bin.tmp.abc123"));
  other.write("--output", d.file("w.bin"));
  other.write("--save-vocab", d.file("sub/v.bin"));
  CHECK(problem(other).empty());
}

TEST_CASE("file plan: files beside the named one, and a resumed checkpoint written again") {
  TempDir d;
  FilePlan beside;
  beside.read("--input", d.file("x.vocab.txt"));
  beside.writeBeside("--output", d.file("x.npy"), d.file("x.npy"));
  beside.writeBeside("--output", d.file("x.npy"), d.file("x.vocab.txt"));
  CHECK(problem(beside) == quote(d.file("x.vocab.txt")) + " of --output " + quote(d.file("x.npy")) +
                               " is also an input (--input " + quote(d.file("x.vocab.txt")) +
                               "): it would be overwritten");

  testutil::writeFile(d.file("c.ckpt"), "");
  FilePlan resume;
  resume.read("--resume", d.file("c.ckpt"));
  resume.readBeside("--resume", d.file("c.ckpt"), d.file("c.ckpt.cooccur"));
  resume.writeBeside("--resume", d.file("c.ckpt"), d.file("c.ckpt.cooccur"));  // read, then removed
  resume.write("--checkpoint", d.file("c.ckpt"));
  resume.allowRewrite("--checkpoint", "--resume");
  CHECK(problem(resume).empty());
  resume.write("--output", d.file("c.ckpt"));  // nothing else may replace it
  CHECK(problem(resume) == "--checkpoint " + quote(d.file("c.ckpt")) + " and --output " + quote(d.file("c.ckpt")) +
                               " name the same file: one would overwrite the other");

  FilePlan counts;  // the rewrite is of the checkpoint itself, not of the files beside it
  counts.read("--resume", d.file("c.ckpt"));
  counts.readBeside("--resume", d.file("c.ckpt"), d.file("c.ckpt.cooccur"));
  counts.write("--checkpoint", d.file("c.ckpt.cooccur"));
  counts.allowRewrite("--checkpoint", "--resume");
  CHECK(problem(counts).find("is also an input") != std::string::npos);
}

TEST_CASE("output check: --tmp-dir must be an existing directory") {
  TempDir d;
  testutil::writeFile(d.file("f"), "");
  CHECK_NOTHROW(checkTmpDir(""));
  CHECK_NOTHROW(checkTmpDir(d.path()));
  CHECK_THROWS_WITH_AS(checkTmpDir(d.file("f")), doctest::Contains("not an existing directory"), Error);
  CHECK_THROWS_WITH_AS(checkTmpDir(d.file("nope")), doctest::Contains("not an existing directory"), Error);
}
