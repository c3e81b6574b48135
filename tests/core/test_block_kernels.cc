#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "wembed/core/block_kernels.h"
#include "wembed/core/matrix.h"

using namespace wembed;

namespace {

// A matrix of R rows with random values in its D columns (padding zero).
Matrix randomMatrix(int R, int D, std::mt19937& rng) {
  Matrix m(R, D);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  for (int r = 0; r < R; ++r)
    for (int i = 0; i < D; ++i) m.row(r)[i] = u(rng);
  return m;
}

std::vector<float*> rowsOf(Matrix& m, const std::vector<int>& ids) {
  std::vector<float*> p;
  for (int i : ids) p.push_back(m.row(i));
  return p;
}

double naiveDot(const float* a, const float* b, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += double(a[i]) * b[i];
  return s;
}

}  // namespace

// Widths of one chunk, one full slice, a slice and a remainder (300 = 19 chunks).
TEST_CASE("block kernels: dots, combine and transposed update equal naive loops") {
  std::mt19937 rng(7);
  for (int D : {16, 100, 128, 300}) {
    CAPTURE(D);
    Matrix X = randomMatrix(10, D, rng), Y = randomMatrix(8, D, rng);
    const int S = X.stride();
    // Rows repeat on both sides, as a window may name a word twice and a
    // negative may be drawn twice.
    const std::vector<int> xi = {0, 3, 3, 9, 5}, yi = {1, 7, 1, 2};
    std::vector<float*> xr = rowsOf(X, xi), yr = rowsOf(Y, yi);
    const int C = static_cast<int>(xi.size()), T = static_cast<int>(yi.size());

    std::vector<float> dots(C * T);
    block::blockDots(xr.data(), C, yr.data(), T, S, dots.data());
    for (int c = 0; c < C; ++c)
      for (int j = 0; j < T; ++j) CHECK(dots[c * T + j] == doctest::Approx(naiveDot(xr[c], yr[j], D)).epsilon(1e-5));

    std::vector<float> G(C * T);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    for (float& g : G) g = u(rng);
    for (int c = 0; c < C; ++c) G[c * T + 3] = 0.f;  // an all-zero column is skipped
    G[1 * T + 0] = 0.f;

    // Expected: E = G·Y with the old Y; Y += Gᵀ·X (each named row once per mention).
    std::vector<double> E(size_t(C) * D, 0.0);
    for (int c = 0; c < C; ++c)
      for (int j = 0; j < T; ++j)
        for (int i = 0; i < D; ++i) E[size_t(c) * D + i] += double(G[c * T + j]) * yr[j][i];
    Matrix Yexp(8, D);
    for (int r = 0; r < 8; ++r)
      for (int i = 0; i < S; ++i) Yexp.row(r)[i] = Y.row(r)[i];
    for (int j = 0; j < T; ++j)
      for (int c = 0; c < C; ++c)
        for (int i = 0; i < D; ++i) Yexp.row(yi[j])[i] += G[c * T + j] * xr[c][i];

    AlignedBuffer e(size_t(C) * S);
    block::blockCombine(G.data(), C, yr.data(), T, S, e.data());
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < D; ++i) CHECK(e.data()[size_t(c) * S + i] == doctest::Approx(E[size_t(c) * D + i]).epsilon(1e-5));
    block::blockCombine(G.data(), C, yr.data(), T, S, e.data(), true);  // accumulate: twice the sum
    CHECK(e.data()[0] == doctest::Approx(2 * E[0]).epsilon(1e-5));
    if (S > D) CHECK(e.data()[D] == 0.f);  // padding stays zero
    CHECK(e.data()[D - 1] == doctest::Approx(2 * E[D - 1]).epsilon(1e-5));

    block::blockAddTransposed(G.data(), C, xr.data(), yr.data(), T, S);
    for (int r = 0; r < 8; ++r)
      for (int i = 0; i < S; ++i) REQUIRE(Y.row(r)[i] == doctest::Approx(Yexp.row(r)[i]).epsilon(1e-5));

    // X[c] += E[c], a row named twice gets both.
    Matrix Xexp(10, D);
    for (int r = 0; r < 10; ++r)
      for (int i = 0; i < S; ++i) Xexp.row(r)[i] = X.row(r)[i];
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < S; ++i) Xexp.row(xi[c])[i] += e.data()[size_t(c) * S + i];
    block::blockAddRows(e.data(), xr.data(), C, S);
    for (int r = 0; r < 10; ++r)
      for (int i = 0; i < S; ++i) REQUIRE(X.row(r)[i] == doctest::Approx(Xexp.row(r)[i]).epsilon(1e-5));
  }
}

TEST_CASE("block kernels: row sums and one gradient to every row") {
  std::mt19937 rng(3);
  for (int D : {16, 100, 300}) {
    CAPTURE(D);
    Matrix X = randomMatrix(6, D, rng);
    const int S = X.stride();
    std::vector<float*> xr = rowsOf(X, {2, 4, 2});
    AlignedBuffer h(S);
    block::blockSumRows(xr.data(), 3, S, h.data());
    for (int i = 0; i < D; ++i) CHECK(h.data()[i] == doctest::Approx(2 * X.row(2)[i] + X.row(4)[i]).epsilon(1e-6));
    const float x2 = X.row(2)[D - 1], x4 = X.row(4)[D - 1];
    for (int i = 0; i < S; ++i) h.data()[i] = i < D ? 0.5f : 0.f;
    block::blockAddToRows(h.data(), xr.data(), 3, S);
    CHECK(X.row(2)[D - 1] == doctest::Approx(x2 + 1.0f));  // named twice
    CHECK(X.row(4)[D - 1] == doctest::Approx(x4 + 0.5f));
    if (S > D) CHECK(X.row(2)[D] == 0.f);
  }
}
