#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "wembed/core/error.h"
#include "wembed/core/range_check.h"

using namespace wembed;

TEST_CASE("range check: the message names the setting, the range and the value") {
  CHECK_THROWS_WITH_AS(checkRange("--alpha", 2.0, Range::openLow(0, 1)), "--alpha must be in (0, 1], not 2", Error);
  CHECK_THROWS_WITH_AS(checkRange("--alpha", 0.0, Range::openLow(0, 1)), "--alpha must be in (0, 1], not 0", Error);
  CHECK_THROWS_WITH_AS(checkRange("--sample", 1.0, Range::openHigh(0, 1).orZero("off")),
                       "--sample must be in [0, 1) (0: off), not 1", Error);
  CHECK_THROWS_WITH_AS(checkRange("--dim", 0, Range::closed(1, 10000)), "--dim must be in [1, 10000], not 0", Error);
  CHECK_THROWS_WITH_AS(checkRange("--width", 50, Range::closed(100, 20000).orZero("auto")),
                       "--width must be 0 (auto) or in [100, 20000], not 50", Error);
  CHECK_THROWS_WITH_AS(checkRange("--max-vocab", int64_t{-1}, Range::closed(0, 1e9).orZero("all")),
                       "--max-vocab must be in [0, 1e9] (0: all), not -1", Error);
  CHECK_THROWS_WITH_AS(checkRange("--seed", int64_t{-1}, Range::atLeast(0)), "--seed must be at least 0, not -1", Error);
  // A value just past a bound is shown in full, not rounded onto it.
  CHECK_THROWS_WITH_AS(checkRange("--alpha", 1.0000001, Range::openLow(0, 1)),
                       "--alpha must be in (0, 1], not 1.0000001", Error);
}

TEST_CASE("range check: NaN and infinities are always refused; the bounds themselves as declared") {
  const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH_AS(checkRange("--eta", nan, Range::openLow(0, 10)), "--eta must be in (0, 10], not nan", Error);
  CHECK_THROWS_WITH_AS(checkRange("--eta", inf, Range::openLow(0, 10)), "--eta must be in (0, 10], not inf", Error);
  CHECK_THROWS_AS(checkRange("--eta", -inf, Range::openLow(0, 10)), Error);
  CHECK_THROWS_AS(checkRange("--seed", inf, Range::atLeast(0)), Error);  // unbounded, yet finite
  CHECK_THROWS_AS(checkRange("--x", nan, Range::closed(0, 1).orZero("off")), Error);
  CHECK_NOTHROW(checkRange("--eta", 10.0, Range::openLow(0, 10)));
  CHECK_NOTHROW(checkRange("--sample", 0.0, Range::openHigh(0, 1)));
  CHECK_THROWS_AS(checkRange("--sample", 1.0, Range::openHigh(0, 1)), Error);
  CHECK_NOTHROW(checkRange("--width", 0, Range::closed(100, 20000).orZero("auto")));
  CHECK_NOTHROW(checkRange("--width", 100, Range::closed(100, 20000).orZero("auto")));
  CHECK_NOTHROW(checkRange("--seed", INT64_MAX, Range::atLeast(0)));
  CHECK_THROWS_AS(checkRange("--limit", INT64_MAX, Range::closed(0, 1e9)), Error);
  CHECK_THROWS_AS(checkRange("--limit", INT64_MIN, Range::closed(0, 1e9)), Error);
}

TEST_CASE("range check: numbers as messages show them") {
  CHECK(shortNumber(0.025) == "0.025");
  CHECK(shortNumber(10000) == "10000");
  CHECK(shortNumber(1e9) == "1e9");
  CHECK(shortNumber(1e-6) == "1e-6");
  CHECK(shortNumber(-1.5e300) == "-1.5e300");
  CHECK(shortNumber(0.1) == "0.1");
  CHECK(shortNumber(-0.5) == "-0.5");
  CHECK(shortNumber(std::nan("")) == "nan");
  CHECK(shortNumber(-std::numeric_limits<double>::infinity()) == "-inf");
}
