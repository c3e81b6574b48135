#pragma once
// The one check of a numeric setting: every *Args::validate() refuses a value
// outside its range (NaN and infinities always) with an Error whose message
// names the setting and the bound, e.g.
//   checkRange("--alpha", 2.0, Range::openLow(0, 1))  ->  "--alpha must be in (0, 1], not 2"
//   checkRange("--dim", 0, Range::closed(1, 10000))    ->  "--dim must be in [1, 10000], not 0"
//   checkRange("--width", 50, Range::closed(100, 20000).orZero("auto"))
//                                                      ->  "--width must be 0 (auto) or in [100, 20000], not 50"
// Bounds are generous but finite: a value past them is a typo or a
// misunderstanding, never a setting anyone needs.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace wembed {

struct Range {
  double lo = 0, hi = 0;
  bool open_lo = false, open_hi = false;
  const char* zero = nullptr;  // non-null: 0 is allowed too and means this ("all", "off", "auto")

  static Range closed(double lo, double hi) { return {lo, hi, false, false}; }    // [lo, hi]
  static Range openLow(double lo, double hi) { return {lo, hi, true, false}; }    // (lo, hi]
  static Range openHigh(double lo, double hi) { return {lo, hi, false, true}; }   // [lo, hi)
  // [lo, inf): only for what has no magnitude (a seed); any other setting has a finite bound.
  static Range atLeast(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, false}; }
  Range orZero(const char* meaning) const {
    Range r = *this;
    r.zero = meaning;
    return r;
  }
  bool contains(double v) const;  // false for NaN and infinities
  // "[1, 10000]", "(0, 1]", "0 (auto) or [100, 20000]", "[0, 1e9] (0: all)".
  std::string describe() const;
};

// Throws Error("<name> must be in <range>, not <value>") unless r contains value.
void checkRealRange(std::string_view name, double value, const Range& r);
void checkIntRange(std::string_view name, int64_t value, const Range& r);

template <class T>
void checkRange(std::string_view name, T value, const Range& r) {
  static_assert(std::is_arithmetic_v<T>, "checkRange takes numbers");
  if constexpr (std::is_integral_v<T>) checkIntRange(name, static_cast<int64_t>(value), r);
  else checkRealRange(name, static_cast<double>(value), r);
}

// A number as messages show it: the shortest form that reads back exactly,
// integers below 1e6 in full, exponents without padding ("0.025", "10000",
// "1e9", "1e-6", "-1.5e300", "nan", "inf").
std::string shortNumber(double v);

}  // namespace wembed
