// wembed.KeyedVectors: loading, saving, the vocabulary and the matrix as
// NumPy sees it. Names and behaviour as gensim's KeyedVectors.
#include <cmath>
#include <cstring>

#include "bindings.h"
#include "wembed/core/error.h"
#include "wembed/core/matrix.h"
#include "wembed/vectors/format.h"

namespace wembed::py {

std::string bytesOfText(const pyb::handle& s) {
  if (!PyUnicode_Check(s.ptr())) throw pyb::type_error("a word must be a str");
  pyb::object b = pyb::reinterpret_steal<pyb::object>(PyUnicode_AsEncodedString(s.ptr(), "utf-8", "surrogateescape"));
  if (!b) throw pyb::error_already_set();
  return std::string(PyBytes_AS_STRING(b.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(b.ptr())));
}

pyb::str textFromBytes(const std::string& s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape");
  if (!o) throw pyb::error_already_set();
  return pyb::reinterpret_steal<pyb::str>(o);
}

int32_t rowOf(const PyKeyedVectors& kv, const std::string& word) {
  const int32_t r = kv.find(word);
  if (r < 0) throw pyb::key_error("Key " + quote(word) + " not present");
  return r;
}

pyb::array_t<float> floatArray(const float* p, int n) {
  pyb::array_t<float> a(n);
  std::memcpy(a.mutable_data(), p, sizeof(float) * static_cast<size_t>(n));
  return a;
}

namespace {

VectorFormat formatArg(const pyb::object& format) {
  return format.is_none() ? VectorFormat::kAuto : parseFormat(format.cast<std::string>());
}

// gensim's kv[word] and get_vector(word): the row itself as a view (writing
// to it writes the matrix); a word outside the vocabulary composed from its
// n-grams (a new array) when the model has them; KeyError otherwise.
pyb::array vectorOf(pyb::object self, const pyb::handle& key, bool norm) {
  auto& kv = self.cast<PyKeyedVectors&>();
  const std::string w = bytesOfText(key);
  const int d = kv.dim();
  const int32_t r = kv.find(w);
  if (r >= 0 && !norm) return pyb::array_t<float>({d}, {sizeof(float)}, kv.matrix().row(r), self);
  AlignedBuffer buf(static_cast<size_t>(kv.matrix().stride()));
  if (!kv.rawVector(w, buf.data())) rowOf(kv, w);  // throws KeyError
  if (norm) {  // as gensim's vectors / norms: the length in double (huge values must not overflow)
    double ss = 0;
    for (int j = 0; j < d; ++j) ss += static_cast<double>(buf.data()[j]) * buf.data()[j];
    const double n = std::sqrt(ss);
    if (n > 0)
      for (int j = 0; j < d; ++j) buf.data()[j] = static_cast<float>(buf.data()[j] / n);
  }
  return floatArray(buf.data(), d);
}

// KeyedVectors(keys, vectors): a copy of the rows into the engine's padded matrix.
PyKeyedVectors fromArrays(const pyb::iterable& keys, const pyb::array_t<float, pyb::array::c_style | pyb::array::forcecast>& m) {
  Vectors v;
  for (auto k : keys) v.words.push_back(bytesOfText(k));
  if (m.ndim() != 2 || m.shape(0) != static_cast<pyb::ssize_t>(v.words.size()))
    throw pyb::value_error("vectors must be a (len(keys), D) matrix");
  if (v.words.empty() || m.shape(1) < 1) throw pyb::value_error("KeyedVectors needs at least one word and one dimension");
  v.matrix = Matrix(m.shape(0), static_cast<int>(m.shape(1)));
  for (pyb::ssize_t i = 0; i < m.shape(0); ++i)
    std::memcpy(v.matrix.row(i), m.data(i), sizeof(float) * static_cast<size_t>(m.shape(1)));
  return PyKeyedVectors(KeyedVectors(std::move(v)));
}

}  // namespace

KvClass bindKeyedVectors(pyb::module_& m) {
  KvClass c(m, "KeyedVectors",
            "Word vectors: a vocabulary and a float32 matrix, with gensim's KeyedVectors names.\n\n"
            "Load with KeyedVectors.load(path); query with most_similar, similarity, ...");
  c.def(pyb::init(&fromArrays), pyb::arg("keys"), pyb::arg("vectors"),
        "KeyedVectors(keys, vectors): the words (str) and a (V, D) matrix of their vectors (copied, as\n"
        "float32); a word repeated later is dropped with its row, as load does.");
  c.def_static(
       "load",
       [](const std::string& path, pyb::object format, pyb::object limit) {
         const VectorFormat f = formatArg(format);
         const int64_t lim = limit.is_none() ? 0 : limit.cast<int64_t>();
         checkRowLimit(lim);
         // Read without the GIL; the Python-side object is made with it held.
         KeyedVectors kv = [&] {
           pyb::gil_scoped_release nogil;
           return KeyedVectors::load(path, f, lim);
         }();
         return PyKeyedVectors(std::move(kv));
       },
       pyb::arg("path"), pyb::arg("format") = pyb::none(), pyb::arg("limit") = pyb::none(),
       "Reads a vector file in any format wembed reads: w2v-bin, w2v-txt (.vec), glove, native (.wev),\n"
       "npy (+ STEM.vocab.txt), fasttext (.bin, with its subwords); format=None detects it from the\n"
       "content. limit=N reads only the first N rows (gensim's load_word2vec_format(limit=N)). A word\n"
       "repeated later in the file is dropped with its row, as gensim does. Raises FileNotFoundError\n"
       "for a missing file and wembed.Error for a malformed one.")
      .def(
          "save",
          [](const PyKeyedVectors& kv, std::string path, pyb::object format) {
            const VectorFormat f = outputFormat(path, formatArg(format));
            pyb::gil_scoped_release nogil;
            kv.save(path, f);
          },
          pyb::arg("path"), pyb::arg("format") = pyb::none(),
          "Writes the vectors (atomically) in any format wembed writes: w2v-bin, w2v-txt, glove, native,\n"
          "tsv (a directory), npy, fasttext (needs a model with subwords). format=None: from the\n"
          "extension (.bin, .txt/.vec, .wev, .npy; a path ending in '/' or a directory: tsv).")
      .def_property_readonly(
          "vectors",
          [](pyb::object self) {
            auto& kv = self.cast<PyKeyedVectors&>();
            Matrix& m = kv.matrix();
            // A strided view of the padded rows: no copy, and self stays alive while it exists.
            return pyb::array_t<float>({static_cast<pyb::ssize_t>(m.rows()), static_cast<pyb::ssize_t>(m.cols())},
                                       {static_cast<pyb::ssize_t>(sizeof(float)) * m.stride(),
                                        static_cast<pyb::ssize_t>(sizeof(float))},
                                       m.row(0), self);
          },
          "The (V, D) float32 matrix, sharing memory with the engine (rows are padded, so it is a strided\n"
          "view): writing to it changes what the queries see.")
      .def_property_readonly(
          "index_to_key",
          [](PyKeyedVectors& kv) {
            if (!kv.index_to_key) {
              pyb::list l(kv.size());
              for (int32_t i = 0; i < kv.size(); ++i) l[static_cast<size_t>(i)] = textFromBytes(kv.words().word(i));
              kv.index_to_key = l;
            }
            return kv.index_to_key;
          },
          "The words, row by row (most frequent first in a trained file).")
      .def_property_readonly(
          "key_to_index",
          [](PyKeyedVectors& kv) {
            if (!kv.key_to_index) {
              pyb::dict d;
              for (int32_t i = 0; i < kv.size(); ++i) d[textFromBytes(kv.words().word(i))] = i;
              kv.key_to_index = d;
            }
            return kv.key_to_index;
          },
          "A dict from each word to its row.")
      .def_property_readonly("vector_size", &PyKeyedVectors::dim, "The dimensions D.")
      .def_property_readonly("has_subwords", &PyKeyedVectors::hasSubwords,
                             "Whether the model has character n-grams (vectors for words outside the vocabulary).")
      .def("__len__", &PyKeyedVectors::size, "The number of words V.")
      .def(
          "__contains__",
          [](const PyKeyedVectors& kv, const pyb::handle& key) {
            if (!PyUnicode_Check(key.ptr())) return false;
            const std::string w = bytesOfText(key);
            if (kv.find(w) >= 0) return true;
            AlignedBuffer buf(static_cast<size_t>(kv.matrix().stride()));
            return kv.hasSubwords() && kv.rawVector(w, buf.data());
          },
          "Whether the word has a vector: in the vocabulary, or composed from n-grams when the model has them.")
      .def(
          "has_index_for", [](const PyKeyedVectors& kv, const pyb::handle& key) {
            return PyUnicode_Check(key.ptr()) && kv.find(bytesOfText(key)) >= 0;
          },
          pyb::arg("key"), "Whether the word has a row (is in the vocabulary).")
      .def(
          "get_index", [](const PyKeyedVectors& kv, const pyb::handle& key) { return rowOf(kv, bytesOfText(key)); },
          pyb::arg("key"), "The row of the word; KeyError if it is not in the vocabulary.")
      .def(
          "get_vector", [](pyb::object self, const pyb::handle& key, bool norm) { return vectorOf(self, key, norm); },
          pyb::arg("key"), pyb::arg("norm") = false,
          "The word's vector (norm=True: at unit length, a copy). In the vocabulary, without norm, a view of\n"
          "its row; outside it, composed from its n-grams when the model has them; KeyError otherwise.")
      .def(
          "__getitem__",
          [](pyb::object self, const pyb::handle& key) -> pyb::object {
            if (PyUnicode_Check(key.ptr())) return vectorOf(self, key, false);
            // gensim: a list of words gives their vectors stacked, one row each.
            auto& kv = self.cast<PyKeyedVectors&>();
            pyb::list words(pyb::reinterpret_borrow<pyb::object>(key));
            pyb::array_t<float> out({static_cast<pyb::ssize_t>(words.size()), static_cast<pyb::ssize_t>(kv.dim())});
            for (size_t i = 0; i < words.size(); ++i) {
              pyb::array v = vectorOf(self, words[i], false);
              std::memcpy(out.mutable_data(static_cast<pyb::ssize_t>(i)), v.data(), sizeof(float) * kv.dim());
            }
            return out;
          },
          pyb::arg("key"), "kv[word]: get_vector(word); kv[[w1, w2, ...]]: their vectors as rows of a new array.")
      .def(
          "fill_norms", [](PyKeyedVectors& kv, bool force) { kv.refresh(force); }, pyb::arg("force") = false,
          "Builds the unit rows the queries use (they are rebuilt by themselves whenever `vectors` changed;\n"
          "this only moves that work to now).")
      .def("__repr__", [](const PyKeyedVectors& kv) {
        return "<wembed.KeyedVectors: " + std::to_string(kv.size()) + " words, " + std::to_string(kv.dim()) +
               " dimensions" + (kv.hasSubwords() ? ", subwords" : "") + ">";
      });
  return c;
}

}  // namespace wembed::py
