// Queries about sets of words, with gensim's semantics: n_similarity,
// doesnt_match, and most_similar_cosmul for the analogy it is used for
// (positive=[b, c], negative=[a]: 3CosMul, the library's analogy(), as the
// analogy command's --method mul).
#include <cmath>
#include <vector>

#include "bindings.h"
#include "wembed/core/error.h"
#include "wembed/core/kernels.h"
#include "wembed/vectors/evaluate.h"

namespace wembed::py {

namespace {

// Vectors of stride() floats (zero-padded) for words: unit (as VectorIndex
// gives them, composed from n-grams if need be) or raw; KeyError if unknown.
std::vector<AlignedBuffer> vectorsOf(PyKeyedVectors& kv, const std::vector<std::string>& words, bool unit) {
  const VectorIndex& index = kv.index();
  std::vector<AlignedBuffer> out;
  for (const auto& w : words) {
    AlignedBuffer b(static_cast<size_t>(index.stride()));
    zeroVec(b.data(), index.stride());
    const bool found = unit ? index.unitVector(w, b.data()) : kv.rawVector(w, b.data());
    if (!found) throw pyb::key_error("Key " + quote(w) + " not present in vocabulary");
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<std::string> wordList(const pyb::object& o) {
  std::vector<std::string> out;
  if (PyUnicode_Check(o.ptr())) return {bytesOfText(o)};
  for (auto w : o) out.push_back(bytesOfText(w));
  return out;
}

std::vector<const float*> pointers(const std::vector<AlignedBuffer>& v) {
  std::vector<const float*> p;
  for (const auto& b : v) p.push_back(b.data());
  return p;
}

// gensim: the cosine of the means of the raw vectors (get_mean_vector(pre_normalize=False)).
float nSimilarity(PyKeyedVectors& kv, const pyb::object& ws1, const pyb::object& ws2) {
  const auto a = vectorsOf(kv, wordList(ws1), false), b = vectorsOf(kv, wordList(ws2), false);
  if (a.empty() || b.empty()) throw pyb::value_error("At least one of the passed lists is empty.");
  const VectorIndex& index = kv.index();
  AlignedBuffer m1(static_cast<size_t>(index.stride())), m2(static_cast<size_t>(index.stride()));
  // meanQuery: the mean scaled to unit length, gensim's unitvec(mean).
  index.meanQuery(pointers(a).data(), static_cast<int>(a.size()), nullptr, 0, m1.data());
  index.meanQuery(pointers(b).data(), static_cast<int>(b.size()), nullptr, 0, m2.data());
  return dot(m1.data(), m2.data(), index.stride());
}

// gensim: among the words that have a vector, the one whose unit vector is
// least similar to their normalised mean (a tie: the smallest word).
pyb::str doesntMatch(PyKeyedVectors& kv, const pyb::iterable& words) {
  std::vector<std::string> used;
  const VectorIndex& index = kv.index();
  AlignedBuffer tmp(static_cast<size_t>(index.stride()));
  for (auto w : words) {
    std::string s = bytesOfText(w);
    if (index.unitVector(s, tmp.data())) used.push_back(std::move(s));  // gensim ignores the others
  }
  if (used.empty()) throw pyb::value_error("cannot select a word from an empty list");
  const auto v = vectorsOf(kv, used, true);
  AlignedBuffer mean(static_cast<size_t>(index.stride()));
  index.meanQuery(pointers(v).data(), static_cast<int>(v.size()), nullptr, 0, mean.data());
  size_t worst = 0;
  float worst_score = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const float s = dot(v[i].data(), mean.data(), index.stride());
    if (i == 0 || s < worst_score || (s == worst_score && used[i] < used[worst])) worst = i, worst_score = s;
  }
  return textFromBytes(used[worst]);
}

pyb::list mostSimilarCosmul(PyKeyedVectors& kv, const pyb::object& positive, const pyb::object& negative, int topn,
                            const pyb::object& restrict_vocab) {
  if (topn < 1) return pyb::list();
  const auto plus = wordList(positive.is_none() ? pyb::list() : positive);
  const auto minus = wordList(negative.is_none() ? pyb::list() : negative);
  if (plus.size() != 2 || minus.size() != 1)
    throw pyb::value_error("most_similar_cosmul answers analogies: positive=[b, c], negative=[a] (words)");
  const VectorIndex& index = kv.index();
  const auto v = vectorsOf(kv, {minus[0], plus[0], plus[1]}, true);
  const float* abc[3] = {v[0].data(), v[1].data(), v[2].data()};
  const int32_t rows[3] = {index.find(minus[0]), index.find(plus[0]), index.find(plus[1])};
  const int64_t restrict = restrict_vocab.is_none() ? 0 : restrict_vocab.cast<int64_t>();
  pyb::list result;
  for (const Scored& s : analogy(index, abc, rows, topn, AnalogyMethod::kMul, restrict))
    result.append(pyb::make_tuple(textFromBytes(index.word(s.row)), static_cast<double>(s.score)));
  return result;
}

}  // namespace

void bindWordSets(KvClass& c) {
  using pyb::arg;
  c.def("n_similarity", &nSimilarity, arg("ws1"), arg("ws2"),
        "The cosine similarity of the means of two lists of words (their raw vectors), as gensim.");
  c.def("doesnt_match", &doesntMatch, arg("words"),
        "The word least similar to the normalised mean of the words' unit vectors, as gensim (words\n"
        "without a vector are ignored).");
  c.def("most_similar_cosmul", &mostSimilarCosmul, arg("positive") = pyb::none(), arg("negative") = pyb::none(),
        arg("topn") = 10, arg("restrict_vocab") = pyb::none(),
        "3CosMul (Levy & Goldberg 2014) for the analogy a : b :: c : ?, called as gensim:\n"
        "positive=[b, c], negative=[a]. A list of (word, score), best first, never a, b or c. Only that\n"
        "form is supported (gensim also takes other lists).");
}

}  // namespace wembed::py
