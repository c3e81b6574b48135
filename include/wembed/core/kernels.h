#pragma once
// Hot-loop kernels shared by the trainers: dot, axpy and the sigmoid table.
// All inline so the compiler vectorises them in place (-O3 -march=native).
#include <cmath>
#include <cstdint>
#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace wembed {

// The kernels take n as a multiple of 16 and 64-byte aligned pointers:
// callers pass a Matrix's stride (rows are zero-padded to it), so there is
// no remainder loop and the padding stays zero.
#if defined(__AVX512F__)
inline float dot(const float* __restrict a, const float* __restrict b, int n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm512_fmadd_ps(_mm512_load_ps(a + i), _mm512_load_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_load_ps(a + i + 16), _mm512_load_ps(b + i + 16), s1);
  }
  if (i < n) s0 = _mm512_fmadd_ps(_mm512_load_ps(a + i), _mm512_load_ps(b + i), s0);
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}
inline void axpy(float alpha, const float* __restrict x, float* __restrict y, int n) {
  const __m512 av = _mm512_set1_ps(alpha);
  for (int i = 0; i < n; i += 16)
    _mm512_store_ps(y + i, _mm512_fmadd_ps(av, _mm512_load_ps(x + i), _mm512_load_ps(y + i)));
}
#elif defined(__AVX2__) && defined(__FMA__)
inline float dot(const float* __restrict a, const float* __restrict b, int n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  for (int i = 0; i < n; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_load_ps(a + i), _mm256_load_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_load_ps(a + i + 8), _mm256_load_ps(b + i + 8), s1);
  }
  __m256 s = _mm256_add_ps(s0, s1);
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_movehdup_ps(h));
  return _mm_cvtss_f32(h);
}
inline void axpy(float alpha, const float* __restrict x, float* __restrict y, int n) {
  const __m256 av = _mm256_set1_ps(alpha);
  for (int i = 0; i < n; i += 8)
    _mm256_store_ps(y + i, _mm256_fmadd_ps(av, _mm256_load_ps(x + i), _mm256_load_ps(y + i)));
}
#else
inline float dot(const float* __restrict a, const float* __restrict b, int n) {
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < n; i += 8)
    for (int j = 0; j < 8; ++j) s[j] += a[i + j] * b[i + j];
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}
// y += alpha * x
inline void axpy(float alpha, const float* __restrict x, float* __restrict y, int n) {
#pragma omp simd aligned(x, y : 64)
  for (int i = 0; i < n; ++i) y[i] += alpha * x[i];
}
#endif

inline void zeroVec(float* __restrict y, int n) {
#pragma omp simd aligned(y : 64)
  for (int i = 0; i < n; ++i) y[i] = 0.f;
}

inline void scaleVec(float a, float* __restrict y, int n) {
#pragma omp simd aligned(y : 64)
  for (int i = 0; i < n; ++i) y[i] *= a;
}

// Name of the kernel set compiled in (for logs and benchmarks).
inline const char* simdName() {
#if defined(__AVX512F__)
  return "avx512";
#elif defined(__AVX2__) && defined(__FMA__)
  return "avx2";
#else
  return "portable";
#endif
}

inline void prefetchRow(const float* p, int n) {
  for (int i = 0; i < n; i += 16) __builtin_prefetch(p + i);
}

// sigmoid and log-sigmoid by table over [-kMaxExp, kMaxExp] (word2vec's
// EXP_TABLE, finer). Outside the range the caller clamps.
class SigmoidTable {
 public:
  static constexpr float kMaxExp = 6.0f;
  static constexpr int kSize = 1024;
  SigmoidTable();
  // x should be in (-kMaxExp, kMaxExp); anything else, NaN included (the
  // weights of a diverged run), is clamped into the table, never read past it.
  float sigmoid(float x) const { return sig_[index(x)]; }
  float logSigmoid(float x) const { return logsig_[index(x)]; }
  static int index(float x) {
    const float t = (x + kMaxExp) * (kSize / (2 * kMaxExp));
    return static_cast<int>(t > 0.f ? (t < static_cast<float>(kSize) ? t : static_cast<float>(kSize)) : 0.f);
  }

 private:
  float sig_[kSize + 1];
  float logsig_[kSize + 1];
};

const SigmoidTable& sigmoidTable();

}  // namespace wembed
