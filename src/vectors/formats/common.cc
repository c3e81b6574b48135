#include "common.h"

#include <algorithm>
#include <cstring>

#include "wembed/core/error.h"
#include "wembed/core/io.h"

namespace wembed::formats {

void bad(const std::string& path, const std::string& what) {
  throw Error("bad vector file " + quotedName(path) + ": " + what);
}

std::string shown(std::string_view w) { return quote(w, 40); }

std::string plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

uint64_t firstNotFinite(const char* p, uint64_t n) {
  constexpr uint64_t kBlock = 256;
  for (uint64_t i = 0; i < n; i += kBlock) {
    float x[kBlock];
    const uint64_t m = std::min(kBlock, n - i);
    std::memcpy(x, p + i * sizeof(float), m * sizeof(float));
    if (!allFinite(x, static_cast<int64_t>(m)))
      for (uint64_t j = 0;; ++j)
        if (!std::isfinite(x[j])) return i + j;
  }
  return n;
}

void notFinite(const std::string& path, const char* unit, int64_t row, std::string_view word, const float* x, int d) {
  int j = 0;
  while (j < d - 1 && std::isfinite(x[j])) ++j;
  bad(path, std::string(unit) + " " + std::to_string(row + 1) + " (" + shown(word) + ") value " + std::to_string(j + 1) +
                " is not a finite number (" + std::to_string(x[j]) + ")");
}

}  // namespace wembed::formats
