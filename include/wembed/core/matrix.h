#pragma once
#include <cstddef>
#include <cstdint>

namespace wembed {

// Row-major float matrix; each row starts on a 64-byte boundary (rows are
// padded to a multiple of 16 floats) so SIMD loads are aligned.
class Matrix {
 public:
  Matrix() = default;
  Matrix(int64_t rows, int cols);
  ~Matrix();
  Matrix(Matrix&& o) noexcept;
  Matrix& operator=(Matrix&& o) noexcept;
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;

  float* row(int64_t i) { return data_ + i * stride_; }
  const float* row(int64_t i) const { return data_ + i * stride_; }
  int64_t rows() const { return rows_; }
  int cols() const { return cols_; }
  int stride() const { return stride_; }
  void zero();
  // Removes the first n rows (the rest move up, in place; the memory is kept
  // until the matrix is freed): a matrix of word rows then n-gram rows
  // becomes the n-gram rows alone without a copy of them.
  void dropLeadingRows(int64_t n);
  // Uniform in [-scale, scale), deterministic for the seed (parallel over rows).
  void uniform(float scale, uint64_t seed);

 private:
  void release();
  float* data_ = nullptr;
  int64_t rows_ = 0;
  int cols_ = 0, stride_ = 0;
  size_t mapped_bytes_ = 0;  // > 0: data_ is an anonymous mapping of this size
};

// 64-byte aligned scratch buffer of floats (per-thread state).
class AlignedBuffer {
 public:
  explicit AlignedBuffer(size_t n = 0);
  ~AlignedBuffer();
  AlignedBuffer(AlignedBuffer&& o) noexcept;
  AlignedBuffer& operator=(AlignedBuffer&& o) noexcept;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  float* data() { return p_; }
  const float* data() const { return p_; }

 private:
  float* p_ = nullptr;
};

}  // namespace wembed
