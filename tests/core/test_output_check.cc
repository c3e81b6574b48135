#include "doctest/doctest.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/core/output_check.h"

using namespace wembed;
using testutil::TempDir;

TEST_CASE("output check: outputs must differ from each other and from the inputs") {
  TempDir d;
  testutil::writeFile(d.file("in.txt"), "x\n");
  CHECK_NOTHROW(checkDistinctFiles({{"--output", d.file("a")}, {"--save-vocab", ""}, {"--x", d.file("b")}},
                                   {d.file("in.txt"), "-"}));
  CHECK_THROWS_WITH_AS(checkDistinctFiles({{"--output", d.file("a")}, {"--x", d.path() + "/./a"}}, {}),
                       doctest::Contains("--output and --x name the same file"), Error);
  CHECK_THROWS_WITH_AS(checkDistinctFiles({{"--output", d.file("in.txt")}}, {d.file("in.txt")}),
                       doctest::Contains("is also an input"), Error);
}

TEST_CASE("output check: --tmp-dir must be an existing directory") {
  TempDir d;
  testutil::writeFile(d.file("f"), "");
  CHECK_NOTHROW(checkTmpDir(""));
  CHECK_NOTHROW(checkTmpDir(d.path()));
  CHECK_THROWS_WITH_AS(checkTmpDir(d.file("f")), doctest::Contains("not an existing directory"), Error);
  CHECK_THROWS_WITH_AS(checkTmpDir(d.file("nope")), doctest::Contains("not an existing directory"), Error);
}
