// CBOW blocks (src/word2vec/cbow_blocks.cc): how a group of short sentences
// is packed into lanes, and that a window never reaches into the sentence
// next to it in a lane. Also checked elsewhere: short lines train in blocks,
// not per example, and lines of two words learn their pairs
// (test_trainer.cc); a resumed run gathers the same groups (test_checkpoint.cc).
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/word2vec/args.h"
#include "wembed/word2vec/trainer.h"
#include "word2vec/lanes.h"

using namespace wembed;

namespace {

struct Packed {
  std::vector<int> order, lane_of, load;
};

Packed pack(const std::vector<int>& len, int nl) {
  const int m = static_cast<int>(len.size());
  Packed p{std::vector<int>(len.size()), std::vector<int>(len.size()), std::vector<int>(static_cast<size_t>(nl))};
  packLanes(len.data(), m, nl, p.order.data(), p.lane_of.data());
  for (int i = 0; i < m; ++i) p.load[static_cast<size_t>(p.lane_of[static_cast<size_t>(i)])] += len[static_cast<size_t>(i)];
  return p;
}

}  // namespace

TEST_CASE("cbow blocks: sentences go longest first to the lane with the fewest words") {
  // Hand computation: 10 -> lane 0; 7 (sentence 2) -> lane 1; 7 (sentence 3)
  // -> lane 1 (7 < 10); 3 -> lane 0 (10 < 14); 2 -> lane 0 (13 < 14).
  const Packed p = pack({10, 3, 7, 7, 2}, 2);
  CHECK(p.order == std::vector<int>{0, 2, 3, 1, 4});
  CHECK(p.lane_of == std::vector<int>{0, 0, 1, 1, 0});
  CHECK(p.load == std::vector<int>{15, 14});
  // Ties go to the lower lane; one lane takes everything in order of length.
  CHECK(pack({4, 4, 4, 4}, 4).lane_of == std::vector<int>{0, 1, 2, 3});
  CHECK(pack({1, 5, 3}, 1).order == std::vector<int>{1, 2, 0});
  CHECK(pack({1, 5, 3}, 1).lane_of == std::vector<int>{0, 0, 0});
}

TEST_CASE("cbow blocks: the lanes of a group end close together") {
  // Longest-first: no lane exceeds the shortest by more than the longest
  // sentence, and the longest lane is within 4/3 of an even split (plus one
  // sentence) -- here, groups like the trainer's: 4 lanes, sentences of 1-43 words.
  std::mt19937 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<int> len(5 + rng() % 60);
    for (int& l : len) l = 1 + static_cast<int>(rng() % 43);
    const int nl = 1 + static_cast<int>(rng() % kMaxLanes);
    const Packed p = pack(len, nl);
    std::vector<int> sorted = p.order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> all(len.size());
    std::iota(all.begin(), all.end(), 0);
    CHECK(sorted == all);  // every sentence once
    const int lo = *std::min_element(p.load.begin(), p.load.end());
    const int hi = *std::max_element(p.load.begin(), p.load.end());
    const int longest = *std::max_element(len.begin(), len.end());
    CHECK(hi - lo <= longest);
    const int total = std::accumulate(len.begin(), len.end(), 0);
    CHECK(3 * hi <= 4 * ((total + nl - 1) / nl) + 3 * longest);
  }
}

TEST_CASE("cbow blocks: a window stops at its sentence's end, also in a lane of gathered sentences") {
  // Lines of one word have no context: training must leave their words'
  // input rows as they started. Gathered into lanes, their words lie next to other sentences'
  // words; a window reaching past its sentence would train them. Lines of
  // 30-60 words among them (cut into lanes of their own) do train.
  testutil::TempDir d;
  std::mt19937 rng(5);
  std::string single, mixed;
  for (int l = 0; l < 600; ++l) {
    const std::string w = "s" + std::to_string(rng() % 20);
    single += w + "\n";
    mixed += w + "\n";
    if (l % 50 == 0) {
      for (int i = 0; i < 30 + static_cast<int>(rng() % 31); ++i) mixed += "m" + std::to_string(rng() % 10) + " ";
      mixed += "\n";
    }
  }
  testutil::writeFile(d.file("single.txt"), single);
  testutil::writeFile(d.file("mixed.txt"), mixed);
  for (const char* name : {"single.txt", "mixed.txt"}) {
    INFO(std::string(name));
    TrainArgs a;
    a.vocab.input = {d.file(name)};
    a.vocab.min_count = 1;
    a.output = d.file("unused.bin");
    a.model = ModelType::kCbow;
    a.loss = LossType::kNegativeSampling;
    a.update = UpdateMode::kBatch;
    a.cbow_block = 4;
    a.dim = 8;
    a.window = 5;
    a.sample = 0;
    a.epochs = 2;
    a.threads = 1;
    const Dictionary dict = buildVocabulary(a.vocab, nullptr);
    Word2VecTrainer fresh(a, dict), trained(a, dict);
    trained.train(a.vocab.input);
    int moved_single = 0, moved_mixed = 0;
    for (int32_t w = 0; w < dict.size(); ++w) {
      bool same = true;
      for (int c = 0; c < a.dim; ++c) same = same && trained.input().row(w)[c] == fresh.input().row(w)[c];
      // (Alone, no output row is trained either; beside the long lines, the
      // one-word lines' words are their negatives.)
      if (std::string(name) == "single.txt")
        for (int c = 0; c < a.dim; ++c) same = same && trained.output().row(w)[c] == 0.f;
      (dict[w].word[0] == 's' ? moved_single : moved_mixed) += !same;
    }
    CHECK(moved_single == 0);
    CHECK(moved_mixed == (std::string(name) == "mixed.txt" ? 10 : 0));
  }
}
