#include "wembed/core/range_check.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "wembed/core/error.h"

namespace wembed {

bool Range::contains(double v) const {
  if (!std::isfinite(v)) return false;
  if (zero && v == 0) return true;
  return (open_lo ? v > lo : v >= lo) && (open_hi ? v < hi : v <= hi);
}

std::string shortNumber(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";
  char buf[40];
  if (v == std::trunc(v) && std::fabs(v) < 1e6) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int prec = 1; prec <= 17; ++prec) {  // the shortest form that reads back exactly
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  // "1e+09" -> "1e9", "1e-06" -> "1e-6".
  std::string s = buf;
  const size_t e = s.find('e');
  if (e == std::string::npos) return s;
  std::string exp = s.substr(e + 1);
  const bool minus = !exp.empty() && exp[0] == '-';
  if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) exp.erase(0, 1);
  while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
  return s.substr(0, e + 1) + (minus ? "-" : "") + exp;
}

std::string Range::describe() const {
  if (std::isinf(hi) && !open_lo) return "at least " + shortNumber(lo);
  const std::string interval = std::string(open_lo ? "(" : "[") + shortNumber(lo) + ", " + shortNumber(hi) +
                               (open_hi ? ")" : "]");
  if (!zero) return "in " + interval;
  const bool zero_inside = (open_lo ? 0 > lo : 0 >= lo) && (open_hi ? 0 < hi : 0 <= hi);
  if (zero_inside) return "in " + interval + " (0: " + zero + ")";
  return std::string("0 (") + zero + ") or in " + interval;
}

void checkRealRange(std::string_view name, double value, const Range& r) {
  if (!r.contains(value)) throw Error(std::string(name) + " must be " + r.describe() + ", not " + shortNumber(value));
}

void checkIntRange(std::string_view name, int64_t value, const Range& r) {
  // Bounds are far below 2^53: the comparison in double is exact where it matters.
  if (!r.contains(static_cast<double>(value)))
    throw Error(std::string(name) + " must be " + r.describe() + ", not " + std::to_string(value));
}

}  // namespace wembed
