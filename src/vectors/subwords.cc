#include "wembed/vectors/subwords.h"

#include <algorithm>

#include "wembed/core/error.h"
#include "wembed/core/kernels.h"
#include "wembed/core/range_check.h"

namespace wembed {

void SubwordArgs::validate() const {
  checkRange("--maxn", maxn, Range::closed(0, 20));
  checkRange("--minn", minn, Range::closed(0, 20));
  checkRange("--bucket", bucket, Range::closed(0, 2147483647));
  if (maxn > 0 && minn > maxn)
    throw Error("--minn (" + std::to_string(minn) + ") must not exceed --maxn (" + std::to_string(maxn) + ")");
  if (maxn > 0 && bucket == 0) throw Error("--bucket must be at least 1 with subwords (--maxn > 0)");
}

uint32_t fasttextHash(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<uint32_t>(static_cast<int8_t>(c));
    h *= 16777619u;
  }
  return h;
}

// fastText's Dictionary::computeSubwords on "<word>".
void appendSubwords(std::string_view word, const SubwordArgs& args, std::vector<int32_t>& out,
                    std::vector<std::string>* ngrams) {
  if (!args.enabled() || word == kEndOfSentence) return;
  std::string w;
  w.reserve(word.size() + 2);
  w += '<';
  w += word;
  w += '>';
  const size_t size = w.size();
  std::string ngram;
  for (size_t i = 0; i < size; ++i) {
    if ((w[i] & 0xC0) == 0x80) continue;
    ngram.clear();
    for (size_t j = i, n = 1; j < size && n <= static_cast<size_t>(args.maxn); ++n) {
      ngram.push_back(w[j++]);
      while (j < size && (w[j] & 0xC0) == 0x80) ngram.push_back(w[j++]);
      if (n >= static_cast<size_t>(args.minn) && !(n == 1 && (i == 0 || j == size))) {
        out.push_back(static_cast<int32_t>(fasttextHash(ngram) % static_cast<uint64_t>(args.bucket)));
        if (ngrams) ngrams->push_back(ngram);
      }
    }
  }
}

SubwordTable::SubwordTable(const std::vector<std::string>& words, const SubwordArgs& args) {
  const int32_t V = static_cast<int32_t>(words.size());
  offsets_.reserve(static_cast<size_t>(V) + 1);
  offsets_.push_back(0);
  std::vector<int32_t> buckets;
  for (int32_t i = 0; i < V; ++i) {
    ids_.push_back(i);
    buckets.clear();
    appendSubwords(words[static_cast<size_t>(i)], args, buckets);
    for (int32_t b : buckets) ids_.push_back(V + b);
    offsets_.push_back(static_cast<int64_t>(ids_.size()));
    max_count_ = std::max(max_count_, static_cast<int>(buckets.size()) + 1);
  }
  ids_.shrink_to_fit();
}

void meanOfRows(const Matrix& input, const int32_t* rows, int n, float* out) {
  const int D = input.stride();
  zeroVec(out, D);
  for (int i = 0; i < n; ++i) axpy(1.f, input.row(rows[i]), out, D);
  if (n > 0) scaleVec(1.0f / static_cast<float>(n), out, D);
}

bool Subwords::compose(std::string_view word, float* out) const {
  std::vector<int32_t> ids;
  appendSubwords(word, args, ids);
  meanOfRows(buckets, ids.data(), static_cast<int>(ids.size()), out);
  return !ids.empty();
}

}  // namespace wembed
