#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/word2vec/args.h"
#include "wembed/glove/cooccur.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/error.h"
#include "wembed/glove/trainer.h"
#include "wembed/core/matrix.h"

using namespace wembed;
using testutil::TempDir;

namespace {

// A word row and a context row in the trainer's layout (see glove.h).
struct Rows {
  int d, S;
  AlignedBuffer w, c;
  Rows(int dim, std::mt19937& rng) : d(dim), S(gloveRowWidth(dim)), w(2 * S), c(2 * S) {
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    float* W = w.data();
    float* C = c.data();
    for (int k = 0; k < d; ++k) W[k] = u(rng), C[k] = u(rng);
    W[d] = u(rng);      // b
    W[d + 1] = 1.f;
    C[d] = 1.f;
    C[d + 1] = u(rng);  // b~
    for (int k = S; k < 2 * S; ++k) W[k] = C[k] = 1.f;
    W[S + d + 1] = C[S + d] = std::numeric_limits<float>::infinity();
  }
  double cost(float x, float x_max, float alpha) const {
    return gloveRecordCost(w.data(), c.data(), w.data()[d], c.data()[d + 1], x, x_max, alpha, d);
  }
};

}  // namespace

TEST_CASE("glove: row width leaves room for the two bias slots") {
  CHECK(gloveRowWidth(1) == 16);
  CHECK(gloveRowWidth(14) == 16);
  CHECK(gloveRowWidth(15) == 32);
  CHECK(gloveRowWidth(100) == 112);
  CHECK(gloveRowWidth(300) == 304);
}

TEST_CASE("glove: the step is -eta times the gradient of the cost (numerical check)") {
  std::mt19937 rng(42);
  for (int dim : {3, 14, 20}) {
    for (float x : {0.37f, 2.5f, 150.f}) {  // below and above x_max
      INFO("dim " << dim << " x " << x);
      const float x_max = 10.f, alpha = 0.75f, eta = 0.5f;  // the first step divides by sqrt(1) whatever eta is
      Rows r(dim, rng);
      const int S = r.S;
      // Numerical gradient of the cost with respect to w, c, b, b~.
      const int n = 2 * dim + 2;
      std::vector<float*> params;
      for (int k = 0; k < dim; ++k) params.push_back(r.w.data() + k);
      for (int k = 0; k < dim; ++k) params.push_back(r.c.data() + k);
      params.push_back(r.w.data() + dim);
      params.push_back(r.c.data() + dim + 1);
      std::vector<double> numeric(n);
      for (int p = 0; p < n; ++p) {
        const float keep = *params[p];
        const float h = 1e-2f;
        *params[p] = keep + h;
        const double up = r.cost(x, x_max, alpha);
        *params[p] = keep - h;
        const double down = r.cost(x, x_max, alpha);
        *params[p] = keep;
        numeric[p] = (up - down) / (2.0 * h);
      }
      std::vector<float> before(n);
      for (int p = 0; p < n; ++p) before[p] = *params[p];
      const double cost = r.cost(x, x_max, alpha);
      const float returned = gloveStep(r.w.data(), r.c.data(), S, x, x_max, std::log(x_max), alpha, eta, 1e30f);
      CHECK(returned == doctest::Approx(cost).epsilon(1e-4));
      for (int p = 0; p < n; ++p) {
        INFO("parameter " << p);
        const double step = (static_cast<double>(before[p]) - *params[p]) / eta;  // AdaGrad sums start at 1
        CHECK(step == doctest::Approx(numeric[p]).epsilon(1e-3).scale(1e-2));
      }
      // The constant slots did not move; the AdaGrad sums grew by (eta g)^2.
      CHECK(r.w.data()[dim + 1] == 1.f);
      CHECK(r.c.data()[dim] == 1.f);
      for (int k = dim + 2; k < S; ++k) CHECK((r.w.data()[k] == 0.f && r.c.data()[k] == 0.f));
      const double g0 = numeric[0] * eta;  // d cost / d w_0, times eta
      CHECK(r.w.data()[S] == doctest::Approx(1.0 + g0 * g0).epsilon(1e-3));
      CHECK(std::isinf(r.w.data()[S + dim + 1]));
      CHECK(std::isinf(r.c.data()[S + dim]));
    }
  }
}

TEST_CASE("glove: AdaGrad scaling and clipping of the update") {
  // One dimension by hand: w = 0.5, c = -2, G_w = 4, G_c = 1, g = 0.1.
  const int S = 16;
  AlignedBuffer w(2 * S), c(2 * S);
  for (int k = 0; k < 2 * S; ++k) w.data()[k] = c.data()[k] = k >= S ? 1.f : 0.f;
  w.data()[0] = 0.5f;
  c.data()[0] = -2.f;
  w.data()[S] = 4.f;
  gloveUpdate(w.data(), c.data(), w.data() + S, c.data() + S, 0.1f, 1e30f, S);
  CHECK(w.data()[0] == doctest::Approx(0.5 - 0.1 * -2.0 / 2.0));  // w -= g c / sqrt(4)
  CHECK(c.data()[0] == doctest::Approx(-2.0 - 0.1 * 0.5));        // c -= g w / sqrt(1), w before the update
  CHECK(w.data()[S] == doctest::Approx(4.0 + 0.04));
  CHECK(c.data()[S] == doctest::Approx(1.0 + 0.0025));
  // Clipping at 0.1: g c = -0.2 is clipped to -0.1.
  w.data()[0] = 0.5f;
  c.data()[0] = -2.f;
  w.data()[S] = 1.f;
  c.data()[S] = 1.f;
  gloveUpdate(w.data(), c.data(), w.data() + S, c.data() + S, 0.1f, 0.1f, S);
  CHECK(w.data()[0] == doctest::Approx(0.5 + 0.1));
  CHECK(w.data()[S] == doctest::Approx(1.01));
  CHECK(c.data()[0] == doctest::Approx(-2.0 - 0.05));  // 0.05 is within the clip
}

namespace {

// Two topics: lines mix words of one topic only, so words of the same topic
// share contexts.
std::string topicCorpus(std::mt19937& rng, int lines) {
  std::string s;
  for (int l = 0; l < lines; ++l) {
    const char topic = (rng() % 2) ? 'a' : 'b';
    const int n = 8 + static_cast<int>(rng() % 10);
    for (int i = 0; i < n; ++i) {
      if (i) s += ' ';
      s += topic;
      s += std::to_string(rng() % 12);
      if (rng() % 3 == 0) s += " the";
    }
    s += '\n';
  }
  return s;
}

struct Prepared {
  TempDir dir;
  Dictionary dict;
  std::string cooc;
  std::vector<CooccurRecord> recs;
};

void prepare(Prepared& p, int lines) {
  std::mt19937 rng(1);
  const std::string in = p.dir.file("corpus.txt");
  testutil::writeFile(in, topicCorpus(rng, lines));
  VocabArgs v;
  v.input = {in};
  v.min_count = 1;
  p.dict = buildVocabulary(v, nullptr);
  CooccurArgs a;
  a.window = 5;
  a.threads = 1;
  a.tmp_dir = p.dir.path();
  a.memory_gb = 0.01;
  p.cooc = p.dir.file("c.bin");
  countCooccurrences({in}, p.dict, a, p.cooc);
  CooccurReader r(p.cooc);
  p.recs.resize(r.records());
  r.read(0, p.recs.data(), p.recs.size());
}

GloveArgs smallArgs() {
  GloveArgs g;
  g.dim = 10;
  g.epochs = 25;
  g.x_max = 10;
  g.threads = 1;
  return g;
}

double cosine(const Matrix& m, int32_t a, int32_t b) {
  double ab = 0, aa = 0, bb = 0;
  for (int k = 0; k < m.cols(); ++k) {
    ab += m.row(a)[k] * m.row(b)[k];
    aa += m.row(a)[k] * m.row(a)[k];
    bb += m.row(b)[k] * m.row(b)[k];
  }
  return ab / std::sqrt(aa * bb);
}

}  // namespace

TEST_CASE("glove: the cost decreases and the vectors learn the topics") {
  Prepared p;
  prepare(p, 400);
  GloveTrainer t(smallArgs(), p.dict.size());
  const double start = t.cost(p.recs);
  std::vector<double> costs;
  t.on_epoch = [&](const GloveEpoch& e) { costs.push_back(e.cost); };
  const GloveStats st = t.train(p.recs);
  REQUIRE(st.epochs.size() == 25);
  REQUIRE(costs.size() == 25);
  CHECK(st.records == p.recs.size());
  CHECK(st.epochs[0].cost < start);
  for (size_t e = 1; e < costs.size(); ++e) {
    INFO("epoch " << e + 1);
    CHECK(costs[e] < costs[e - 1]);
  }
  CHECK(costs.back() < 0.25 * costs.front());
  const double end = t.cost(p.recs);
  CHECK(end < costs.back() * 1.05);
  // Same-topic words are closer than words of different topics.
  const Matrix v = t.sumVectors();
  double same = 0, diff = 0;
  int ns = 0, nd = 0;
  for (int i = 0; i < 12; ++i)
    for (int j = 0; j < 12; ++j) {
      const int32_t ai = p.dict.find("a" + std::to_string(i)), aj = p.dict.find("a" + std::to_string(j));
      const int32_t bj = p.dict.find("b" + std::to_string(j));
      REQUIRE((ai >= 0 && aj >= 0 && bj >= 0));
      if (i != j) same += cosine(v, ai, aj), ++ns;
      diff += cosine(v, ai, bj), ++nd;
    }
  CHECK(same / ns > diff / nd + 0.3);
}

TEST_CASE("glove: file and memory training agree; one thread is deterministic; outputs") {
  Prepared p;
  prepare(p, 150);
  GloveArgs g = smallArgs();
  g.epochs = 3;
  GloveTrainer a(g, p.dict.size()), b(g, p.dict.size());
  a.train(CooccurReader(p.cooc));
  b.train(p.recs);
  const Matrix wa = a.wordVectors(), wb = b.wordVectors();
  REQUIRE(wa.cols() == 10);
  for (int32_t i = 0; i < p.dict.size(); ++i) {
    CHECK(std::memcmp(wa.row(i), wb.row(i), sizeof(float) * 10) == 0);
    CHECK(a.wordBias(i) == b.wordBias(i));
    CHECK(a.contextBias(i) == b.contextBias(i));
  }
  const Matrix s = a.sumVectors(), c = a.contextVectors();
  for (int32_t i = 0; i < p.dict.size(); ++i)
    for (int k = 0; k < 10; ++k) CHECK(s.row(i)[k] == wa.row(i)[k] + c.row(i)[k]);
  // Two threads (Hogwild) also train.
  g.threads = 2;
  GloveTrainer h(g, p.dict.size());
  const GloveStats st = h.train(CooccurReader(p.cooc));
  CHECK(st.epochs.back().cost < st.epochs.front().cost);
}

TEST_CASE("glove: tiled (in memory) and streamed (from the file) training both converge") {
  Prepared p;
  prepare(p, 400);
  std::vector<double> final_cost;
  for (int64_t tile : {int64_t{-1}, int64_t{0}, int64_t{4}, int64_t{7}}) {
    INFO("tile_words " << tile);
    GloveArgs g = smallArgs();
    g.tile_words = tile;
    GloveTrainer t(g, p.dict.size());
    const GloveStats st = t.train(CooccurReader(p.cooc));
    CHECK(st.tiled == (tile >= 0));
    CHECK(st.epochs.back().cost < 0.25 * st.epochs.front().cost);
    final_cost.push_back(t.cost(p.recs));
  }
  for (double c : final_cost) CHECK(c == doctest::Approx(final_cost[0]).epsilon(0.2));
  // Records that do not fit in memory_gb are streamed.
  GloveArgs g = smallArgs();
  g.memory_gb = 1e-9;
  g.epochs = 1;
  GloveTrainer t(g, p.dict.size());
  CHECK_FALSE(t.train(CooccurReader(p.cooc)).tiled);
}

TEST_CASE("glove: errors") {
  Prepared p;
  prepare(p, 50);
  GloveArgs g = smallArgs();
  GloveTrainer t(g, p.dict.size() + 1);
  CHECK_THROWS_WITH_AS(t.train(CooccurReader(p.cooc)), doctest::Contains("was counted over"), Error);
  GloveTrainer u(g, p.dict.size());
  CHECK_THROWS_AS(u.train(std::vector<CooccurRecord>{}), Error);
  CHECK_THROWS_AS(u.train(std::vector<CooccurRecord>{{0, p.dict.size(), 1.f}}), Error);
  CHECK_THROWS_AS(u.train(std::vector<CooccurRecord>{{0, 0, 0.f}}), Error);
  GloveArgs bad;
  bad.x_max = 0;
  CHECK_THROWS_AS(bad.validate(), Error);
  bad = GloveArgs();
  bad.eta = -1;
  CHECK_THROWS_AS(bad.validate(), Error);
  bad = GloveArgs();
  bad.grad_clip = -1;
  CHECK_THROWS_AS(bad.validate(), Error);
  bad = GloveArgs();
  bad.epochs = 0;
  CHECK_THROWS_AS(bad.validate(), Error);
  bad = GloveArgs();
  bad.memory_gb = 0;
  CHECK_THROWS_AS(bad.validate(), Error);
}
