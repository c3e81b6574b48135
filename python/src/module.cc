// The compiled part of the wembed package (wembed._wembed); wembed/__init__.py
// re-exports it. One registration function per concept (bindings.h).
#include "bindings.h"
#include "wembed/version.h"

PYBIND11_MODULE(_wembed, m) {
  namespace py = wembed::py;
  m.doc() = "wembed's engine for Python: word vectors with gensim's KeyedVectors method names.";
  m.attr("__version__") = WEMBED_VERSION;
  py::bindErrors(m);
  auto kv = py::bindKeyedVectors(m);
  py::bindQueries(kv);
  py::bindEvaluation(kv);
  py::bindWordSets(kv);
  py::bindTraining(m);
  py::bindSentiment(m);
}
