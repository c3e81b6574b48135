#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "wembed/core/progress.h"

using namespace wembed;

TEST_CASE("progress: formatDuration") {
  CHECK(formatDuration(0) == "0h00m00s");
  CHECK(formatDuration(59.4) == "0h00m59s");
  CHECK(formatDuration(59.6) == "0h01m00s");
  CHECK(formatDuration(3661) == "1h01m01s");
  CHECK(formatDuration(100 * 3600 + 5) == "100h00m05s");
  CHECK(formatDuration(-3) == "0h00m00s");
  CHECK(formatDuration(std::nan("")) == "0h00m00s");
  CHECK(formatDuration(INFINITY) == "0h00m00s");
}

TEST_CASE("progress: formatProgress") {
  const std::string s = formatProgress(Progress{0.5, 123456, 0.0125, 0.3456, 90});
  CHECK(s.find(" 50.0%") != std::string::npos);
  CHECK(s.find("123456") != std::string::npos);
  CHECK(s.find("0.012500") != std::string::npos);
  CHECK(s.find("0.3456") != std::string::npos);
  CHECK(s.find("0h01m30s") != std::string::npos);
  CHECK(s.find('\n') == std::string::npos);  // one status line, redrawn with \r by the caller
  CHECK(formatProgress(Progress{1.0, 0, 0, 0, 0}).find("100.0%") != std::string::npos);
}

TEST_CASE("progress: Stopwatch") {
  Stopwatch w;
  const double a = w.seconds();
  CHECK(a >= 0);
  CHECK(a < 5);
  CHECK(w.seconds() >= a);
}

TEST_CASE("progress: Throttle lets one through per interval of the caller's clock") {
  Throttle t(1.0);
  CHECK_FALSE(t.due(0.0));
  CHECK_FALSE(t.due(0.999));
  CHECK(t.due(1.0));  // a full interval since the start
  CHECK_FALSE(t.due(1.5));
  CHECK_FALSE(t.due(1.999));
  CHECK(t.due(2.3));
  CHECK_FALSE(t.due(3.2));  // the interval restarts at the time it let through (2.3)
  CHECK(t.due(3.3));
  CHECK(t.due(3.4, true));  // forced: at once, and a new interval starts
  CHECK_FALSE(t.due(4.3));
  CHECK(t.due(4.4));
  Throttle late(5.0, 10.0);  // starting at t = 10
  CHECK_FALSE(late.due(14.9));
  CHECK(late.due(15.0));
  Throttle first(10.0, -10.0);  // due at once
  CHECK(first.due(0));
  CHECK_FALSE(first.due(9));
}

namespace {

// What a ProgressLine writes, driven with the given (line, time) calls.
struct Capture {
  std::FILE* f = std::tmpfile();
  ~Capture() { std::fclose(f); }
  std::string text() {
    std::fflush(f);
    std::rewind(f);
    std::string s;
    for (int c; (c = std::fgetc(f)) != EOF;) s.push_back(static_cast<char>(c));
    return s;
  }
};

}  // namespace

TEST_CASE("progress: ProgressLine on a terminal redraws in place") {
  Capture c;
  ProgressLine line(c.f, true);
  line.end();  // nothing showing: nothing to end
  line.show("a 10%", 0.0);
  line.show("a 20%", 0.5);
  line.end();
  line.end();
  line.show("b", 30.0);
  line.end();
  CHECK(c.text() == "\ra 10% \ra 20% \n\rb \n");
}

TEST_CASE("progress: ProgressLine into a file writes plain lines every 10 s and the last one") {
  REQUIRE(ProgressLine::kLogInterval == 10);
  Capture c;
  ProgressLine line(c.f, false);
  line.end();  // nothing shown: nothing written
  line.show("p 1", 1.0);   // the first at once
  line.show("p 2", 2.0);   // held back
  line.show("p 3", 10.9);  // held back (9.9 s after the last written)
  line.show("p 4", 11.0);  // 10 s after
  line.show("p 5", 12.0);
  line.show("p 6", 13.0);
  line.end();  // the latest line shown, not yet written
  line.end();  // nothing more
  line.show("q 1", 14.0);  // a new stage: at once
  line.end();              // already written: not again
  CHECK(c.text() == "p 1\np 4\np 6\nq 1\n");
  CHECK(c.text().find('\r') == std::string::npos);
}

TEST_CASE("progress: showProgressLine into a file (stderr not a terminal) writes plain lines") {
  // Point stderr at a file for the duration of the test, as a log would.
  endProgressLine();  // whatever an earlier test left showing
  std::fflush(stderr);
  Capture c;
  const int saved = ::dup(STDERR_FILENO);
  REQUIRE(saved >= 0);
  REQUIRE(::dup2(::fileno(c.f), STDERR_FILENO) >= 0);
  showProgressLine("stage one");
  showProgressLine("stage one, later");  // within 10 s: held back
  endProgressLine();                     // ... and written now
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  const std::string out = c.text();
  INFO(out);
  // The line kind is fixed at first use by whether stderr was then a
  // terminal; ctest (and any redirect) runs the suite with stderr not one.
  if (!::isatty(STDERR_FILENO)) CHECK(out == "stage one\nstage one, later\n");
}
