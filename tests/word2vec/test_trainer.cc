#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/word2vec/args.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/error.h"
#include "wembed/word2vec/trainer.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

struct Config {
  ModelType model;
  LossType loss;
  UpdateMode update;
  std::string name() const { return toString(model) + "-" + toString(loss) + "-" + toString(update); }
};
// Every model x loss, skip-gram with per-pair and HogBatch updates, CBOW-NS
// per example and in blocks of positions sharing their negatives.
const Config kConfigs[] = {
    {ModelType::kSkipGram, LossType::kNegativeSampling, UpdateMode::kPair},
    {ModelType::kSkipGram, LossType::kNegativeSampling, UpdateMode::kBatch},
    {ModelType::kSkipGram, LossType::kHierarchicalSoftmax, UpdateMode::kPair},
    {ModelType::kSkipGram, LossType::kHierarchicalSoftmax, UpdateMode::kBatch},
    {ModelType::kCbow, LossType::kNegativeSampling, UpdateMode::kPair},
    {ModelType::kCbow, LossType::kNegativeSampling, UpdateMode::kBatch},
    {ModelType::kCbow, LossType::kHierarchicalSoftmax, UpdateMode::kPair},
};

TrainArgs smallArgs(const std::vector<std::string>& files) {
  TrainArgs a;
  a.vocab.input = files;
  a.vocab.min_count = 1;
  a.output = "unused.bin";
  a.dim = 8;
  a.window = 3;
  a.negative = 3;
  a.epochs = 2;
  a.sample = 0;
  a.threads = 1;
  return a;
}

// smallArgs with a configuration's model, loss and update.
TrainArgs smallArgs(const std::vector<std::string>& files, const Config& k) {
  TrainArgs a = smallArgs(files);
  a.model = k.model;
  a.loss = k.loss;
  a.update = k.update;
  return a;
}

Matrix copyOf(const Matrix& m) {
  Matrix c(m.rows(), m.cols());
  for (int64_t r = 0; r < m.rows(); ++r) std::memcpy(c.row(r), m.row(r), sizeof(float) * m.stride());
  return c;
}

bool allFinite(const Matrix& m) {
  for (int64_t r = 0; r < m.rows(); ++r)
    for (int c = 0; c < m.cols(); ++c)
      if (!std::isfinite(m.row(r)[c])) return false;
  return true;
}

struct Trained {
  Dictionary dict;
  Matrix input;
  Word2VecStats stats;
};

// id_cache_dir: where the trainer may keep the first epoch's ids (empty: nowhere).
Trained trainOn(const TrainArgs& a, const std::string& id_cache_dir = "") {
  Trained t;
  t.dict = buildVocabulary(a.vocab, nullptr);
  Word2VecTrainer tr(a, t.dict);
  tr.id_cache_dir = id_cache_dir;
  t.stats = tr.train(a.vocab.input);
  t.input = copyOf(tr.input());
  return t;
}

// A corpus of random lines of words "w0".."w{V-1}" with a few rare words.
std::string randomText(std::mt19937& rng, int lines, int V) {
  std::string s;
  for (int l = 0; l < lines; ++l) {
    const int n = static_cast<int>(rng() % 12);  // some empty lines too
    for (int i = 0; i < n; ++i) {
      if (i) s += (rng() % 4 == 0) ? "\t" : " ";
      if (rng() % 50 == 0) s += "rare" + std::to_string(rng());
      else s += "w" + std::to_string(rng() % V);
    }
    s += (rng() % 3 == 0) ? "\r\n" : "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("trainer: every epoch covers the whole corpus with several threads") {
  TempDir d;
  std::mt19937 rng(17);
  std::vector<std::string> files;
  for (int i = 0; i < 3; ++i) {
    files.push_back(d.file("part" + std::to_string(i) + ".txt"));
    std::string text = randomText(rng, 300 + 200 * i, 60);
    if (i == 1) text.pop_back();  // one file without a final newline
    testutil::writeFile(files.back(), text);
  }
  files.push_back(d.file("tiny.txt"));
  testutil::writeFile(files.back(), "w1");
  for (auto [model, loss] : {std::pair{ModelType::kSkipGram, LossType::kNegativeSampling},
                             std::pair{ModelType::kCbow, LossType::kHierarchicalSoftmax}}) {
    for (int threads : {2, 3, 5}) {
      for (int max_sentence : {10000, 4}) {
        CAPTURE(threads);
        CAPTURE(max_sentence);
        TrainArgs a = smallArgs(files);
        a.model = model;
        a.loss = loss;
        a.threads = threads;
        a.epochs = 3;
        a.vocab.min_count = 2;  // the rare words are out of vocabulary and not counted
        a.max_sentence = max_sentence;
        a.sample = 1e-3;        // subsampling must not change the count of words read
        Trained t = trainOn(a);
        REQUIRE(t.dict.find("rare0") == -1);
        CHECK(t.dict.totalCount() < t.dict.tokensSeen());
        CHECK(t.stats.words_per_epoch == t.dict.totalCount());
        REQUIRE(t.stats.words_in_epoch.size() == 3);
        for (int e = 0; e < 3; ++e) {
          CAPTURE(e);
          CHECK(t.stats.words_in_epoch[e] == t.dict.totalCount());
        }
        CHECK(allFinite(t.input));
      }
    }
  }
}

TEST_CASE("trainer: one thread and a fixed seed give bit-identical vectors") {
  TempDir d;
  std::mt19937 rng(5);
  testutil::writeFile(d.file("c.txt"), randomText(rng, 400, 40));
  for (const Config& k : kConfigs) {
    INFO(k.name());
    TrainArgs a = smallArgs({d.file("c.txt")}, k);
    a.sample = 1e-2;  // exercises the random subsampling too
    a.seed = 42;
    Trained x = trainOn(a), y = trainOn(a);
    CHECK(sameMatrix(x.input, y.input));
    a.seed = 43;
    Trained z = trainOn(a);
    CHECK_FALSE(sameMatrix(x.input, z.input));
    // Training moved the vectors away from their initial values.
    Dictionary dict = buildVocabulary(a.vocab, nullptr);
    a.seed = 42;
    Word2VecTrainer fresh(a, dict);
    CHECK_FALSE(sameMatrix(fresh.input(), x.input));
    CHECK(allFinite(x.input));
  }
}

TEST_CASE("trainer: CBOW blocks of one position are per-example training, bit for bit") {
  // cbowBatch with one position is trainExample: the same draws, the same
  // scores, a negative equal to the target dropped, the same updates. Blocks
  // of four train positions of a long sentence together, and positions of
  // different short sentences gathered into a group (lanes): other vectors.
  TempDir d;
  std::mt19937 rng(17);
  testutil::writeFile(d.file("short.txt"), randomText(rng, 400, 30));  // lines of 0-11 words
  std::string long_text;
  for (int l = 0; l < 40; ++l) {
    for (int i = 0; i < 60; ++i) long_text += "w" + std::to_string(rng() % 30) + " ";
    long_text += "\n";
  }
  testutil::writeFile(d.file("long.txt"), long_text);
  for (const char* name : {"short.txt", "long.txt"}) {
    INFO(name);
    TrainArgs a = smallArgs({d.file(name)}, {ModelType::kCbow, LossType::kNegativeSampling, UpdateMode::kPair});
    a.sample = 1e-2;
    a.negative = 8;  // often draws the target itself among 30 words
    Dictionary dict = buildVocabulary(a.vocab, nullptr);
    Word2VecTrainer pair(a, dict);
    const Word2VecStats ps = pair.train(a.vocab.input);
    a.update = UpdateMode::kBatch;
    for (int block : {1, 4}) {
      INFO("block " << block);
      a.cbow_block = block;
      Word2VecTrainer blocks(a, dict);
      const Word2VecStats bs = blocks.train(a.vocab.input);
      CHECK(allFinite(blocks.input()));
      const bool same = block == 1;
      CHECK(sameMatrix(pair.input(), blocks.input()) == same);
      CHECK(sameMatrix(pair.output(), blocks.output()) == same);
      CHECK((ps.final_loss == bs.final_loss) == same);
    }
  }
}

TEST_CASE("trainer: later epochs replaying the first one's ids give bit-identical vectors") {
  TempDir d;
  std::mt19937 rng(23);
  std::vector<std::string> files;
  for (int i = 0; i < 3; ++i) {
    files.push_back(d.file("part" + std::to_string(i) + ".txt"));
    std::string text = randomText(rng, 150 + 100 * i, 40);
    if (i == 1) text.pop_back();  // a file without a final newline: its last sentence ends with the file
    testutil::writeFile(files.back(), text);
  }
  const std::string cache_dir = d.file("cache");
  std::filesystem::create_directory(cache_dir);
  for (const Config& k : kConfigs) {
    for (int max_sentence : {10000, 3}) {
      INFO(k.name() << " max_sentence " << max_sentence);
      TrainArgs a = smallArgs(files, k);
      a.vocab.min_count = 2;  // out-of-vocabulary words are skipped, not cached
      a.epochs = 3;
      a.sample = 1e-2;
      a.max_sentence = max_sentence;
      Trained plain = trainOn(a), cached = trainOn(a, cache_dir);
      CHECK_FALSE(plain.stats.id_cache);
      CHECK(cached.stats.id_cache);
      CHECK(sameMatrix(plain.input, cached.input));
      CHECK(cached.stats.words_in_epoch == plain.stats.words_in_epoch);
      CHECK(cached.stats.final_loss == plain.stats.final_loss);
      CHECK(std::filesystem::is_empty(cache_dir));  // the temporary files are gone
    }
  }
  TrainArgs one = smallArgs(files);
  one.epochs = 1;  // nothing to replay
  CHECK_FALSE(trainOn(one, cache_dir).stats.id_cache);
  CHECK_FALSE(trainOn(smallArgs(files), d.file("missing-dir")).stats.id_cache);
}

TEST_CASE("trainer: output layer shapes and trivial vocabularies") {
  TempDir d;
  testutil::writeFile(d.file("c.txt"), "a b c a\nb a\n");
  TrainArgs a = smallArgs({d.file("c.txt")});
  Dictionary dict = buildVocabulary(a.vocab, nullptr);
  REQUIRE(dict.size() == 3);
  {
    Word2VecTrainer ns(a, dict);
    CHECK(ns.input().rows() == 3);
    CHECK(ns.output().rows() == 3);
    CHECK(ns.input().cols() == 8);
  }
  {
    a.loss = LossType::kHierarchicalSoftmax;
    Word2VecTrainer hs(a, dict);
    CHECK(hs.output().rows() == 2);
  }
  // A one-word vocabulary trains without trouble with either loss.
  testutil::writeFile(d.file("one.txt"), "x x x\nx x\n");
  for (LossType loss : {LossType::kNegativeSampling, LossType::kHierarchicalSoftmax}) {
    TrainArgs b = smallArgs({d.file("one.txt")});
    b.loss = loss;
    Trained t = trainOn(b);
    CHECK(t.dict.size() == 1);
    CHECK(t.stats.words_in_epoch == std::vector<int64_t>{5, 5});
    CHECK(allFinite(t.input));
  }
  // An empty dictionary is refused.
  Dictionary empty;
  CHECK_THROWS_AS(Word2VecTrainer(a, empty), Error);
}

TEST_CASE("trainer: learns to predict the context word (known pairs), every model and loss") {
  // Sentences are "p_i q_i": the model must rank q_i first among all words as
  // the prediction from p_i (and p_i from q_i). This checks the direction of
  // the gradients and the Huffman path convention, not just clustering.
  TempDir d;
  std::mt19937 rng(9);
  const int kPairs = 10;
  std::string text;
  for (int s = 0; s < 3000; ++s) {
    const int i = static_cast<int>(rng() % kPairs);
    text += "p" + std::to_string(i) + " q" + std::to_string(i) + "\n";
  }
  testutil::writeFile(d.file("pairs.txt"), text);
  for (const Config& k : kConfigs) {
    INFO(k.name());
    TrainArgs a = smallArgs({d.file("pairs.txt")}, k);
    a.dim = 16;
    a.window = 1;
    a.negative = 5;
    a.epochs = 5;
    Dictionary dict = buildVocabulary(a.vocab, nullptr);
    REQUIRE(dict.size() == 2 * kPairs);
    Word2VecTrainer tr(a, dict);
    tr.train({d.file("pairs.txt")});
    const Matrix& in = tr.input();
    const Matrix& out = tr.output();
    std::vector<int64_t> counts;
    for (const auto& e : dict.entries()) counts.push_back(e.count);
    const HuffmanTree tree(counts);
    // Score of target w given hidden vector h: log-probability (hs) or the raw dot product (ns).
    auto score = [&](const float* h, int32_t w) {
      double s = 0;
      if (k.loss == LossType::kHierarchicalSoftmax) {
        for (int k = 0; k < tree.length(w); ++k) {
          double f = 0;
          for (int c = 0; c < a.dim; ++c) f += h[c] * out.row(tree.points(w)[k])[c];
          // word2vec's convention: code 0 means label 1 (sigmoid(f)), code 1 means sigmoid(-f).
          s += -std::log1p(std::exp(tree.codes(w)[k] ? f : -f));
        }
      } else {
        for (int c = 0; c < a.dim; ++c) s += h[c] * out.row(w)[c];
      }
      return s;
    };
    int correct = 0;
    double p_true = 0;
    for (int i = 0; i < kPairs; ++i) {
      for (const auto& [from, to] : {std::pair{"p", "q"}, std::pair{"q", "p"}}) {
        const int32_t src = dict.find(from + std::to_string(i)), dst = dict.find(to + std::to_string(i));
        REQUIRE(src >= 0);
        REQUIRE(dst >= 0);
        int32_t best = -1;
        double best_s = -1e300;
        for (int32_t w = 0; w < dict.size(); ++w) {
          const double s = score(in.row(src), w);
          if (s > best_s) best_s = s, best = w;
        }
        correct += best == dst;
        if (k.loss == LossType::kHierarchicalSoftmax) p_true += std::exp(score(in.row(src), dst));
        else p_true += 1 / (1 + std::exp(-score(in.row(src), dst)));
      }
    }
    p_true /= 2 * kPairs;
    INFO("mean probability of the true context: " << p_true);
    CHECK(correct == 2 * kPairs);
    // Random vectors would give 1/20 (hs) or 1/2 (ns, a sigmoid of ~0).
    CHECK(p_true > (k.loss == LossType::kHierarchicalSoftmax ? 0.3 : 0.8));
  }
}

TEST_CASE("trainer: two disjoint topics separate, for every model and loss") {
  TempDir d;
  std::mt19937 rng(2024);
  const int kTopicWords = 20;
  std::string text;
  // Lines of 10-20 words, and every fourth of 60-80, long enough for CBOW's
  // blocks of four positions more than 2W apart (shorter lines train per example).
  for (int s = 0; s < 3000; ++s) {
    const char topic = (s % 2) ? 'a' : 'b';
    const int n = (s % 4 == 3 ? 60 : 10) + static_cast<int>(rng() % 21) / (s % 4 == 3 ? 1 : 2);
    for (int i = 0; i < n; ++i) {
      if (i) text += ' ';
      text += topic;
      text += std::to_string(rng() % kTopicWords);
    }
    text += '\n';
  }
  testutil::writeFile(d.file("topics.txt"), text);

  // Words whose 5 nearest neighbours all share their topic.
  auto goodWords = [](const Dictionary& dict, const Matrix& m, std::string* bad_words) {
    Vectors v;
    for (const auto& e : dict.entries()) v.words.push_back(e.word);
    v.matrix = copyOf(m);
    return testutil::topicalWords(std::move(v), bad_words);
  };

  {
    // Sanity check of the measure: untrained (random) vectors fail it.
    TrainArgs a = smallArgs({d.file("topics.txt")});
    a.dim = 20;
    Dictionary dict = buildVocabulary(a.vocab, nullptr);
    Word2VecTrainer untrained(a, dict);
    CHECK(goodWords(dict, untrained.input(), nullptr) < 20);
  }

  for (const Config& k : kConfigs) {
    INFO(k.name());
    TrainArgs a = smallArgs({d.file("topics.txt")}, k);
    a.dim = 20;
    a.window = 5;
    a.negative = 5;
    a.epochs = 3;
    a.threads = 2;
    Trained t = trainOn(a);
    REQUIRE(t.dict.size() == 2 * kTopicWords);
    std::string bad_words;
    const int good = goodWords(t.dict, t.input, &bad_words);
    INFO("words with an off-topic neighbour: " << bad_words);
    // >= 95% of the 40 words (2 Hogwild threads are not deterministic; in
    // practice all 40 pass even after one epoch).
    CHECK(good >= 38);
  }
}

TEST_CASE("trainer: CBOW-HS's copies of the top nodes, folded inside a sentence, lose and add nothing") {
  // Two files of the same size: one line of in-vocabulary words, and words
  // seen once (below --min-count). With 2 threads each takes one file, so the
  // first trains alone on the line, through its copies of the nodes near the
  // root, folded every 32 positions and between sentences; the second trains
  // nothing. Every fold must carry the copy's change over exactly once: the
  // vectors then stay those of one thread, which writes the shared rows.
  TempDir d;
  std::mt19937 rng(11);
  std::string line;
  for (int i = 0; i < 3000; ++i) line += (i ? " w" : "w") + std::to_string(rng() % 60);
  while ((line.size() + 1) % 8 != 0) line += ' ';
  line += '\n';
  std::string once;
  for (size_t i = 0; once.size() < line.size(); ++i) {
    char w[16];
    std::snprintf(w, sizeof w, "u%06zu\n", i);
    once += w;
  }
  REQUIRE(once.size() == line.size());
  testutil::writeFile(d.file("line.txt"), line);
  testutil::writeFile(d.file("once.txt"), once);
  TrainArgs a = smallArgs({d.file("line.txt"), d.file("once.txt")},
                          {ModelType::kCbow, LossType::kHierarchicalSoftmax, UpdateMode::kPair});
  a.vocab.min_count = 2;
  a.dim = 16;
  a.epochs = 3;
  a.lr_schedule = LrSchedule::kGlobal;  // the idle thread's share must not change the decay
  a.seed = 3;
  Trained one = trainOn(a);
  REQUIRE(one.dict.size() == 60);
  a.threads = 2;
  Trained two = trainOn(a);
  REQUIRE(two.dict.size() == 60);
  float worst = 0, moved = 0;
  Dictionary dict = buildVocabulary(a.vocab, nullptr);
  Word2VecTrainer fresh(a, dict);
  for (int64_t r = 0; r < one.input.rows(); ++r)
    for (int c = 0; c < one.input.cols(); ++c) {
      worst = std::max(worst, std::fabs(one.input.row(r)[c] - two.input.row(r)[c]));
      moved = std::max(moved, std::fabs(one.input.row(r)[c] - fresh.input().row(r)[c]));
    }
  INFO("largest change by training " << moved << ", largest difference " << worst);
  CHECK(moved > 0.05f);
  CHECK(worst < 1e-3f * moved);
}
