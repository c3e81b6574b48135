#pragma once
// What the binding files share: the Python-side KeyedVectors (the C++ state
// plus the Python lists gensim users index in loops, built once), text
// conversions that never fail on a word's bytes, and one registration
// function per concept, called from module.cc.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>
#include <string>

#include "keyed_vectors.h"

namespace wembed::py {

namespace pyb = pybind11;

struct PyKeyedVectors : KeyedVectors {
  explicit PyKeyedVectors(KeyedVectors kv) : KeyedVectors(std::move(kv)) {}
  pyb::object index_to_key;  // list, built on first use
  pyb::object key_to_index;  // dict, built on first use
};

using KvClass = pyb::class_<PyKeyedVectors>;

// A Python str as the bytes of a word (UTF-8; lone surrogates from
// textFromBytes go back to the bytes they stand for).
std::string bytesOfText(const pyb::handle& s);
// Bytes as a Python str: UTF-8, bytes that are not UTF-8 as lone surrogates
// (Python's surrogateescape), so every word of a file has a key.
pyb::str textFromBytes(const std::string& s);
// The row of a key, or KeyError naming it.
int32_t rowOf(const PyKeyedVectors& kv, const std::string& word);
// A fresh float32 array of n floats, copied from p.
pyb::array_t<float> floatArray(const float* p, int n);

// A trainer's option from the options dict (keys: the CLI's flag names with
// underscores): its value, or none when absent or None.
template <class T>
std::optional<T> optionalArg(const pyb::dict& o, const char* key) {
  if (!o.contains(key) || o[key].is_none()) return std::nullopt;
  return o[key].cast<T>();
}

// Sets field from the options dict when the key is there (and not None).
template <class T>
void setArg(const pyb::dict& o, const char* key, T& field) {
  if (auto v = optionalArg<T>(o, key)) field = *v;
}

void bindErrors(pyb::module_& m);
KvClass bindKeyedVectors(pyb::module_& m);
void bindQueries(KvClass& c);
void bindEvaluation(KvClass& c);
void bindWordSets(KvClass& c);
void bindTraining(pyb::module_& m);
void bindSentiment(pyb::module_& m);

}  // namespace wembed::py
