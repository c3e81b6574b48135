#pragma once
// Register-blocked small-matrix kernels for the trainers' hot loops: a few
// context rows X (C of them) against a few target rows Y (T of them), as
// HogBatch needs (Ji et al. 2016) and as one hidden vector against its
// targets needs (C = 1). Each row slice is loaded into registers once and
// used against every row of the other side, instead of one dot or axpy pass
// per pair with its loads and stores.
//
// Rows are 64-byte aligned with a stride D that is a multiple of 16 (a
// Matrix's padded rows); they are processed in chunks of one SIMD register
// (16 floats with AVX-512, 8 with AVX, 4 otherwise) and slices of up to
// kMaxChunks chunks, so a slice of one row plus an accumulator stay in
// registers (8 + 8 of the 32 AVX-512 registers, of the 16 AVX or SSE ones).
// A chunk wider than a register (the 16-float chunks these kernels once used
// everywhere) made GCC keep the slices in memory on AVX2: twice the
// instructions of the AVX-512 build, a store after every multiply-add.
#include <algorithm>
#include <type_traits>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace wembed::block {

#if defined(__AVX512F__)
constexpr int kLanes = 16;
#elif defined(__AVX__)
constexpr int kLanes = 8;
#else
constexpr int kLanes = 4;
#endif
constexpr int kMaxChunks = 8;
using vec = float __attribute__((vector_size(kLanes * 4), aligned(kLanes * 4), may_alias));

#if defined(__AVX512F__)
inline float hsum(vec v) { return _mm512_reduce_add_ps(reinterpret_cast<__m512>(v)); }
#elif defined(__AVX__) && (defined(__clang__) || __GNUC__ >= 12)
inline float hsum(vec v) {
  using v4 = float __attribute__((vector_size(16)));
  const v4 h = __builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7);
  return (h[0] + h[2]) + (h[1] + h[3]);
}
#else
inline float hsum(vec v) {
  float s = 0.f;
  for (int i = 0; i < kLanes; ++i) s += v[i];
  return s;
}
#endif

inline const vec* chunks(const float* p) { return reinterpret_cast<const vec*>(p); }
inline vec* chunks(float* p) { return reinterpret_cast<vec*>(p); }

// Calls f(std::integral_constant<int, N>, first chunk) for each slice of a
// row of D floats, N (<= kMaxChunks) known at compile time so the slice's
// loops unroll into registers.
template <typename F>
inline void forSlices(int D, F&& f) {
  const int total = D / kLanes;
  for (int off = 0; off < total; off += kMaxChunks) {
    switch (std::min(kMaxChunks, total - off)) {
      case 1: f(std::integral_constant<int, 1>{}, off); break;
      case 2: f(std::integral_constant<int, 2>{}, off); break;
      case 3: f(std::integral_constant<int, 3>{}, off); break;
      case 4: f(std::integral_constant<int, 4>{}, off); break;
      case 5: f(std::integral_constant<int, 5>{}, off); break;
      case 6: f(std::integral_constant<int, 6>{}, off); break;
      case 7: f(std::integral_constant<int, 7>{}, off); break;
      default: f(std::integral_constant<int, 8>{}, off); break;
    }
  }
}

// S[c * T + j] = X[c] · Y[j] for c < C, j < T.
inline void blockDots(const float* const* X, int C, const float* const* Y, int T, int D, float* __restrict S) {
  std::fill(S, S + static_cast<size_t>(C) * T, 0.f);
  forSlices(D, [&](auto n, int off) {
    constexpr int N = decltype(n)::value;
    for (int c = 0; c < C; ++c) {
      const vec* xp = chunks(X[c]) + off;
      vec x[N];
      for (int k = 0; k < N; ++k) x[k] = xp[k];
      for (int j = 0; j < T; ++j) {
        const vec* y = chunks(Y[j]) + off;
        vec a = x[0] * y[0];
        for (int k = 1; k < N; ++k) a += x[k] * y[k];
        S[c * T + j] += hsum(a);
      }
    }
  });
}

// E[c] = sum over j of G[c * T + j] · Y[j]: the gradients of the C rows of X
// (rows of E contiguous with stride D); with accumulate, E[c] += that sum.
// Zero entries of G are skipped.
inline void blockCombine(const float* __restrict G, int C, const float* const* Y, int T, int D, float* __restrict E,
                         bool accumulate = false) {
  forSlices(D, [&](auto n, int off) {
    constexpr int N = decltype(n)::value;
    for (int c = 0; c < C; ++c) {
      vec* e = chunks(E + static_cast<size_t>(c) * D) + off;
      vec a[N] = {};
      if (accumulate)
        for (int k = 0; k < N; ++k) a[k] = e[k];
      for (int j = 0; j < T; ++j) {
        const float g = G[c * T + j];
        if (g == 0.f) continue;
        const vec* y = chunks(Y[j]) + off;
        for (int k = 0; k < N; ++k) a[k] += g * y[k];
      }
      for (int k = 0; k < N; ++k) e[k] = a[k];
    }
  });
}

// Y[j] += sum over c of G[c * T + j] · X[c], in place, one target row at a
// time (a row named twice in Y gets both updates). Columns of G that are all
// zero are skipped.
inline void blockAddTransposed(const float* __restrict G, int C, const float* const* X, float* const* Y, int T, int D) {
  forSlices(D, [&](auto n, int off) {
    constexpr int N = decltype(n)::value;
    for (int j = 0; j < T; ++j) {
      vec* y = chunks(Y[j]) + off;
      vec a[N];
      bool any = false;
      for (int k = 0; k < N; ++k) a[k] = y[k];
      for (int c = 0; c < C; ++c) {
        const float g = G[c * T + j];
        if (g == 0.f) continue;
        any = true;
        const vec* x = chunks(X[c]) + off;
        for (int k = 0; k < N; ++k) a[k] += g * x[k];
      }
      if (any)
        for (int k = 0; k < N; ++k) y[k] = a[k];
    }
  });
}

// Y[r] += E[r] for each of the R rows (E contiguous with stride D).
inline void blockAddRows(const float* __restrict E, float* const* Y, int R, int D) {
  forSlices(D, [&](auto n, int off) {
    constexpr int N = decltype(n)::value;
    for (int r = 0; r < R; ++r) {
      const vec* e = chunks(E + static_cast<size_t>(r) * D) + off;
      vec* y = chunks(Y[r]) + off;
      for (int k = 0; k < N; ++k) y[k] += e[k];
    }
  });
}

// h = sum of the R rows X[r] (the CBOW hidden vector, before its mean).
inline void blockSumRows(const float* const* X, int R, int D, float* __restrict h) {
  forSlices(D, [&](auto n, int off) {
    constexpr int N = decltype(n)::value;
    vec a[N] = {};
    for (int r = 0; r < R; ++r) {
      const vec* x = chunks(X[r]) + off;
      for (int k = 0; k < N; ++k) a[k] += x[k];
    }
    vec* o = chunks(h) + off;
    for (int k = 0; k < N; ++k) o[k] = a[k];
  });
}

// Y[r] += e for each of the R rows (CBOW: one gradient to every context row).
inline void blockAddToRows(const float* __restrict e, float* const* Y, int R, int D) {
  forSlices(D, [&](auto n, int off) {
    constexpr int N = decltype(n)::value;
    const vec* ep = chunks(e) + off;
    vec g[N];
    for (int k = 0; k < N; ++k) g[k] = ep[k];
    for (int r = 0; r < R; ++r) {
      vec* y = chunks(Y[r]) + off;
      for (int k = 0; k < N; ++k) y[k] += g[k];
    }
  });
}

}  // namespace wembed::block
