#pragma once
// A tiny model with subwords made by hand, for known answers about words
// never seen: every word keeps the vector given, and each n-gram row is the
// sum of the vectors of the words that have that n-gram. A word outside the
// vocabulary then points where the known words it shares n-grams with point
// (for "topics", the 7 n-grams of length 3-4 it shares with "topic": exactly
// topic's direction, unless a hash collides in the 4096 buckets).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"
#include "wembed/core/kernels.h"
#include "wembed/vectors/subwords.h"
#include "wembed/vectors/vectors.h"

namespace testutil {

inline wembed::Vectors subwordModel(const std::vector<std::pair<std::string, std::vector<float>>>& rows,
                                    wembed::SubwordArgs args = {3, 4, 4096}) {
  wembed::Vectors v = makeVectors(rows);
  auto s = std::make_shared<wembed::Subwords>();
  s->args = args;
  s->buckets = wembed::Matrix(args.bucket, v.matrix.cols());
  std::vector<int32_t> ids;
  for (size_t i = 0; i < v.words.size(); ++i) {
    ids.clear();
    wembed::appendSubwords(v.words[i], args, ids);
    for (int32_t b : ids)
      wembed::axpy(1.f, v.matrix.row(static_cast<int64_t>(i)), s->buckets.row(b), v.matrix.stride());
  }
  v.subwords = std::move(s);
  return v;
}

}  // namespace testutil
