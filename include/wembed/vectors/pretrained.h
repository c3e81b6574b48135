#pragma once
// Pretrained input rows: `wembed train --init-vectors FILE` (fastText's
// -pretrainedVectors). The vocabulary's words found in a plain vector file
// start from the file's vectors; the others are initialised as usual.
#include <cstdint>
#include <functional>
#include <string>

#include "wembed/corpus/dictionary.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

// Reads `path` (any format loadVectors reads) for a model of `dim`
// dimensions. Throws Error naming `flag` when the file cannot be read or is
// damaged, or when its dimension is not `dim` (both dimensions named).
Vectors loadPretrained(const std::string& flag, const std::string& path, int dim);

// Copies the vector of each word of `pre` that the vocabulary holds into
// row(id) (its first pre.matrix.cols() floats); a word listed twice in the
// file: the first row wins. Returns the number of vocabulary words set.
int64_t applyPretrained(const Vectors& pre, const Dictionary& dict, const std::function<float*(int32_t)>& row);

// "initialised N of V vocabulary words from FLAG 'path'", for the run's log.
std::string pretrainedSummary(int64_t set, int32_t vocab_size, const std::string& flag, const std::string& path);

}  // namespace wembed
