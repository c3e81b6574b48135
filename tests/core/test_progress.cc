#include <doctest/doctest.h>

#include <cmath>
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
  const std::string s = formatProgress(0.5, 123456, 0.0125, 0.3456, 90);
  CHECK(s.find(" 50.0%") != std::string::npos);
  CHECK(s.find("123456") != std::string::npos);
  CHECK(s.find("0.012500") != std::string::npos);
  CHECK(s.find("0.3456") != std::string::npos);
  CHECK(s.find("0h01m30s") != std::string::npos);
  CHECK(s.find('\n') == std::string::npos);  // one status line, redrawn with \r by the caller
  CHECK(formatProgress(1.0, 0, 0, 0, 0).find("100.0%") != std::string::npos);
}

TEST_CASE("progress: Stopwatch") {
  Stopwatch w;
  const double a = w.seconds();
  CHECK(a >= 0);
  CHECK(a < 5);
  CHECK(w.seconds() >= a);
}
