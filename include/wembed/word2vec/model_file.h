#pragma once
// A full word2vec model (`train --save-model`, `train --init`): the native
// format's version 3 (include/wembed/vectors/vectors.h) holding the words
// and their counts, the input vectors (with subwords: the composed vectors,
// the words' own rows and the n-gram rows), the output layer (ns: one row
// per word; hs: one per inner node of the Huffman tree built from the
// counts) and the settings below as "key value" lines.
#include <string>

#include "wembed/core/io.h"
#include "wembed/vectors/vectors.h"
#include "wembed/word2vec/args.h"

namespace wembed {

struct Word2VecModel;

// The settings a model file keeps: kind, model, loss, dim, window, negative,
// sample, ns-exponent, alpha, epochs, min-count, update, lr-schedule, minn,
// maxn, bucket.
std::string word2vecSettings(const TrainArgs& a);
// The settings read back into a TrainArgs (the others at their defaults).
// Throws Error naming `path` on a line it does not know or a missing key.
TrainArgs parseWord2VecSettings(const std::string& text, const std::string& path);

// Writes m as a full model file at path, into out.
void writeWord2VecModelFile(PendingFiles& out, const std::string& path, const TrainArgs& a, const Word2VecModel& m);

// A full model read back: the settings it was trained with and its layers
// (vectors.model holds the output layer).
struct SavedWord2Vec {
  TrainArgs args;
  Vectors vectors;
};
// Reads a full model for `flag` (--init): throws Error naming the flag and
// the file when it cannot be read, is damaged, is plain vectors (no model
// section) or is not a word2vec model, or when its layers do not fit its
// settings.
SavedWord2Vec loadWord2VecModel(const std::string& flag, const std::string& path);

}  // namespace wembed
