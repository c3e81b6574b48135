#pragma once
// A trained sentiment classifier: hyperparameters, vocabulary and weights,
// saved to / loaded from one versioned binary file.
#include <string>

#include "wembed/sentiment/data.h"
#include "wembed/sentiment/net.h"

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

}  // namespace wembed
