// wembed._train_word2vec: the library's trainWord2VecModel (the pipeline
// `wembed train` runs) with the options as keyword arguments named as the
// CLI's flags; wembed/__init__.py's train_word2vec documents them.
// Training runs without the GIL. The progress hook, called about once a
// second on the calling thread, takes the GIL to look for signals (Ctrl-C
// raises KeyboardInterrupt there, which stops every training thread; no file
// is left) and to call the user's callable.
#include <cstring>
#include <memory>
#include <optional>

#include "bindings.h"
#include "wembed/core/error.h"
#include "wembed/core/progress.h"
#include "wembed/word2vec/pipeline.h"

namespace wembed::py {

namespace {

template <class T>
std::optional<T> optionalArg(const pyb::dict& o, const char* key) {
  if (!o.contains(key) || o[key].is_none()) return std::nullopt;
  return o[key].cast<T>();
}

template <class T>
void setArg(const pyb::dict& o, const char* key, T& field) {
  if (auto v = optionalArg<T>(o, key)) field = *v;
}

std::vector<std::string> inputFiles(const pyb::handle& input) {
  if (input.is_none()) return {};
  if (PyUnicode_Check(input.ptr()) || pyb::hasattr(input, "__fspath__"))
    return {pyb::str(pyb::module_::import("os").attr("fspath")(input)).cast<std::string>()};
  std::vector<std::string> files;
  for (auto f : input) files.push_back(pyb::str(pyb::module_::import("os").attr("fspath")(f)).cast<std::string>());
  return files;
}

// The options, as `wembed train` turns its flags into TrainArgs.
TrainArgs trainArgs(const pyb::dict& o) {
  TrainArgs a;
  a.vocab.input = inputFiles(o.contains("input") ? pyb::object(o["input"]) : pyb::none());
  if (auto s = optionalArg<std::string>(o, "model")) a.model = parseModel(*s);
  if (a.model == ModelType::kGlove) throw Error("train_word2vec trains skipgram or cbow: use train_glove for GloVe");
  if (auto s = optionalArg<std::string>(o, "loss")) a.loss = parseLoss(*s);
  if (auto s = optionalArg<std::string>(o, "update")) a.update = parseUpdate(*s);
  if (auto s = optionalArg<std::string>(o, "format")) a.format = parseFormat(*s);
  if (auto s = optionalArg<std::string>(o, "lr_schedule")) {
    if (*s != "auto" && *s != "global" && *s != "per-thread")
      throw Error("lr_schedule must be auto, global or per-thread, not '" + *s + "'");
    a.lr_schedule = *s == "auto" ? LrSchedule::kAuto : *s == "global" ? LrSchedule::kGlobal : LrSchedule::kPerThread;
  }
  setArg(o, "output", a.output);
  setArg(o, "output_context", a.output_context);
  setArg(o, "read_vocab", a.read_vocab);
  setArg(o, "save_vocab", a.save_vocab);
  setArg(o, "tmp_dir", a.tmp_dir);
  setArg(o, "min_count", a.vocab.min_count);
  setArg(o, "max_vocab", a.vocab.max_vocab);
  setArg(o, "dim", a.dim);
  setArg(o, "window", a.window);
  setArg(o, "negative", a.negative);
  setArg(o, "epochs", a.epochs);
  setArg(o, "sample", a.sample);
  setArg(o, "threads", a.threads);
  setArg(o, "seed", a.seed);
  setArg(o, "max_sentence", a.max_sentence);
  setArg(o, "minn", a.subwords.minn);
  setArg(o, "maxn", a.subwords.maxn);
  setArg(o, "bucket", a.subwords.bucket);
  a.alpha = optionalArg<double>(o, "alpha");
  a.ns_exponent = optionalArg<double>(o, "ns_exponent");
  if (auto m = optionalArg<double>(o, "min_alpha")) a.setMinAlpha(*m);
  return a;
}

pyb::dict progressDict(const Progress& p, int threads) {
  pyb::dict d;
  d["fraction"] = p.fraction;
  d["words_per_sec"] = p.rate * threads;
  d["words_per_sec_per_thread"] = p.rate;
  d["lr"] = p.lr;
  d["loss"] = p.loss;
  d["eta_seconds"] = p.eta_seconds;
  return d;
}

// The hooks: signals and the user's callable with the GIL held; by default
// the CLI's progress line (none when quiet).
Word2VecHooks pythonHooks(const pyb::object& progress, bool quiet, int threads) {
  Word2VecHooks h;
  const bool line = progress.is_none() && !quiet;
  if (line) h.log = stderrReporter();
  h.on_progress = [progress, line, threads](const Progress& p) {
    if (line) showProgressLine(formatProgress(p));
    pyb::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
    if (!progress.is_none()) progress(progressDict(p, threads));
  };
  return h;
}

pyb::dict statsDict(const Word2VecResult& r) {
  pyb::dict d;
  const Word2VecStats& s = r.stats;
  d["vocab_size"] = r.vocab_size;
  d["words_per_epoch"] = s.words_in_epoch.empty() ? 0 : s.words_in_epoch.back();
  d["words_read"] = s.words_read;
  d["seconds"] = s.seconds;
  d["words_per_sec"] = static_cast<double>(s.words_read) / std::max(1e-9, s.seconds);
  d["final_loss"] = s.final_loss;
  d["output"] = r.output.empty() ? pyb::object(pyb::none()) : pyb::object(pyb::str(r.output));
  return d;
}

// A (rows, cols) float32 view of m's padded rows, kept alive by owner.
pyb::array matrixView(const Matrix& m, const pyb::object& owner) {
  if (m.rows() == 0) return pyb::array_t<float>(std::vector<pyb::ssize_t>{0, m.cols()});
  return pyb::array_t<float>({static_cast<pyb::ssize_t>(m.rows()), static_cast<pyb::ssize_t>(m.cols())},
                             {static_cast<pyb::ssize_t>(sizeof(float)) * m.stride(),
                              static_cast<pyb::ssize_t>(sizeof(float))},
                             m.row(0), owner);
}

// (KeyedVectors, output layer as an array, stats) for wembed.Word2Vec.
pyb::tuple trainWord2Vec(const pyb::dict& options, const pyb::object& progress, bool quiet) {
  const TrainArgs args = trainArgs(options);
  const int threads = args.effectiveThreads();
  const Word2VecHooks hooks = pythonHooks(progress, quiet, threads);
  Word2VecResult r;
  {
    pyb::gil_scoped_release nogil;
    try {
      r = trainWord2VecModel(args, hooks);
    } catch (...) {
      endProgressLine();
      throw;
    }
    endProgressLine();
  }
  if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();  // Ctrl-C while the files were written
  auto& m = *r.model;
  // The output layer: the subword model's stays inside the KeyedVectors'
  // Subwords; a word model's moves into an object of its own.
  auto context = std::make_unique<Matrix>(std::move(m.context));
  pyb::object kv = pyb::cast(PyKeyedVectors(KeyedVectors(std::move(m.vectors))));
  pyb::array out;
  if (kv.cast<PyKeyedVectors&>().hasSubwords()) {
    out = matrixView(kv.cast<PyKeyedVectors&>().subwords().output, kv);
  } else {
    Matrix* raw = context.release();
    pyb::capsule owner(raw, [](void* p) { delete static_cast<Matrix*>(p); });
    out = matrixView(*raw, owner);
  }
  return pyb::make_tuple(kv, out, statsDict(r));
}

}  // namespace

void bindTraining(pyb::module_& m) {
  m.def("_train_word2vec", &trainWord2Vec, pyb::arg("options"), pyb::arg("progress") = pyb::none(),
        pyb::arg("quiet") = false,
        "The engine behind wembed.train_word2vec: options as a dict of the CLI's flag names with underscores.");
}

}  // namespace wembed::py
