#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/vectors/index.h"
#include "wembed/vectors/subwords.h"
#include "wembed/word2vec/args.h"
#include "wembed/word2vec/huffman.h"
#include "wembed/word2vec/trainer.h"

using namespace wembed;
using testutil::TempDir;

namespace {

TrainArgs subwordArgs(const std::string& file, ModelType model, LossType loss, UpdateMode update) {
  TrainArgs a;
  a.vocab.input = {file};
  a.vocab.min_count = 1;
  a.output = "unused.bin";
  a.model = model;
  a.loss = loss;
  a.update = update;
  a.dim = 20;
  a.window = 5;
  a.negative = 5;
  a.epochs = 3;
  a.sample = 0;
  a.threads = 1;
  a.subwords = SubwordArgs{3, 6, 20000};
  return a;
}

struct Config {
  ModelType model;
  LossType loss;
  UpdateMode update;
};
const Config kConfigs[] = {
    {ModelType::kSkipGram, LossType::kNegativeSampling, UpdateMode::kPair},
    {ModelType::kSkipGram, LossType::kNegativeSampling, UpdateMode::kBatch},
    {ModelType::kSkipGram, LossType::kHierarchicalSoftmax, UpdateMode::kPair},
    {ModelType::kCbow, LossType::kNegativeSampling, UpdateMode::kPair},
    {ModelType::kCbow, LossType::kHierarchicalSoftmax, UpdateMode::kPair},
};

std::string name(const Config& k) { return toString(k.model) + "-" + toString(k.loss) + "-" + toString(k.update); }

// The composed vector of every vocabulary word, and the model's subwords.
Vectors composedVectors(const Dictionary& dict, const Word2VecTrainer& tr, const SubwordArgs& args) {
  Vectors v;
  const Matrix& in = tr.input();
  const int32_t V = dict.size();
  v.matrix = Matrix(V, in.cols());
  for (int32_t w = 0; w < V; ++w) {
    v.words.push_back(dict[w].word);
    meanOfRows(in, tr.subwordTable().rows(w), tr.subwordTable().count(w), v.matrix.row(w));
  }
  v.subwords = std::make_shared<Subwords>();
  v.subwords->args = args;
  v.subwords->buckets = Matrix(args.bucket, in.cols());
  for (int64_t r = 0; r < args.bucket; ++r) std::memcpy(v.subwords->buckets.row(r), in.row(V + r), in.stride() * 4);
  return v;
}

}  // namespace

TEST_CASE("subword training: the input matrix holds the word rows, then the bucket rows") {
  TempDir d;
  testutil::writeFile(d.file("c.txt"), "alpha beta gamma\n");
  TrainArgs a = subwordArgs(d.file("c.txt"), ModelType::kSkipGram, LossType::kNegativeSampling, UpdateMode::kAuto);
  Dictionary dict = buildVocabulary(a.vocab, nullptr);
  Word2VecTrainer tr(a, dict);
  CHECK(tr.input().rows() == 3 + 20000);
  CHECK(tr.subwordTable().words() == 3);
  const int32_t w = dict.find("beta");
  std::vector<int32_t> b;
  appendSubwords("beta", a.subwords, b);
  REQUIRE(tr.subwordTable().count(w) == static_cast<int>(b.size()) + 1);
  CHECK(tr.subwordTable().rows(w)[0] == w);
  for (size_t i = 0; i < b.size(); ++i) CHECK(tr.subwordTable().rows(w)[i + 1] == 3 + b[i]);
}

TEST_CASE("subword training: the step is -lr times the numerical gradient, given whole to every row (hs)") {
  // One sentence of two words, window 1, one epoch, a constant rate: centre
  // "apple" predicts "melon" (skip-gram), or the context "melon" predicts
  // "apple" (CBOW), then the other way round. With two words the Huffman tree
  // has one inner node, so each step is known exactly.
  TempDir d;
  testutil::writeFile(d.file("c.txt"), "apple melon\n");
  for (ModelType model : {ModelType::kSkipGram, ModelType::kCbow}) {
    INFO(toString(model));
    TrainArgs a = subwordArgs(d.file("c.txt"), model, LossType::kHierarchicalSoftmax, UpdateMode::kPair);
    a.window = 1;
    a.epochs = 1;
    a.alpha = 0.05;
    a.min_alpha_fraction = 1;  // the rate stays alpha
    a.subwords.bucket = 1000;
    Dictionary dict = buildVocabulary(a.vocab, nullptr);
    REQUIRE(dict.size() == 2);
    Word2VecTrainer tr(a, dict);
    REQUIRE(tr.output().rows() == 1);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    const int D = a.dim;
    for (int c = 0; c < D; ++c) tr.output().row(0)[c] = u(rng);
    const Matrix in0 = [&] {
      Matrix m(tr.input().rows(), D);
      std::memcpy(m.row(0), tr.input().row(0), sizeof(float) * m.stride() * m.rows());
      return m;
    }();
    std::vector<float> o(tr.output().row(0), tr.output().row(0) + D);
    const HuffmanTree tree({dict[0].count, dict[1].count});

    // The loss of predicting `target` from hidden vector h with inner vector o.
    auto lossOf = [&](const std::vector<double>& h, const std::vector<double>& ov, int32_t target) {
      double f = 0;
      for (int c = 0; c < D; ++c) f += h[c] * ov[c];
      const double label = 1.0 - tree.codes(target)[0];
      return label > 0 ? std::log1p(std::exp(-f)) : std::log1p(std::exp(f));
    };
    auto hidden = [&](const Matrix& m, int32_t w) {
      std::vector<double> h(D, 0.0);
      const int n = tr.subwordTable().count(w);
      for (int j = 0; j < n; ++j)
        for (int c = 0; c < D; ++c) h[c] += m.row(tr.subwordTable().rows(w)[j])[c];
      for (double& x : h) x /= n;
      return h;
    };
    const int32_t apple = dict.find("apple"), melon = dict.find("melon");
    // Step 1: input word first, target second.
    const int32_t in1 = model == ModelType::kSkipGram ? apple : melon, out1 = in1 == apple ? melon : apple;
    std::vector<double> h = hidden(in0, in1), ov(o.begin(), o.end());
    const double eps = 1e-4;
    std::vector<double> gh(D), go(D);
    for (int c = 0; c < D; ++c) {
      auto hp = h, hm = h, op = ov, om = ov;
      hp[c] += eps, hm[c] -= eps, op[c] += eps, om[c] -= eps;
      gh[c] = (lossOf(hp, ov, out1) - lossOf(hm, ov, out1)) / (2 * eps);
      go[c] = (lossOf(h, op, out1) - lossOf(h, om, out1)) / (2 * eps);
    }
    tr.train({d.file("c.txt")});
    // (Within 0.5%: the steps use the sigmoid table, the check exact sigmoids.)
    // Every row of the input word moved by -lr * dL/dh (not divided by its
    // row count, as fastText), the rows of the other word by step 2 only.
    const SubwordTable& t = tr.subwordTable();
    for (int j = 0; j < t.count(in1); ++j) {
      const int32_t r = t.rows(in1)[j];
      bool shared = false;  // a bucket also used by the other word moved twice
      for (int k = 0; k < t.count(out1); ++k) shared |= t.rows(out1)[k] == r;
      if (shared) continue;
      for (int c = 0; c < D; ++c)
        CHECK(tr.input().row(r)[c] - in0.row(r)[c] == doctest::Approx(-0.05 * gh[c]).epsilon(5e-3).scale(1e-3));
    }
    // The inner node moved by -lr * dL/do in step 1, then by step 2 from the new o.
    std::vector<double> o1(D);
    for (int c = 0; c < D; ++c) o1[c] = ov[c] - 0.05 * go[c];
    // Step 2: the other word's hidden vector from the rows as step 1 left them.
    Matrix after1(in0.rows(), D);
    std::memcpy(after1.row(0), in0.row(0), sizeof(float) * in0.stride() * in0.rows());
    for (int j = 0; j < t.count(in1); ++j)
      for (int c = 0; c < D; ++c) after1.row(t.rows(in1)[j])[c] -= static_cast<float>(0.05 * gh[c]);
    const std::vector<double> h2 = hidden(after1, out1);
    std::vector<double> go2(D);
    for (int c = 0; c < D; ++c) {
      auto op = o1, om = o1;
      op[c] += eps, om[c] -= eps;
      go2[c] = (lossOf(h2, op, in1) - lossOf(h2, om, in1)) / (2 * eps);
    }
    for (int c = 0; c < D; ++c)
      CHECK(tr.output().row(0)[c] == doctest::Approx(o1[c] - 0.05 * go2[c]).epsilon(5e-3).scale(1e-2));
  }
}

TEST_CASE("subword training: two disjoint topics separate, for every model and loss") {
  TempDir d;
  std::mt19937 rng(2024);
  const int kTopicWords = 20;
  std::string text;
  for (int s = 0; s < 3000; ++s) {
    const char* topic = (s % 2) ? "alpha" : "omega";
    const int n = 10 + static_cast<int>(rng() % 11);
    for (int i = 0; i < n; ++i) {
      if (i) text += ' ';
      text += topic + std::to_string(rng() % kTopicWords);
    }
    text += '\n';
  }
  testutil::writeFile(d.file("topics.txt"), text);
  for (const Config& k : kConfigs) {
    INFO(name(k));
    TrainArgs a = subwordArgs(d.file("topics.txt"), k.model, k.loss, k.update);
    a.threads = 2;
    Dictionary dict = buildVocabulary(a.vocab, nullptr);
    REQUIRE(dict.size() == 2 * kTopicWords);
    Word2VecTrainer tr(a, dict);
    tr.train(a.vocab.input);
    std::string bad;
    const int good = testutil::topicalWords(composedVectors(dict, tr, a.subwords), &bad);
    INFO("words with an off-topic neighbour: " << bad);
    CHECK(good >= 38);
  }
}

TEST_CASE("subword training: an unseen inflection lands next to its stem") {
  // Two topics of distinct words; "topics", "gardens", "engines" are never
  // seen, only their stems: their vectors come from n-grams alone.
  TempDir d;
  const std::vector<std::string> a_words = {"topic", "garden", "flower", "meadow", "blossom", "orchard"};
  const std::vector<std::string> b_words = {"engine", "piston", "turbine", "exhaust", "gearbox", "throttle"};
  std::mt19937 rng(7);
  std::string text;
  for (int s = 0; s < 3000; ++s) {
    const auto& ws = (s % 2) ? a_words : b_words;
    for (int i = 0; i < 12; ++i) text += (i ? " " : "") + ws[rng() % ws.size()];
    text += '\n';
  }
  testutil::writeFile(d.file("c.txt"), text);
  for (const Config& k : kConfigs) {
    INFO(name(k));
    TrainArgs a = subwordArgs(d.file("c.txt"), k.model, k.loss, k.update);
    Dictionary dict = buildVocabulary(a.vocab, nullptr);
    Word2VecTrainer tr(a, dict);
    tr.train(a.vocab.input);
    Vectors v = composedVectors(dict, tr, a.subwords);
    const std::shared_ptr<Subwords> sub = v.subwords;
    const VectorIndex index(std::move(v));
    for (const auto& [unseen, stem] : {std::pair{"topics", "topic"}, {"gardens", "garden"}, {"engines", "engine"}}) {
      REQUIRE(dict.find(unseen) < 0);
      AlignedBuffer q(static_cast<size_t>(index.stride()));
      REQUIRE(sub->compose(unseen, q.data()));
      const auto hits = index.nearest(q.data(), 1, {});
      REQUIRE(hits.size() == 1);
      CHECK(index.word(hits[0].row) == stem);
    }
  }
}
