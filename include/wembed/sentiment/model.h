#pragma once
// A trained sentiment classifier: hyperparameters, vocabulary and weights,
// saved to / loaded from one versioned binary file.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wembed/core/matrix.h"
#include "wembed/sentiment/data.h"
#include "wembed/sentiment/net.h"
#include "wembed/vectors/subwords.h"

namespace wembed {

// File layout (little-endian): "WEMBSENT", u32 version (1), u32 cell,
// embed_dim, hidden, layers, bidirectional, pooling, max_len; u64 word count
// V, then V times (u32 byte length, bytes); u64 embedding rows (V + 1; row 0
// the unknown-word vector) and rows x embed_dim float32; u64 count and
// float32 of the other weights (NetLayout order); u64 XXH3-64 of every byte
// before it.
constexpr uint32_t kSentimentModelVersion = 1;

struct SentimentModel {
  int max_len = 0;  // texts are cut to this many words (0: no limit)
  Vocabulary vocab;
  NetParams<float> net;

  // Written atomically (temporary file + rename).
  void save(const std::string& path) const;
  // Throws Error naming the file when it is not a model, of another version,
  // truncated or corrupt (checksum mismatch).
  static SentimentModel load(const std::string& path);

  Example encode(std::string_view text, int label = 0) const;
};

// The words of a vector file a classifier can use: those the text cleaner
// can produce (lower-case a-z only), each once (its first row), the first
// max_vocab of them (0: all). rows[i] is the row of words[i] in the file, or
// -1 - j for the j-th vector of composed (addComposedWords).
struct VectorVocabulary {
  std::vector<std::string> words;
  std::vector<int64_t> rows;
  std::vector<float> composed;  // vectors of composed_dim floats, one after another
  int composed_dim = 0;
};
VectorVocabulary classifierVocabulary(const std::vector<std::string>& vector_words, int64_t max_vocab);

// For vectors with subwords: adds to v the words of texts (their first
// max_len words as the classifier reads them, 0: all) that are not in the
// vector file (vector_words), in the order they first appear, each with its
// vector composed from n-grams (a word without n-grams is left out).
// Returns how many it added.
int64_t addComposedWords(VectorVocabulary& v, const std::vector<std::string>& vector_words, const Subwords& subwords,
                         const std::vector<std::string_view>& texts, int max_len);

// A new, untrained classifier over those words: config with embed_dim =
// vectors.cols(); the words' vectors fill rows 1.. of the embedding table
// (row 0, the unknown word, starts at zero); the other weights are drawn
// from seed (NetParams::initialize). Throws Error on a bad configuration.
SentimentModel newSentimentModel(const Matrix& vectors, VectorVocabulary vocab, NetConfig config, int max_len,
                                 uint64_t seed);

}  // namespace wembed
