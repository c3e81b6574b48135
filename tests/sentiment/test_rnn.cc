#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "wembed/core/error.h"
#include "wembed/sentiment/rnn.h"

using namespace wembed;

namespace {

RowMat<double> randomMat(int r, int c, std::mt19937_64& rng, double scale = 1.0) {
  std::uniform_real_distribution<double> u(-scale, scale);
  RowMat<double> m(r, c);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) m(i, j) = u(rng);
  return m;
}

// loss = sum(Y .* R) for a fixed random R, so dL/dY = R.
double cellLoss(const CellShape& s, const std::vector<double>& p, const PackedLayout& L, bool reverse,
                const RowMat<double>& X, const RowMat<double>& R) {
  CellState<double> st;
  RowMat<double> Y(L.rows(), s.hidden);
  cellForward<double>(s, p.data(), L, reverse, X, Y, st);
  return Y.cwiseProduct(R).sum();
}

void checkCellGradient(CellType cell, bool reverse) {
  std::mt19937_64 rng(cell == CellType::kGru ? 11 : 12);
  CellShape s;
  s.cell = cell;
  s.input = 3;
  s.hidden = 4;
  PackedLayout L;
  L.build({5, 3, 3, 1});
  std::vector<double> p(s.size());
  std::uniform_real_distribution<double> u(-0.8, 0.8);
  for (auto& v : p) v = u(rng);
  const RowMat<double> X = randomMat(L.rows(), s.input, rng);
  const RowMat<double> R = randomMat(L.rows(), s.hidden, rng);

  CellState<double> st;
  RowMat<double> Y(L.rows(), s.hidden);
  cellForward<double>(s, p.data(), L, reverse, X, Y, st);
  std::vector<double> grad(p.size(), 0.0);
  RowMat<double> dX = RowMat<double>::Constant(L.rows(), s.input, 7.0);  // overwritten (not accumulated)
  cellBackward<double>(s, p.data(), grad.data(), L, reverse, X, R, st, &dX, false);

  const double h = 1e-6;
  // Every parameter: each gate's block of Wx, Wh, the biases (and bhn for the GRU).
  for (size_t i = 0; i < p.size(); ++i) {
    std::vector<double> pp = p, pm = p;
    pp[i] += h;
    pm[i] -= h;
    const double num = (cellLoss(s, pp, L, reverse, X, R) - cellLoss(s, pm, L, reverse, X, R)) / (2 * h);
    INFO("parameter " << i << " of " << p.size());
    CHECK(grad[i] == doctest::Approx(num).epsilon(1e-6).scale(1.0));
  }
  for (int r = 0; r < L.rows(); ++r)
    for (int j = 0; j < s.input; ++j) {
      RowMat<double> Xp = X, Xm = X;
      Xp(r, j) += h;
      Xm(r, j) -= h;
      const double num = (cellLoss(s, p, L, reverse, Xp, R) - cellLoss(s, p, L, reverse, Xm, R)) / (2 * h);
      INFO("input row " << r << " col " << j);
      CHECK(dX(r, j) == doctest::Approx(num).epsilon(1e-6).scale(1.0));
    }
}

}  // namespace

TEST_CASE("rnn: packed layout of sorted lengths") {
  PackedLayout L;
  L.build({4, 2, 2, 1});
  CHECK(L.batch() == 4);
  CHECK(L.steps() == 4);
  CHECK(L.active == std::vector<int>{4, 3, 1, 1});
  CHECK(L.offset == std::vector<int>{0, 4, 7, 8, 9});
  CHECK(L.rows() == 9);
  CHECK(L.row(1, 2) == 6);
  CHECK_THROWS_AS(L.build({1, 2}), Error);
  CHECK_THROWS_AS(L.build({2, 0}), Error);
  L.build({});
  CHECK(L.rows() == 0);
}

TEST_CASE("rnn: GRU gradients match finite differences (every gate, both directions)") {
  checkCellGradient(CellType::kGru, false);
  checkCellGradient(CellType::kGru, true);
}

TEST_CASE("rnn: LSTM gradients match finite differences (every gate, both directions)") {
  checkCellGradient(CellType::kLstm, false);
  checkCellGradient(CellType::kLstm, true);
}

TEST_CASE("rnn: a sequence's outputs do not depend on the rest of the batch (padding is masked)") {
  for (CellType cell : {CellType::kGru, CellType::kLstm})
    for (bool reverse : {false, true}) {
      std::mt19937_64 rng(5);
      CellShape s;
      s.cell = cell;
      s.input = 3;
      s.hidden = 5;
      std::vector<double> p(s.size());
      std::uniform_real_distribution<double> u(-0.5, 0.5);
      for (auto& v : p) v = u(rng);
      PackedLayout L;
      const std::vector<int> lengths{6, 4, 2};
      L.build(lengths);
      const RowMat<double> X = randomMat(L.rows(), s.input, rng);
      CellState<double> st;
      RowMat<double> Y(L.rows(), s.hidden);
      cellForward<double>(s, p.data(), L, reverse, X, Y, st);
      for (int b = 0; b < 3; ++b) {
        PackedLayout one;
        one.build({lengths[b]});
        RowMat<double> x1(lengths[b], s.input), y1(lengths[b], s.hidden);
        for (int t = 0; t < lengths[b]; ++t) x1.row(t) = X.row(L.row(t, b));
        CellState<double> st1;
        cellForward<double>(s, p.data(), one, reverse, x1, y1, st1);
        for (int t = 0; t < lengths[b]; ++t)
          for (int j = 0; j < s.hidden; ++j) CHECK(Y(L.row(t, b), j) == doctest::Approx(y1(t, j)).epsilon(1e-12));
      }
    }
}

TEST_CASE("rnn: GRU step matches the equations by hand") {
  // One step from h = 0: r and z do not matter for n except through r * (Wh h + bhn) = r * bhn.
  CellShape s;
  s.cell = CellType::kGru;
  s.input = 1;
  s.hidden = 1;
  std::vector<double> p(s.size(), 0.0);
  // Wx = [wr wz wn], Wh = [ur uz un], b = [br bz bn], bhn
  p[0] = 0.5, p[1] = -0.3, p[2] = 0.8;
  p[3] = 0.1, p[4] = 0.2, p[5] = 0.3;
  p[6] = 0.05, p[7] = -0.1, p[8] = 0.2;
  p[9] = 0.4;
  PackedLayout L;
  L.build({2});
  RowMat<double> X(2, 1);
  X << 1.0, -2.0;
  RowMat<double> Y(2, 1);
  CellState<double> st;
  cellForward<double>(s, p.data(), L, false, X, Y, st);
  auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  double h = 0;
  for (int t = 0; t < 2; ++t) {
    const double x = X(t, 0);
    const double r = sig(0.5 * x + 0.05 + 0.1 * h);
    const double z = sig(-0.3 * x - 0.1 + 0.2 * h);
    const double n = std::tanh(0.8 * x + 0.2 + r * (0.3 * h + 0.4));
    h = (1 - z) * n + z * h;
    CHECK(Y(t, 0) == doctest::Approx(h).epsilon(1e-12));
  }
}

TEST_CASE("rnn: LSTM step matches the equations by hand") {
  CellShape s;
  s.cell = CellType::kLstm;
  s.input = 1;
  s.hidden = 1;
  std::vector<double> p(s.size(), 0.0);
  // Wx = [wi wf wg wo], Wh = [ui uf ug uo], b = [bi bf bg bo]
  const double w[4] = {0.5, -0.4, 0.9, 0.3}, uu[4] = {0.2, 0.1, -0.3, 0.4}, bb[4] = {0.0, 1.0, 0.1, -0.2};
  for (int k = 0; k < 4; ++k) {
    p[k] = w[k];
    p[4 + k] = uu[k];
    p[8 + k] = bb[k];
  }
  PackedLayout L;
  L.build({3});
  RowMat<double> X(3, 1);
  X << 0.7, -1.2, 0.3;
  RowMat<double> Y(3, 1);
  CellState<double> st;
  cellForward<double>(s, p.data(), L, false, X, Y, st);
  auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  double h = 0, c = 0;
  for (int t = 0; t < 3; ++t) {
    const double x = X(t, 0);
    const double i = sig(w[0] * x + uu[0] * h + bb[0]);
    const double f = sig(w[1] * x + uu[1] * h + bb[1]);
    const double g = std::tanh(w[2] * x + uu[2] * h + bb[2]);
    const double o = sig(w[3] * x + uu[3] * h + bb[3]);
    c = f * c + i * g;
    h = o * std::tanh(c);
    CHECK(Y(t, 0) == doctest::Approx(h).epsilon(1e-12));
  }
}
