#include "wembed/vectors/pretrained.h"

#include <algorithm>
#include <vector>

#include "wembed/core/error.h"
#include "wembed/core/report.h"

namespace wembed {

Vectors loadPretrained(const std::string& flag, const std::string& path, int dim) {
  Vectors v = withContext(flag, [&] {
    checkVectorFile(path);
    return loadVectors(path);
  });
  if (v.matrix.cols() != dim)
    throw Error(flag + " '" + path + "' has " + std::to_string(v.matrix.cols()) + " dimensions but --dim is " +
                std::to_string(dim) + " (they must be equal)");
  return v;
}

int64_t applyPretrained(const Vectors& pre, const Dictionary& dict, const std::function<float*(int32_t)>& row) {
  std::vector<char> set(static_cast<size_t>(dict.size()), 0);
  const int d = pre.matrix.cols();
  int64_t n = 0;
  for (size_t i = 0; i < pre.words.size(); ++i) {
    const int32_t id = dict.find(pre.words[i]);
    if (id < 0 || set[static_cast<size_t>(id)]) continue;
    set[static_cast<size_t>(id)] = 1;
    const float* src = pre.matrix.row(static_cast<int64_t>(i));
    std::copy(src, src + d, row(id));
    ++n;
  }
  return n;
}

std::string pretrainedSummary(int64_t set, int32_t vocab_size, const std::string& flag, const std::string& path) {
  return stringPrintf("train: initialised %lld of %d vocabulary words from %s '%s'", static_cast<long long>(set),
                      vocab_size, flag.c_str(), path.c_str());
}

}  // namespace wembed
