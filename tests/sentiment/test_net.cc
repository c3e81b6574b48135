#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "test_fixtures.h"
#include "wembed/core/error.h"
#include "wembed/sentiment/net.h"

using namespace wembed;

namespace {

constexpr int kVocabRows = 7;  // row 0 = unknown word

std::vector<Example> tinyBatch() {
  // Different lengths, an unknown word (0) in two places, repeated words.
  return {{{1, 2, 3, 0, 5}, 1}, {{4, 4, 6}, 0}, {{2}, 1}, {{6, 0, 1, 3}, 0}};
}

NetParams<double> tinyNet(const NetConfig& c, uint64_t seed) {
  NetParams<double> P(c, kVocabRows);
  P.initialize(seed);
  std::mt19937_64 rng(seed + 100);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int r = 0; r < P.embeddings.rows(); ++r)
    for (int j = 0; j < P.embeddings.cols(); ++j) P.embeddings(r, j) = u(rng);
  // Non-zero biases, so the bias gradients are tested from a generic point.
  for (auto& v : P.dense) v += 0.1 * u(rng);
  return P;
}

double batchLoss(const NetParams<double>& P, const std::vector<const Example*>& b, double dropout) {
  NetWorkspace<double> ws;
  netForward<double>(P, b.data(), static_cast<int>(b.size()), ws, dropout, 42);
  double loss = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    // Recompute from the probabilities' logits: prob = sigmoid(logit).
    const double p = ws.prob[i];
    loss += b[i]->label ? -std::log(p) : -std::log(1 - p);
  }
  return loss;
}

void checkNetGradient(const NetConfig& c, bool fine_tune, double dropout) {
  NetParams<double> P = tinyNet(c, 3);
  const auto data = tinyBatch();
  std::vector<const Example*> b;
  for (const auto& e : data) b.push_back(&e);
  NetWorkspace<double> ws;
  NetGrad<double> g;
  g.reset(P);
  netForward<double>(P, b.data(), static_cast<int>(b.size()), ws, dropout, 42);
  const double loss = netBackward<double>(P, b.data(), static_cast<int>(b.size()), ws, g, 1.0, fine_tune);
  CHECK(loss == doctest::Approx(batchLoss(P, b, dropout)).epsilon(1e-9));

  const double h = 1e-6;
  for (size_t i = 0; i < P.dense.size(); ++i) {
    NetParams<double> Pp = P, Pm = P;
    Pp.dense[i] += h;
    Pm.dense[i] -= h;
    const double num = (batchLoss(Pp, b, dropout) - batchLoss(Pm, b, dropout)) / (2 * h);
    INFO("dense parameter " << i << " of " << P.dense.size());
    CHECK(g.dense[i] == doctest::Approx(num).epsilon(1e-5).scale(1.0));
  }
  // Embedding rows: all rows used when fine-tuning, only the unknown word otherwise.
  std::set<int> expected_rows = fine_tune ? std::set<int>{0, 1, 2, 3, 4, 5, 6} : std::set<int>{0};
  CHECK(std::set<int>(g.embeddings.ids.begin(), g.embeddings.ids.end()) == expected_rows);
  for (size_t k = 0; k < g.embeddings.ids.size(); ++k) {
    const int r = g.embeddings.ids[k];
    for (int j = 0; j < c.embed_dim; ++j) {
      NetParams<double> Pp = P, Pm = P;
      Pp.embeddings(r, j) += h;
      Pm.embeddings(r, j) -= h;
      const double num = (batchLoss(Pp, b, dropout) - batchLoss(Pm, b, dropout)) / (2 * h);
      INFO("embedding row " << r << " col " << j);
      CHECK(g.embeddings.rows(static_cast<int64_t>(k), j) == doctest::Approx(num).epsilon(1e-5).scale(1.0));
    }
  }
}

NetConfig config(CellType cell, Pooling pool, bool bidir, int layers) {
  return testutil::netConfig(cell, pool, bidir, 3, layers);
}

}  // namespace

TEST_CASE("sentiment net: parse and print cells and poolings") {
  CHECK((parseCell("gru") == CellType::kGru));
  CHECK((parseCell("lstm") == CellType::kLstm));
  CHECK_THROWS_AS(parseCell("rnn"), Error);
  for (const char* p : {"last", "mean", "max", "attention"}) CHECK(toString(parsePooling(p)) == p);
  CHECK_THROWS_AS(parsePooling("sum"), Error);
  NetConfig c = config(CellType::kGru, Pooling::kMax, false, 1);
  c.hidden = 0;
  CHECK_THROWS_AS(c.validate(), Error);
}

TEST_CASE("sentiment net: layout sizes") {
  const NetConfig c = config(CellType::kLstm, Pooling::kAttention, true, 2);
  const NetLayout L(c);
  // layer 0: (3 + 3 + 1) * 12 per direction; layer 1 input 6: (6 + 3 + 1) * 12; attention 6; dense 6 + 1
  CHECK(L.cell.size() == 4);
  CHECK(L.size == 2 * 7 * 12 + 2 * 10 * 12 + 6 + 6 + 1);
  const NetConfig g = config(CellType::kGru, Pooling::kMax, false, 1);
  CHECK(NetLayout(g).size == (3 + 3 + 1) * 9 + 3 + 3 + 1);
}

TEST_CASE("sentiment net: full gradient check, GRU, every pooling, uni/bidirectional, stacked, fine-tuned") {
  for (Pooling pool : {Pooling::kLast, Pooling::kMean, Pooling::kMax, Pooling::kAttention})
    for (bool bidir : {false, true})
      for (int layers : {1, 2}) {
        INFO("pooling " << toString(pool) << " bidirectional " << bidir << " layers " << layers);
        checkNetGradient(config(CellType::kGru, pool, bidir, layers), true, 0.0);
      }
}

TEST_CASE("sentiment net: full gradient check, LSTM, every pooling, uni/bidirectional, stacked, fine-tuned") {
  for (Pooling pool : {Pooling::kLast, Pooling::kMean, Pooling::kMax, Pooling::kAttention})
    for (bool bidir : {false, true})
      for (int layers : {1, 2}) {
        INFO("pooling " << toString(pool) << " bidirectional " << bidir << " layers " << layers);
        checkNetGradient(config(CellType::kLstm, pool, bidir, layers), true, 0.0);
      }
}

TEST_CASE("sentiment net: gradient with dropout (fixed mask) and with frozen embeddings") {
  checkNetGradient(config(CellType::kGru, Pooling::kMean, true, 1), true, 0.4);
  checkNetGradient(config(CellType::kLstm, Pooling::kAttention, false, 2), false, 0.0);
  checkNetGradient(config(CellType::kGru, Pooling::kLast, true, 2), false, 0.3);
}

TEST_CASE("sentiment net: a text's probability does not depend on its batch") {
  for (CellType cell : {CellType::kGru, CellType::kLstm})
    for (Pooling pool : {Pooling::kLast, Pooling::kMean, Pooling::kMax, Pooling::kAttention}) {
      const NetParams<double> P = tinyNet(config(cell, pool, true, 2), 9);
      const auto data = tinyBatch();
      std::vector<const Example*> b;
      for (const auto& e : data) b.push_back(&e);
      NetWorkspace<double> ws;
      netForward<double>(P, b.data(), static_cast<int>(b.size()), ws, 0.0, 0);
      const std::vector<double> together = ws.prob;
      for (size_t i = 0; i < b.size(); ++i) {
        NetWorkspace<double> w1;
        netForward<double>(P, &b[i], 1, w1, 0.0, 0);
        CHECK(w1.prob[0] == doctest::Approx(together[i]).epsilon(1e-12));
      }
    }
}

TEST_CASE("sentiment net: initialisation and binary cross-entropy") {
  NetParams<float> P(config(CellType::kLstm, Pooling::kMax, false, 1), 4);
  P.initialize(1);
  const CellShape s = P.config.cellShape(0);
  const float* bias = P.dense.data() + P.layout.cell[0] + s.biasOffset();
  for (int j = 0; j < s.hidden; ++j) {
    CHECK(bias[j] == 0.0f);                 // input gate
    CHECK(bias[s.hidden + j] == 1.0f);      // forget gate
  }
  const float k = 1.0f / std::sqrt(3.0f);
  for (size_t i = s.wxOffset(); i < s.biasOffset(); ++i) CHECK(std::abs(P.dense[P.layout.cell[0] + i]) <= k);
  CHECK(bceWithLogit(0.0, 1) == doctest::Approx(std::log(2.0)));
  CHECK(bceWithLogit(1000.0, 1) == doctest::Approx(0.0));
  CHECK(bceWithLogit(1000.0, 0) == doctest::Approx(1000.0));
  CHECK(bceWithLogit(-2.0, 0) == doctest::Approx(std::log1p(std::exp(-2.0))));
}
