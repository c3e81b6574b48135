#include <doctest/doctest.h>
#include <omp.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>

#include "wembed/core/matrix.h"

using namespace wembed;

namespace {
bool sameContents(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols() || a.stride() != b.stride()) return false;
  for (int64_t r = 0; r < a.rows(); ++r)
    if (std::memcmp(a.row(r), b.row(r), sizeof(float) * a.stride()) != 0) return false;
  return true;
}
}  // namespace

TEST_CASE("matrix: shape, stride and 64-byte aligned rows") {
  for (int cols : {1, 15, 16, 17, 20, 100, 300}) {
    CAPTURE(cols);
    Matrix m(7, cols);
    CHECK(m.rows() == 7);
    CHECK(m.cols() == cols);
    CHECK(m.stride() % 16 == 0);
    CHECK(m.stride() >= cols);
    CHECK(m.stride() < cols + 16);
    for (int64_t r = 0; r < m.rows(); ++r) CHECK(reinterpret_cast<uintptr_t>(m.row(r)) % 64 == 0);
    // Zero-initialised, padding included.
    bool zero = true;
    for (int64_t r = 0; r < m.rows(); ++r)
      for (int c = 0; c < m.stride(); ++c) zero &= m.row(r)[c] == 0.f;
    CHECK(zero);
  }
  CHECK(Matrix(3, 20).stride() == 32);
  CHECK(Matrix(3, 16).stride() == 16);
}

TEST_CASE("matrix: uniform() range, zero padding and determinism") {
  const float scale = 0.25f;
  Matrix a(50, 20), b(50, 20), c(50, 20);
  a.uniform(scale, 7);
  b.uniform(scale, 7);
  c.uniform(scale, 8);
  bool in_range = true, padding_zero = true;
  double sum = 0;
  for (int64_t r = 0; r < a.rows(); ++r) {
    for (int k = 0; k < a.cols(); ++k) {
      in_range &= a.row(r)[k] >= -scale && a.row(r)[k] < scale;
      sum += a.row(r)[k];
    }
    for (int k = a.cols(); k < a.stride(); ++k) padding_zero &= a.row(r)[k] == 0.f;
  }
  CHECK(in_range);
  CHECK(padding_zero);
  CHECK(std::abs(sum / (50 * 20)) < 0.05 * scale);
  CHECK(sameContents(a, b));
  CHECK_FALSE(sameContents(a, c));
  // Rows differ from one another.
  CHECK(std::memcmp(a.row(0), a.row(1), sizeof(float) * 20) != 0);
  // Independent of the number of threads.
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  Matrix one(50, 20);
  one.uniform(scale, 7);
  omp_set_num_threads(2);
  Matrix two(50, 20);
  two.uniform(scale, 7);
  omp_set_num_threads(saved);
  CHECK(sameContents(one, a));
  CHECK(sameContents(two, a));
  // zero() clears everything.
  a.zero();
  bool zero = true;
  for (int64_t r = 0; r < a.rows(); ++r)
    for (int k = 0; k < a.stride(); ++k) zero &= a.row(r)[k] == 0.f;
  CHECK(zero);
}

TEST_CASE("matrix: move construction and assignment") {
  Matrix a(4, 10);
  a.uniform(1.f, 3);
  const float v = a.row(2)[5];
  Matrix b(std::move(a));
  CHECK(b.rows() == 4);
  CHECK(b.row(2)[5] == v);
  CHECK(a.rows() == 0);
  Matrix c(1, 1);
  c = std::move(b);
  CHECK(c.rows() == 4);
  CHECK(c.cols() == 10);
  CHECK(c.row(2)[5] == v);
  Matrix empty;
  CHECK(empty.rows() == 0);
}

TEST_CASE("aligned buffer: aligned and zeroed") {
  for (size_t n : {size_t(0), size_t(1), size_t(16), size_t(100)}) {
    AlignedBuffer b(n);
    CHECK(reinterpret_cast<uintptr_t>(b.data()) % 64 == 0);
    bool zero = true;
    for (size_t i = 0; i < n; ++i) zero &= b.data()[i] == 0.f;
    CHECK(zero);
  }
  AlignedBuffer a(32);
  a.data()[3] = 5.f;
  AlignedBuffer m(std::move(a));
  CHECK(m.data()[3] == 5.f);
  CHECK(a.data() == nullptr);
}

TEST_CASE("matrix: large matrices (a populated mapping) are zeroed, aligned, movable and clearable") {
  Matrix a(300000, 20);  // 300000 x 32 floats = 38 MB
  REQUIRE(a.stride() == 32);
  bool zero = true, aligned = true;
  for (int64_t r = 0; r < a.rows(); r += 997) {
    aligned &= reinterpret_cast<uintptr_t>(a.row(r)) % 64 == 0;
    for (int c = 0; c < a.stride(); ++c) zero &= a.row(r)[c] == 0.f;
  }
  CHECK(zero);
  CHECK(aligned);
  a.row(299999)[19] = 7.f;
  Matrix b(std::move(a));
  CHECK(b.row(299999)[19] == 7.f);
  CHECK(a.rows() == 0);
  Matrix c(10, 3);
  c = std::move(b);  // frees the small one, takes the mapping
  CHECK(c.row(299999)[19] == 7.f);
  b = Matrix(2, 2);  // the moved-from matrix is reusable
  c.zero();
  CHECK(c.row(299999)[19] == 0.f);
  c.uniform(1.f, 3);
  CHECK(c.row(1)[0] != 0.f);
}
