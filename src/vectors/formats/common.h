#pragma once
// Helpers every vector format uses: error messages naming the file, finite
// checks, sizes. Internal to the vectors library.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace wembed::formats {

// Largest number of dimensions a vector file may declare.
constexpr int kMaxDim = 100000;

// Throws Error("bad vector file 'path': what").
[[noreturn]] void bad(const std::string& path, const std::string& what);

// A word for an error message: quoted, cut to 40 bytes.
std::string shown(std::string_view w);
// "1 row", "3 rows".
std::string plural(int64_t n, const char* one, const char* many);

inline uint64_t align(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

inline bool allFinite(const float* x, int64_t n) {
  bool ok = true;
  for (int64_t j = 0; j < n; ++j) ok &= std::isfinite(x[j]);
  return ok;
}

// Index of the first NaN or infinity among n floats stored at p (any
// alignment), n if there is none.
uint64_t firstNotFinite(const char* p, uint64_t n);

// The error for a row (0-based) holding a NaN or an infinity: unit is "row"
// or "line"; x holds the row's d values.
[[noreturn]] void notFinite(const std::string& path, const char* unit, int64_t row, std::string_view word,
                            const float* x, int d);

}  // namespace wembed::formats
