#include "word2vec/grow.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "wembed/core/error.h"
#include "wembed/word2vec/huffman.h"

namespace wembed {

namespace {

bool given(const TrainArgs& a, const char* flag) {
  return std::find(a.given.begin(), a.given.end(), flag) != a.given.end();
}

// An inner node's place in a Huffman tree: a hash of the codes from the root
// to it (the root: the empty path).
uint64_t step(uint64_t place, uint8_t code) {
  uint64_t z = place + 0x9E3779B97F4A7C15ull + code + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Calls f(place, node) for each inner node on each word's path.
template <class F>
void eachPlace(const HuffmanTree& t, int32_t words, F&& f) {
  for (int32_t w = 0; w < words; ++w) {
    uint64_t place = 0;
    const int32_t* points = t.points(w);
    const uint8_t* codes = t.codes(w);
    for (int k = 0; k < t.length(w); ++k) {
      f(place, points[k]);
      place = step(place, codes[k]);
    }
  }
}

void copyRow(const Matrix& from, int64_t i, Matrix& to, int64_t j) {
  std::copy(from.row(i), from.row(i) + from.cols(), to.row(j));
}

// hs: the old tree's node rows moved to the same places of the new tree.
void carryTree(const Vectors& v, const Dictionary& grown, Matrix& out) {
  const HuffmanTree old_tree(v.counts);
  std::vector<int64_t> counts(static_cast<size_t>(grown.size()));
  for (int32_t w = 0; w < grown.size(); ++w) counts[static_cast<size_t>(w)] = grown[w].count;
  const HuffmanTree new_tree(counts);
  std::unordered_map<uint64_t, int32_t> old_place;
  eachPlace(old_tree, static_cast<int32_t>(v.words.size()),
            [&](uint64_t place, int32_t node) { old_place.emplace(place, node); });
  std::vector<char> done(static_cast<size_t>(new_tree.innerNodes()), 0);
  eachPlace(new_tree, grown.size(), [&](uint64_t place, int32_t node) {
    if (done[static_cast<size_t>(node)]) return;
    done[static_cast<size_t>(node)] = 1;
    const auto it = old_place.find(place);
    if (it != old_place.end()) copyRow(v.model->output, it->second, out, node);
  });
}

}  // namespace

TrainArgs continuedArgs(const TrainArgs& g, const TrainArgs& saved, const std::string& path) {
  struct Pin {
    const char* flag;
    std::string mine, theirs;
  };
  const Pin pins[] = {{"model", toString(g.model), toString(saved.model)},
                      {"loss", toString(g.loss), toString(saved.loss)},
                      {"dim", std::to_string(g.dim), std::to_string(saved.dim)},
                      {"minn", std::to_string(g.subwords.minn), std::to_string(saved.subwords.minn)},
                      {"maxn", std::to_string(g.subwords.maxn), std::to_string(saved.subwords.maxn)},
                      {"bucket", std::to_string(g.subwords.bucket), std::to_string(saved.subwords.bucket)}};
  for (const Pin& p : pins)
    if (given(g, p.flag) && p.mine != p.theirs)
      throw Error(std::string("--") + p.flag + " " + p.mine + " conflicts with the model --init '" + path + "' (" +
                  p.flag + " " + p.theirs + "): leave it out, the model's is used");
  TrainArgs a = g;
  a.model = saved.model;
  a.loss = saved.loss;
  a.dim = saved.dim;
  a.subwords = saved.subwords;
  if (!given(g, "window")) a.window = saved.window;
  if (!given(g, "negative")) a.negative = saved.negative;
  if (!given(g, "sample")) a.sample = saved.sample;
  if (!given(g, "ns-exponent")) a.ns_exponent = saved.ns_exponent;
  if (!given(g, "update")) a.update = saved.update;
  if (!given(g, "lr-schedule")) a.lr_schedule = saved.lr_schedule;
  return a;
}

Dictionary growVocabulary(const Vectors& saved, const Dictionary& counted, int64_t min_count, int64_t max_vocab) {
  Dictionary d;
  d.setPruneAt(INT64_MAX);
  for (size_t i = 0; i < saved.words.size(); ++i) d.add(saved.words[i], saved.counts[i]);
  std::vector<int32_t> fresh;
  for (int32_t i = 0; i < counted.size(); ++i) {
    const Dictionary::Entry& e = counted[i];
    if (d.find(e.word) >= 0 && d.find(e.word) < static_cast<int32_t>(saved.words.size())) d.add(e.word, e.count);
    else if (e.count >= min_count) fresh.push_back(i);
  }
  std::stable_sort(fresh.begin(), fresh.end(), [&](int32_t x, int32_t y) { return counted[x].count > counted[y].count; });
  if (max_vocab > 0 && static_cast<int64_t>(fresh.size()) > max_vocab) fresh.resize(static_cast<size_t>(max_vocab));
  for (int32_t i : fresh) d.add(counted[i].word, counted[i].count);
  d.finalizeInOrder();
  return d;
}

void carryOver(const SavedWord2Vec& s, const Dictionary& grown, Word2VecTrainer& trainer) {
  const Vectors& v = s.vectors;
  const int64_t old_words = static_cast<int64_t>(v.words.size());
  Matrix& in = trainer.input();
  const Matrix& own = v.subwords ? v.subwords->own : v.matrix;
  for (int64_t w = 0; w < old_words; ++w) copyRow(own, w, in, w);
  if (v.subwords)
    for (int64_t b = 0; b < v.subwords->buckets.rows(); ++b) copyRow(v.subwords->buckets, b, in, grown.size() + b);
  Matrix& out = trainer.output();
  if (s.args.loss == LossType::kHierarchicalSoftmax) return carryTree(v, grown, out);
  for (int64_t w = 0; w < old_words; ++w) copyRow(v.model->output, w, out, w);
}

}  // namespace wembed
