// most_similar and its relatives, with gensim's semantics: the query is the
// normalised mean of the unit vectors of the positive words and the negated
// ones of the negative words (gensim's get_mean_vector(pre_normalize=True,
// post_normalize=True)), the answers the rows with the highest cosine, never
// a query word. The library's VectorIndex does the search (the CLI's code).
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "bindings.h"
#include "wembed/core/error.h"
#include "wembed/core/kernels.h"
#include "wembed/core/matrix.h"

namespace wembed::py {

namespace {

// gensim's _ensure_list: None -> [], a single word or vector -> [it].
pyb::list asList(const pyb::object& o) {
  if (o.is_none()) return pyb::list();
  if (PyUnicode_Check(o.ptr()) || pyb::isinstance<pyb::array>(o)) {
    pyb::list l;
    l.append(o);
    return l;
  }
  return pyb::list(o);
}

// The query's terms: each an aligned vector of stride() floats and its weight.
struct Terms {
  std::vector<AlignedBuffer> vecs;
  std::vector<float> weights;
  std::vector<int32_t> rows;  // rows of the query words, never answers

  // key: a word (its unit vector, composed from n-grams if the model has
  // them), a vector (as given, as gensim), or (key, weight).
  void add(const VectorIndex& index, const pyb::handle& item, float weight) {
    pyb::handle key = item;
    if (pyb::isinstance<pyb::tuple>(item)) {
      auto t = pyb::reinterpret_borrow<pyb::tuple>(item);
      if (t.size() != 2) throw pyb::value_error("a weighted key is a (key, weight) pair");
      key = t[0];
      weight = t[1].cast<float>();
    }
    AlignedBuffer v(static_cast<size_t>(index.stride()));
    zeroVec(v.data(), index.stride());
    if (PyUnicode_Check(key.ptr())) {
      const std::string w = bytesOfText(key);
      if (!index.unitVector(w, v.data())) throw pyb::key_error("Key " + quote(w) + " not present in vocabulary");
      if (index.find(w) >= 0) rows.push_back(index.find(w));
    } else if (PyNumber_Check(key.ptr()) && !pyb::isinstance<pyb::array>(key)) {
      throw pyb::type_error("a query item is a word, a vector or (key, weight)");
    } else {
      auto a = pyb::array_t<float, pyb::array::c_style | pyb::array::forcecast>::ensure(key);
      if (!a || a.ndim() != 1 || a.shape(0) != index.dim())
        throw pyb::value_error("a query vector must have shape (" + std::to_string(index.dim()) + ",)");
      std::memcpy(v.data(), a.data(), sizeof(float) * static_cast<size_t>(index.dim()));
    }
    vecs.push_back(std::move(v));
    weights.push_back(weight);
  }

  // The unit query (stride() floats) by the library's meanQuery: a weight
  // scales its vector first (only the direction of the mean matters, it is
  // normalised), its sign chooses plus or minus.
  void query(const VectorIndex& index, float* q) {
    std::vector<const float*> plus, minus;
    for (size_t i = 0; i < vecs.size(); ++i) {
      if (std::fabs(weights[i]) != 1.f) scaleVec(std::fabs(weights[i]), vecs[i].data(), index.stride());
      (weights[i] < 0 ? minus : plus).push_back(vecs[i].data());
    }
    index.meanQuery(plus.data(), static_cast<int>(plus.size()), minus.data(), static_cast<int>(minus.size()), q);
  }
};

pyb::object mostSimilar(PyKeyedVectors& kv, const pyb::object& positive, const pyb::object& negative,
                        const pyb::object& topn, const pyb::object& restrict_vocab) {
  if (PyLong_Check(topn.ptr()) && topn.cast<int64_t>() < 1) return pyb::list();
  const VectorIndex& index = kv.index();
  Terms t;
  for (auto item : asList(positive)) t.add(index, item, 1.f);
  for (auto item : asList(negative)) t.add(index, item, -1.f);
  if (t.vecs.empty()) throw pyb::value_error("cannot compute similarity with no input");
  AlignedBuffer q(static_cast<size_t>(index.stride()));
  t.query(index, q.data());
  const int64_t restrict = restrict_vocab.is_none() ? 0 : restrict_vocab.cast<int64_t>();
  const int32_t rows = index.restricted(restrict);
  if (topn.is_none() || !pyb::bool_(topn)) {  // gensim: every cosine of the considered rows (NaN for a zero row)
    pyb::array_t<float> all(rows);
    float* out = all.mutable_data();
    for (int32_t r = 0; r < rows; ++r)
      out[r] = index.isZero(r) ? std::numeric_limits<float>::quiet_NaN() : dot(q.data(), index.unitRow(r), index.stride());
    return all;
  }
  const int k = static_cast<int>(std::min<int64_t>(topn.cast<int64_t>(), rows));
  pyb::list result;
  for (const Scored& s : index.nearest(q.data(), k, t.rows, restrict))
    result.append(pyb::make_tuple(textFromBytes(index.word(s.row)), static_cast<double>(s.score)));
  return result;
}

// Many most_similar(positive=query) at once: one query matrix, the library's
// blocked search over it (VectorIndex::nearestBatch, parallel over queries).
pyb::list mostSimilarBatch(PyKeyedVectors& kv, const pyb::iterable& queries, int topn, const pyb::object& restrict_vocab) {
  const VectorIndex& index = kv.index();
  std::vector<Terms> terms;
  for (auto q : queries) {
    terms.emplace_back();
    for (auto item : asList(pyb::reinterpret_borrow<pyb::object>(q))) terms.back().add(index, item, 1.f);
    if (terms.back().vecs.empty()) throw pyb::value_error("cannot compute similarity with no input");
  }
  pyb::list result;
  if (terms.empty() || topn < 1) {
    for (size_t i = 0; i < terms.size(); ++i) result.append(pyb::list());
    return result;
  }
  Matrix m(static_cast<int64_t>(terms.size()), index.dim());
  std::vector<std::vector<int32_t>> exclude;
  for (size_t i = 0; i < terms.size(); ++i) {
    terms[i].query(index, m.row(static_cast<int64_t>(i)));
    exclude.push_back(terms[i].rows);
  }
  const int64_t restrict = restrict_vocab.is_none() ? 0 : restrict_vocab.cast<int64_t>();
  const int k = static_cast<int>(std::min<int64_t>(topn, index.restricted(restrict)));
  // The GIL stays held: another thread's query could rebuild the index under this one.
  const auto hits = index.nearestBatch(m, k, exclude, restrict);
  for (const auto& h : hits) {
    pyb::list one;
    for (const Scored& s : h) one.append(pyb::make_tuple(textFromBytes(index.word(s.row)), static_cast<double>(s.score)));
    result.append(one);
  }
  return result;
}

// gensim's similarity: the cosine of the two vectors (composed from n-grams
// for words outside the vocabulary, when the model has them).
float similarity(const PyKeyedVectors& kv, const pyb::handle& w1, const pyb::handle& w2) {
  const int s = kv.matrix().stride(), d = kv.dim();
  AlignedBuffer a(static_cast<size_t>(s)), b(static_cast<size_t>(s));
  for (auto [w, buf] : {std::pair{&w1, &a}, std::pair{&w2, &b}}) {
    const std::string word = bytesOfText(*w);
    zeroVec(buf->data(), s);
    if (!kv.rawVector(word, buf->data())) rowOf(kv, word);  // throws KeyError
    double ss = 0;
    for (int j = 0; j < d; ++j) ss += static_cast<double>(buf->data()[j]) * buf->data()[j];
    if (ss > 0) scaleVec(static_cast<float>(1.0 / std::sqrt(ss)), buf->data(), s);
  }
  return dot(a.data(), b.data(), s);
}

}  // namespace

void bindQueries(KvClass& c) {
  using pyb::arg;
  c.def("most_similar", &mostSimilar, arg("positive") = pyb::none(), arg("negative") = pyb::none(),
        arg("topn") = 10, arg("restrict_vocab") = pyb::none(),
        "The topn words nearest to the mean of the positive words (or vectors) minus the negative ones, as\n"
        "gensim: a list of (word, cosine), best first, never a query word. positive may be one word;\n"
        "an item may be (key, weight). restrict_vocab=N searches only the first N rows. topn=None returns\n"
        "the cosines of every row as an array. KeyError for an unknown word (words outside the\n"
        "vocabulary are composed from n-grams when the model has them).");
  c.def("most_similar_batch", &mostSimilarBatch, arg("queries"), arg("topn") = 10,
        arg("restrict_vocab") = pyb::none(),
        "most_similar(positive=q, topn=topn, restrict_vocab=...) for every q of queries (each a word, a\n"
        "vector or a list of them) in one blocked, parallel search: a list of result lists.");
  c.def(
      "similar_by_vector",
      [](PyKeyedVectors& kv, pyb::object vector, pyb::object topn, pyb::object restrict_vocab) {
        return mostSimilar(kv, pyb::make_tuple(vector), pyb::none(), topn, restrict_vocab);
      },
      arg("vector"), arg("topn") = 10, arg("restrict_vocab") = pyb::none(),
      "The topn words nearest to a vector (most_similar(positive=[vector])).");
  auto by_key = [](PyKeyedVectors& kv, pyb::object key, pyb::object topn, pyb::object restrict_vocab) {
    return mostSimilar(kv, pyb::make_tuple(key), pyb::none(), topn, restrict_vocab);
  };
  c.def("similar_by_key", by_key, arg("key"), arg("topn") = 10, arg("restrict_vocab") = pyb::none(),
        "The topn words nearest to a word (most_similar(positive=[key])).");
  c.def("similar_by_word", by_key, arg("word"), arg("topn") = 10, arg("restrict_vocab") = pyb::none(),
        "The topn words nearest to a word (most_similar(positive=[word])).");
  c.def("similarity", &similarity, arg("w1"), arg("w2"),
        "The cosine similarity of two words; KeyError for an unknown word.");
}

}  // namespace wembed::py
