// Transfer: training that starts from pretrained vectors (--init-vectors).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "doctest/doctest.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "core/testing_hooks.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/core/error.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/glove/pipeline.h"
#include "wembed/vectors/vectors.h"
#include "wembed/word2vec/model_file.h"
#include "wembed/word2vec/pipeline.h"

using namespace wembed;
using testutil::TempDir;

namespace {

TrainArgs tinyRun(const TempDir& d) {
  testutil::writeFile(d.file("c.txt"), testutil::topicsText(200, 6));
  TrainArgs a;
  a.vocab.input = {d.file("c.txt")};
  a.vocab.min_count = 1;
  a.output = d.file("v.bin");
  a.dim = 8;
  a.window = 2;
  a.epochs = 2;
  a.threads = 1;
  return a;
}

// Word2vec text as gensim's KeyedVectors.save_word2vec_format(binary=False)
// writes it: "V D", then "word v1 ... vD" with Python's repr of each float.
const char* const kGensimText =
    "4 8\n"
    "b0 0.125 -0.25 0.5 1.0 -1.5 2.0 0.0625 -0.03125\n"
    "a3 -0.1 0.2 -0.30000001 0.4 -0.5 0.6 -0.69999999 0.8\n"
    "notinvocab 1.0 1.0 1.0 1.0 1.0 1.0 1.0 1.0\n"
    "b5 3.0 -3.0 2.5 -2.5 1e-05 -1e-05 0.0 7.25\n";

// The rows the run starts from, by word.
struct Start {
  Matrix input;
  std::vector<std::string> words;
};

Start startOf(TrainArgs a, std::vector<std::string>* log = nullptr) {
  Start s;
  Word2VecHooks h;
  h.on_start = [&](const Matrix& in, const Matrix&) {
    s.input = Matrix(in.rows(), in.cols());
    for (int64_t r = 0; r < in.rows(); ++r) std::copy(in.row(r), in.row(r) + in.cols(), s.input.row(r));
  };
  if (log) h.log.message = [log](const std::string& m) { log->push_back(m); };
  a.save_vocab = a.output + ".vocab";
  runWord2Vec(a, {}, h);
  const Dictionary vocab = Dictionary::load(a.save_vocab);
  for (const auto& e : vocab.entries()) s.words.push_back(e.word);
  return s;
}

void checkStartsFromFile(const Start& s, const Vectors& pre, int dim) {
  int found = 0;
  for (size_t w = 0; w < s.words.size(); ++w) {
    const float* row = s.input.row(static_cast<int64_t>(w));
    const auto it = std::find(pre.words.begin(), pre.words.end(), s.words[w]);
    if (it == pre.words.end()) {  // initialised as usual: uniform in [-1/D, 1/D)
      for (int k = 0; k < dim; ++k) CHECK(std::abs(row[k]) <= 1.0f / dim);
      continue;
    }
    ++found;
    const float* want = pre.matrix.row(it - pre.words.begin());
    for (int k = 0; k < dim; ++k) CHECK(row[k] == want[k]);  // exactly the values read
  }
  CHECK(found == 3);
}

}  // namespace

TEST_CASE("transfer: --init-vectors starts the vocabulary's words found in a gensim text file from its vectors") {
  TempDir d;
  testutil::writeFile(d.file("pre.txt"), kGensimText);
  const Vectors pre = loadVectors(d.file("pre.txt"));
  struct Case {
    ModelType model;
    LossType loss;
    int maxn;
  };
  for (const Case c : {Case{ModelType::kSkipGram, LossType::kNegativeSampling, 0},
                       Case{ModelType::kSkipGram, LossType::kHierarchicalSoftmax, 0},
                       Case{ModelType::kCbow, LossType::kNegativeSampling, 0},
                       Case{ModelType::kCbow, LossType::kHierarchicalSoftmax, 0},
                       Case{ModelType::kSkipGram, LossType::kNegativeSampling, 3}}) {
    const std::string name = toString(c.model) + " " + toString(c.loss) + " maxn " + std::to_string(c.maxn);
    INFO(name);
    TrainArgs a = tinyRun(d);
    a.model = c.model;
    a.loss = c.loss;
    a.init_vectors = d.file("pre.txt");
    if (c.maxn) {
      a.subwords.minn = 2;
      a.subwords.maxn = c.maxn;
      a.subwords.bucket = 1000;
    }
    std::vector<std::string> log;
    const Start s = startOf(a, &log);
    checkStartsFromFile(s, pre, a.dim);
    CHECK(std::find(log.begin(), log.end(), "train: initialised 3 of 12 vocabulary words from --init-vectors '" +
                                                 a.init_vectors + "'") != log.end());
  }
}

TEST_CASE("transfer: --init-vectors with another dimension, or a damaged file, is one error and writes nothing") {
  TempDir d;
  TrainArgs a = tinyRun(d);
  testutil::writeFile(d.file("pre3.txt"), "1 3\nb0 1 2 3\n");
  a.init_vectors = d.file("pre3.txt");
  CHECK_THROWS_WITH_AS(runWord2Vec(a), doctest::Contains(("--init-vectors '" + a.init_vectors +
                                                         "' has 3 dimensions but --dim is 8").c_str()), Error);
  testutil::writeFile(d.file("bad.txt"), "2 8\nb0 1 2 3 4 5 6 7 8\nb1 1 2 3\n");
  a.init_vectors = d.file("bad.txt");
  CHECK_THROWS_WITH_AS(runWord2Vec(a), doctest::Contains("--init-vectors: "), Error);
  a.init_vectors = d.file("missing.txt");
  CHECK_THROWS_WITH_AS(runWord2Vec(a), doctest::Contains("--init-vectors"), Error);
  CHECK_FALSE(std::filesystem::exists(a.output));
  GloveTrainArgs g;
  g.vocab = a.vocab;
  g.output = d.file("g.txt");
  g.tmp_dir = d.path();
  g.glove.dim = 8;
  g.init_vectors = d.file("pre3.txt");
  CHECK_THROWS_WITH_AS(runGlove(g), doctest::Contains("has 3 dimensions but --dim is 8"), Error);
  CHECK_FALSE(std::filesystem::exists(g.output));
}

TEST_CASE("transfer: --init-vectors sets GloVe's W (a tiny learning rate keeps it there)") {
  TempDir d;
  testutil::writeFile(d.file("c.txt"), testutil::topicsText(200, 6));
  testutil::writeFile(d.file("pre.txt"), kGensimText);
  GloveTrainArgs g;
  g.vocab.input = {d.file("c.txt")};
  g.vocab.min_count = 1;
  g.output = d.file("g.txt");
  g.vectors = "word";
  g.tmp_dir = d.path();
  g.glove.dim = 8;
  g.glove.epochs = 1;
  g.glove.threads = 1;
  g.glove.eta = 1e-9;
  g.counting.window = 3;
  g.counting.threads = 1;
  g.counting.memory_gb = 0.01;
  g.init_vectors = d.file("pre.txt");
  GloveHooks h;
  std::vector<std::string> log;
  h.log.message = [&](const std::string& m) { log.push_back(m); };
  runGlove(g, {}, h);
  CHECK(std::find(log.begin(), log.end(), "train: initialised 3 of 12 vocabulary words from --init-vectors '" +
                                              g.init_vectors + "'") != log.end());
  const Vectors pre = loadVectors(g.init_vectors), out = loadVectors(g.output);
  for (const char* w : {"b0", "a3", "b5"}) {
    const auto i = std::find(pre.words.begin(), pre.words.end(), w) - pre.words.begin();
    const auto o = std::find(out.words.begin(), out.words.end(), w) - out.words.begin();
    REQUIRE(o < static_cast<long>(out.words.size()));
    for (int k = 0; k < 8; ++k) CHECK(out.matrix.row(o)[k] == doctest::Approx(pre.matrix.row(i)[k]).epsilon(1e-5));
  }
}

// --- continued training -----------------------------------------------------------

namespace {

// Lines of 10-20 words alternating between the topics 'a' and 'b', each
// word one of a{lo}..a{hi-1} (or b...).
std::string topicLines(int lines, int lo, int hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (int s = 0; s < lines; ++s) {
    const char topic = (s % 2) ? 'a' : 'b';
    const int n = 10 + static_cast<int>(rng() % 11);
    for (int i = 0; i < n; ++i) text += std::string(1, topic) + std::to_string(lo + static_cast<int>(rng() % (hi - lo))) + " ";
    text += "\n";
  }
  return text;
}

struct Kind {
  ModelType model;
  LossType loss;
};
const Kind kKinds[] = {{ModelType::kSkipGram, LossType::kNegativeSampling},
                       {ModelType::kSkipGram, LossType::kHierarchicalSoftmax},
                       {ModelType::kCbow, LossType::kNegativeSampling},
                       {ModelType::kCbow, LossType::kHierarchicalSoftmax}};

// Text A: words 0-9 of each topic; text B: words 0-19 (10 new ones per topic).
TrainArgs firstRun(const TempDir& d, Kind k) {
  testutil::writeFile(d.file("A.txt"), topicLines(2000, 0, 10, 5));
  testutil::writeFile(d.file("B.txt"), topicLines(2000, 0, 20, 6));
  TrainArgs a;
  a.vocab.input = {d.file("A.txt")};
  a.vocab.min_count = 1;
  a.output = d.file("v1.wev");
  a.save_model = d.file("run.model");
  a.model = k.model;
  a.loss = k.loss;
  a.dim = 20;
  a.window = 5;
  a.epochs = 3;
  a.threads = 1;
  return a;
}

TrainArgs secondRun(const TempDir& d) {
  TrainArgs b;
  b.vocab.input = {d.file("B.txt")};
  b.vocab.min_count = 1;
  b.output = d.file("v2.wev");
  b.save_model = d.file("run2.model");
  b.init_model = d.file("run.model");
  b.alpha = 0.0125;
  b.epochs = 3;
  b.threads = 1;
  return b;
}

Matrix copyOf(const Matrix& m) {
  Matrix c(m.rows(), m.cols());
  for (int64_t r = 0; r < m.rows(); ++r) std::copy(m.row(r), m.row(r) + m.cols(), c.row(r));
  return c;
}

bool sameRow(const Matrix& x, int64_t i, const Matrix& y, int64_t j) {
  return std::equal(x.row(i), x.row(i) + x.cols(), y.row(j));
}

}  // namespace

TEST_CASE("transfer: --save-model writes a full model that reads back with its settings, and as vectors") {
  TempDir d;
  for (const Kind k : kKinds) {
    const std::string name = toString(k.model) + "-" + toString(k.loss);
    INFO(name);
    TrainArgs a = firstRun(d, k);
    a.window = 3;
    a.sample = 1e-4;
    if (k.loss == LossType::kNegativeSampling) a.output_context = d.file("ctx.wev");
    runWord2Vec(a);
    const SavedWord2Vec s = loadWord2VecModel("--init", a.save_model);
    CHECK((s.args.model == k.model));
    CHECK((s.args.loss == k.loss));
    CHECK(s.args.dim == 20);
    CHECK(s.args.window == 3);
    CHECK(s.args.sample == 1e-4);
    CHECK(s.args.effectiveAlpha() == a.effectiveAlpha());
    CHECK(s.args.effectiveNsExponent() == 0.75);
    CHECK(word2vecSettings(s.args) == word2vecSettings(a));
    const Vectors v = loadVectors(a.output);
    CHECK(s.vectors.words == v.words);
    CHECK(s.vectors.counts == v.counts);
    CHECK(testutil::sameMatrix(s.vectors.matrix, v.matrix));
    REQUIRE(s.vectors.model);
    const int64_t V = static_cast<int64_t>(v.words.size());
    if (k.loss == LossType::kNegativeSampling) CHECK(testutil::sameMatrix(s.vectors.model->output, loadVectors(a.output_context).matrix));
    else CHECK(s.vectors.model->output.rows() == V - 1);
  }
  // Plain vectors are not a model.
  TrainArgs a = firstRun(d, kKinds[0]);
  a.save_model.clear();
  runWord2Vec(a);
  CHECK_THROWS_WITH_AS(loadWord2VecModel("--init", a.output), doctest::Contains("holds vectors only, not a full model"), Error);
}

TEST_CASE("transfer: --init continues a model on new text: old ids kept, layers carried, new words learnt in their topic") {
  for (const Kind k : kKinds) {
    const std::string name = toString(k.model) + "-" + toString(k.loss);
    INFO(name);
    TempDir d;
    runWord2Vec(firstRun(d, k));
    const SavedWord2Vec old = loadWord2VecModel("--init", d.file("run.model"));
    REQUIRE(old.vectors.words.size() == 20);
    TrainArgs b = secondRun(d);
    Matrix start_in, start_out;
    Word2VecHooks h;
    h.on_start = [&](const Matrix& in, const Matrix& out) {
      start_in = copyOf(in);
      start_out = copyOf(out);
    };
    std::vector<std::string> log;
    h.log.message = [&](const std::string& m) { log.push_back(m); };
    const Word2VecResult r = runWord2Vec(b, {}, h);
    CHECK(r.vocab_size == 40);
    CHECK(std::find(log.begin(), log.end(), "train: continuing '" + b.init_model +
                                                "': 20 words of the model, 20 new ones (at least --min-count 1 in the "
                                                "new text)") != log.end());
    // The layers carried over: the old words' rows, and (hs) the root's row.
    for (int64_t w = 0; w < 20; ++w) CHECK(sameRow(start_in, w, old.vectors.matrix, w));
    if (k.loss == LossType::kNegativeSampling)
      for (int64_t w = 0; w < 20; ++w) CHECK(sameRow(start_out, w, old.vectors.model->output, w));
    else
      CHECK(sameRow(start_out, start_out.rows() - 1, old.vectors.model->output, old.vectors.model->output.rows() - 1));
    // Ids kept, counts added, settings from the model.
    const SavedWord2Vec grown = loadWord2VecModel("--init", b.save_model);
    REQUIRE(grown.vectors.words.size() == 40);
    for (size_t w = 0; w < 20; ++w) {
      CHECK(grown.vectors.words[w] == old.vectors.words[w]);
      CHECK(grown.vectors.counts[w] > old.vectors.counts[w]);
    }
    CHECK((grown.args.model == k.model));
    CHECK((grown.args.loss == k.loss));
    CHECK(grown.args.effectiveAlpha() == 0.0125);
    std::string bad;
    const int good = testutil::topicalWords(loadVectors(b.output), &bad);
    INFO("words with an off-topic neighbour: " << bad);
    CHECK(good >= 38);
  }
}

TEST_CASE("transfer: --freeze-old trains only the new words' input rows; conflicting flags are refused") {
  TempDir d;
  runWord2Vec(firstRun(d, kKinds[0]));
  const Vectors old = loadVectors(d.file("v1.wev"));
  TrainArgs b = secondRun(d);
  b.freeze_old = true;
  runWord2Vec(b);
  const Vectors frozen = loadVectors(b.output);
  for (int64_t w = 0; w < 20; ++w) CHECK(sameRow(frozen.matrix, w, old.matrix, w));
  CHECK(testutil::topicalWords(loadVectors(b.output)) >= 38);
  b.freeze_old = false;
  runWord2Vec(b);
  const Vectors moved = loadVectors(b.output);
  int changed = 0;
  for (int64_t w = 0; w < 20; ++w) changed += !sameRow(moved.matrix, w, old.matrix, w);
  CHECK(changed == 20);
  // Model kind, loss and dimension come from the model: a different one given is an error.
  b.loss = LossType::kHierarchicalSoftmax;
  b.given = {"loss"};
  CHECK_THROWS_WITH_AS(runWord2Vec(b), doctest::Contains(("--loss hs conflicts with the model --init '" + b.init_model +
                                                         "' (loss ns)").c_str()), Error);
  b = secondRun(d);
  b.dim = 8;
  b.given = {"dim"};
  CHECK_THROWS_WITH_AS(runWord2Vec(b), doctest::Contains("--dim 8 conflicts"), Error);
  b.given.clear();  // not given: the model's 20
  CHECK(runWord2Vec(b).vocab_size == 40);
  b.init_model = d.file("v1.wev");
  CHECK_THROWS_WITH_AS(runWord2Vec(b), doctest::Contains(("--init: '" + b.init_model + "' holds vectors only").c_str()), Error);
  b = secondRun(d);
  b.freeze_old = true;
  CHECK_THROWS_WITH_AS(runWord2Vec(b, {d.file("c.ckpt"), 600, {}}), doctest::Contains("--freeze-old cannot be checkpointed"), Error);
}

namespace {
float maxDiff(const Matrix& x, int64_t i, const Matrix& y, int64_t j) {
  float m = 0;
  for (int c = 0; c < x.cols(); ++c) m = std::max(m, std::abs(x.row(i)[c] - y.row(j)[c]));
  return m;
}
}  // namespace

TEST_CASE("transfer: continuing with a learning rate near zero leaves both layers as the model file holds them") {
  for (const Kind k : kKinds) {
    const std::string name = toString(k.model) + "-" + toString(k.loss);
    INFO(name);
    TempDir d;
    runWord2Vec(firstRun(d, k));
    const SavedWord2Vec old = loadWord2VecModel("--init", d.file("run.model"));
    TrainArgs b = secondRun(d);
    b.alpha = 1e-9;
    runWord2Vec(b);
    const SavedWord2Vec grown = loadWord2VecModel("--init", b.save_model);
    const Matrix &in0 = old.vectors.matrix, &out0 = old.vectors.model->output;
    const Matrix &in1 = grown.vectors.matrix, &out1 = grown.vectors.model->output;
    float worst = 0;
    for (int64_t w = 0; w < 20; ++w) worst = std::max(worst, maxDiff(in0, w, in1, w));
    if (k.loss == LossType::kNegativeSampling)
      for (int64_t w = 0; w < 20; ++w) worst = std::max(worst, maxDiff(out0, w, out1, w));
    else  // the root keeps its place in the rebuilt tree
      worst = std::max(worst, maxDiff(out0, out0.rows() - 1, out1, out1.rows() - 1));
    CHECK(worst < 1e-6f);
    // The old layers were trained: a zeroed or re-drawn layer would not be this far from zero.
    const int64_t trained = k.loss == LossType::kNegativeSampling ? 0 : out1.rows() - 1;  // the first word, or the root
    float norm = 0;
    for (int c = 0; c < out1.cols(); ++c) norm += std::abs(out1.row(trained)[c]);
    CHECK(norm > 0.05f);
  }
}

TEST_CASE("transfer: a continued run's learning rate decays to its minimum over the new text, not over the merged counts") {
  for (const Kind k : kKinds) {
    const std::string name = toString(k.model) + "-" + toString(k.loss);
    INFO(name);
    TempDir d;
    TrainArgs a = firstRun(d, k);
    testutil::writeFile(d.file("A.txt"), topicLines(6000, 0, 10, 5));  // the old text 3x the new one's size
    runWord2Vec(a);
    TrainArgs b = secondRun(d);
    b.alpha = 0.025;
    Word2VecHooks h;
    Progress last;
    h.on_progress = [&](const Progress& p) { last = p; };
    const Word2VecResult r = runWord2Vec(b, {}, h);
    REQUIRE(r.stats.words_in_epoch.size() == 3);
    // The schedule's words per epoch are the words the new text holds, not
    // the merged counts (4x more here: the rate then ended at 3/4 of alpha).
    CHECK(r.stats.words_per_epoch == r.stats.words_in_epoch[0]);
    CHECK(r.stats.words_read == 3 * r.stats.words_in_epoch[0]);
    CHECK(last.fraction == 1.0);
    CHECK(last.lr == doctest::Approx(0.025 * b.min_alpha_fraction));
  }
}

TEST_CASE("transfer: a continued run interrupted and resumed keeps the new text's schedule and equals the run uninterrupted") {
  TempDir d;
  TrainArgs a = firstRun(d, kKinds[0]);
  testutil::writeFile(d.file("A.txt"), topicLines(6000, 0, 10, 5));
  runWord2Vec(a);
  TrainArgs b = secondRun(d);
  b.save_model.clear();
  runWord2Vec(b, {d.file("whole.ckpt"), 0, {}});
  const Vectors whole = loadVectors(b.output);
  {
    testing::StopAfterCheckpoints stop(300);
    REQUIRE(runWord2Vec(b, {d.file("c.ckpt"), 0, {}}).stats.interrupted);
  }
  const Word2VecCheckpoint c = loadWord2VecCheckpoint(d.file("c.ckpt"));
  int64_t merged = 0;
  for (const auto& e : c.vocab) merged += e.count;
  CHECK(c.words_per_epoch > 0);
  CHECK(c.words_per_epoch * 4 == doctest::Approx(merged).epsilon(0.05));  // the old text is 3x the new one
  Word2VecHooks h;
  Progress last;
  h.on_progress = [&](const Progress& p) { last = p; };
  const Word2VecResult r = resumeWord2Vec({d.file("c.ckpt"), "", {}, ""}, h);
  CHECK(r.stats.words_per_epoch == c.words_per_epoch);
  CHECK(last.lr == doctest::Approx(0.0125 * b.min_alpha_fraction));
  CHECK(testutil::sameMatrix(loadVectors(b.output).matrix, whole.matrix));
}
