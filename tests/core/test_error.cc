#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "wembed/core/error.h"
#include "wembed/core/io.h"

using namespace wembed;

TEST_CASE("error: fileError names the file one way") {
  CHECK(std::string(fileError("cannot read", "a.txt", "it is a directory").what()) ==
        "cannot read 'a.txt': it is a directory");
  CHECK(std::string(fileError("cannot read", "-", "it is empty").what()) == "cannot read standard input: it is empty");
}

TEST_CASE("error: sysError adds strerror(errno)") {
  errno = ENOENT;
  CHECK(std::string(sysError("cannot open", "missing.txt").what()) ==
        std::string("cannot open 'missing.txt': ") + std::strerror(ENOENT));
  errno = EACCES;
  CHECK(std::string(sysError("cannot open", "-").what()) ==
        std::string("cannot open standard input: ") + std::strerror(EACCES));
  errno = ENOSPC;
  CHECK(std::string(sysError("cannot write to standard output").what()) ==
        std::string("cannot write to standard output: ") + std::strerror(ENOSPC));
  // A real failure: the message names the file and the system's reason.
  try {
    regularFileSize("/nonexistent/dir/x");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == std::string("cannot open '/nonexistent/dir/x': ") + std::strerror(ENOENT));
  }
}

TEST_CASE("error: withContext prefixes an Error on its way out, one line") {
  CHECK(withContext("ctx", [] { return 42; }) == 42);
  int calls = 0;
  withContext("ctx", [&] { ++calls; });
  CHECK(calls == 1);
  std::string v = "x";
  std::string& r = withContext("ctx", [&]() -> std::string& { return v; });
  CHECK(&r == &v);  // references pass through
  try {
    withContext("cannot resume from 'run.ckpt'", [] { throw Error("the input files changed"); });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "cannot resume from 'run.ckpt': the input files changed");
  }
  // Nested contexts read outermost first.
  try {
    withContext("outer", [] { withContext("inner", [] { throw Error("why"); }); });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "outer: inner: why");
  }
  // Other exceptions pass unchanged.
  CHECK_THROWS_WITH_AS(withContext("ctx", [] { throw std::runtime_error("raw"); }), "raw", std::runtime_error);
  CHECK_THROWS_AS(withContext("ctx", [] { throw std::bad_alloc(); }), std::bad_alloc);
}
