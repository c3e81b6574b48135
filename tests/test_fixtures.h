#pragma once
// Tiny made-up data shared by several test files: sentiment examples, word
// vectors and SST-2 style TSV files, small networks, and a corpus of two
// disjoint topics with the check that trained vectors keep them apart.
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "wembed/vectors/index.h"
#include "wembed/sentiment/net.h"
#include "wembed/vectors/vectors.h"

namespace testutil {

// --- sentiment ------------------------------------------------------------------

// Rows 1-2 positive words, 3-4 negative words, 5-20 neutral fillers, 0 unknown
// (a table of 21 rows). A text is fillers (and sometimes unknown words) with
// one sentiment word somewhere: linearly separable once the model finds that word.
inline std::vector<wembed::Example> separable(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<wembed::Example> out;
  for (int i = 0; i < n; ++i) {
    wembed::Example e;
    e.label = i % 2;
    const int len = 2 + static_cast<int>(rng() % 12);
    for (int t = 0; t < len; ++t) e.ids.push_back(rng() % 10 == 0 ? 0 : 5 + static_cast<int>(rng() % 16));
    const int word = e.label ? 1 + static_cast<int>(rng() % 2) : 3 + static_cast<int>(rng() % 2);
    e.ids[rng() % len] = word;
    out.push_back(e);
  }
  return out;
}

// A network over the 21 rows of separable(): initialized from seed, with
// random (unit normal) embeddings for every row but the unknown word's.
inline wembed::NetParams<float> randomNet(const wembed::NetConfig& c, uint64_t seed) {
  wembed::NetParams<float> P(c, 21);
  P.initialize(seed);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g(0, 1);
  for (int r = 1; r < 21; ++r)
    for (int j = 0; j < c.embed_dim; ++j) P.embeddings(r, j) = g(rng);
  return P;
}

// Embedding and hidden sizes both `size`.
inline wembed::NetConfig netConfig(wembed::CellType cell, wembed::Pooling pool, bool bidir, int size,
                                   int layers = 1) {
  wembed::NetConfig c;
  c.cell = cell;
  c.embed_dim = size;
  c.hidden = size;
  c.layers = layers;
  c.bidirectional = bidir;
  c.pooling = pool;
  return c;
}

inline const char* const kPosWords[] = {"good", "great"};
inline const char* const kNegWords[] = {"bad", "awful"};
inline const char* const kFillWords[] = {"the", "movie", "plot", "actor", "scene", "film", "story", "was", "and", "it"};

// Word vectors (word2vec text, 6 dimensions) for the words above plus words
// the classifier cannot use (upper case, punctuation).
inline std::string sentimentVectorsText() {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> g(0, 1);
  std::vector<std::string> words(std::begin(kPosWords), std::end(kPosWords));
  words.insert(words.end(), std::begin(kNegWords), std::end(kNegWords));
  words.insert(words.end(), std::begin(kFillWords), std::end(kFillWords));
  words.push_back("The");
  words.push_back("</s>");
  std::string s = std::to_string(words.size()) + " 6\n";
  for (const auto& w : words) {
    s += w;
    for (int j = 0; j < 6; ++j) s += " " + std::to_string(g(rng));
    s += "\n";
  }
  return s;
}

// SST-2 style TSV: fillers with one sentiment word, label from that word.
inline std::string sentimentTsv(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s = "sentence\tlabel\n";
  for (int i = 0; i < n; ++i) {
    const int label = i % 2;
    const int len = 2 + static_cast<int>(rng() % 8), at = static_cast<int>(rng() % len);
    std::string text;
    for (int t = 0; t < len; ++t) {
      text += t == at ? (label ? kPosWords[rng() % 2] : kNegWords[rng() % 2]) : kFillWords[rng() % 10];
      text += t + 1 < len ? " " : " . ";
    }
    s += text + "\t" + std::to_string(label) + "\n";
  }
  return s;
}

// --- two topics ------------------------------------------------------------------

// Lines of 15 words alternating between two disjoint topics, "b0".."b{N-1}"
// and "a0".."a{N-1}" (N = topic_words).
inline std::string topicsText(int lines, int topic_words) {
  std::mt19937 rng(11);
  std::string text;
  for (int s = 0; s < lines; ++s) {
    const char topic = (s % 2) ? 'a' : 'b';
    for (int i = 0; i < 15; ++i) text += std::string(1, topic) + std::to_string(rng() % topic_words) + " ";
    text += "\n";
  }
  return text;
}

// How many words have 5 nearest neighbours that all share their topic (their
// first letter); the others are added to *bad_words.
inline int topicalWords(wembed::Vectors v, std::string* bad_words = nullptr) {
  wembed::VectorIndex idx(std::move(v));
  int good = 0;
  for (int32_t w = 0; w < idx.size(); ++w) {
    const std::string& word = idx.word(w);
    const auto nn = idx.nearest(word, 5);
    bool ok = nn.size() == 5;
    for (const auto& [other, score] : nn) ok &= other[0] == word[0];
    good += ok;
    if (!ok && bad_words) *bad_words += word + " ";
  }
  return good;
}

}  // namespace testutil
