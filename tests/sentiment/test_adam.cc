#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "wembed/sentiment/adam.h"

using namespace wembed;

TEST_CASE("adam: first steps by hand") {
  AdamArgs o;
  o.lr = 0.1;
  Adam a(o, 2);
  std::vector<float> p{1.0f, -2.0f};
  std::vector<float> g{0.5f, -4.0f};
  a.beginStep();
  a.updateDense(p.data(), g.data());
  // Step 1: mhat = g, vhat = g^2, so each parameter moves by lr * sign(g).
  CHECK(p[0] == doctest::Approx(0.9).epsilon(1e-6));
  CHECK(p[1] == doctest::Approx(-1.9).epsilon(1e-6));
  // Step 2 with gradient 0 for the first value, the same for the second.
  g = {0.0f, -4.0f};
  a.beginStep();
  a.updateDense(p.data(), g.data());
  const double m1 = 0.9 * 0.1 * 0.5, v1 = 0.999 * 0.001 * 0.25;
  const double mhat = m1 / (1 - 0.81), vhat = v1 / (1 - 0.999 * 0.999);
  CHECK(p[0] == doctest::Approx(0.9 - 0.1 * mhat / (std::sqrt(vhat) + 1e-8)).epsilon(1e-5));
  CHECK(p[1] == doctest::Approx(-1.8).epsilon(1e-5));
  CHECK(a.steps() == 2);
}

TEST_CASE("adam: gradient scale is applied before the moments (clipping)") {
  AdamArgs o;
  o.lr = 0.01;
  Adam a(o, 1), b(o, 1);
  std::vector<float> p1{0.f}, p2{0.f};
  for (int i = 0; i < 5; ++i) {
    std::vector<float> g1{2.0f * (i + 1)}, g2{1.0f * (i + 1)};
    a.beginStep();
    b.beginStep();
    a.updateDense(p1.data(), g1.data(), 0.5);
    b.updateDense(p2.data(), g2.data());
  }
  CHECK(p1[0] == doctest::Approx(p2[0]).epsilon(1e-6));
}

TEST_CASE("adam: lazy rows update only the rows given") {
  AdamArgs o;
  o.lr = 0.5;
  Adam a(o, 0, 4, 2);
  RowMat<float> table = RowMat<float>::Ones(4, 2);
  RowMat<float> grads(2, 2);
  grads << 1, -1, 2, 0;
  a.beginStep();
  a.updateRows(table, {3, 1}, grads);
  CHECK(table(0, 0) == 1.0f);
  CHECK(table(2, 1) == 1.0f);
  CHECK(table(3, 0) == doctest::Approx(0.5));
  CHECK(table(3, 1) == doctest::Approx(1.5));
  CHECK(table(1, 0) == doctest::Approx(0.5));
  CHECK(table(1, 1) == doctest::Approx(1.0));  // zero gradient: no move
}

TEST_CASE("adam: minimises a quadratic") {
  AdamArgs o;
  o.lr = 0.05;
  Adam a(o, 3);
  std::vector<float> p{3.f, -2.f, 0.5f}, target{1.f, 1.f, -1.f}, g(3);
  for (int it = 0; it < 2000; ++it) {
    for (int i = 0; i < 3; ++i) g[i] = 2 * (p[i] - target[i]);
    a.beginStep();
    a.updateDense(p.data(), g.data());
  }
  for (int i = 0; i < 3; ++i) CHECK(p[i] == doctest::Approx(target[i]).epsilon(1e-2));
}
