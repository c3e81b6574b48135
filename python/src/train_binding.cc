// wembed._train_word2vec and _train_glove: the library's trainWord2VecModel
// and trainGloveModel (the pipelines `wembed train` runs) with the options as
// keyword arguments named as the CLI's flags; wembed/__init__.py's
// train_word2vec and train_glove document them.
// Training runs without the GIL. The progress hook, called about once a
// second on the calling thread, takes the GIL to look for signals (Ctrl-C
// raises KeyboardInterrupt there, which stops every training thread; no file
// is left) and to call the user's callable.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <memory>
#include <optional>

#include <pybind11/stl.h>

#include "bindings.h"
#include "wembed/core/error.h"
#include "wembed/core/progress.h"
#include "wembed/glove/pipeline.h"
#include "wembed/word2vec/pipeline.h"

namespace wembed::py {

namespace {

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
  setArg(o, "init_vectors", a.init_vectors);
  setArg(o, "save_model", a.save_model);
  setArg(o, "init", a.init_model);
  setArg(o, "phrases", a.phrases);
  setArg(o, "freeze_old", a.freeze_old);
  // With init: the options the caller named (as the CLI's flags it was
  // given), which must agree with the model or replace its settings.
  if (auto given = optionalArg<std::vector<std::string>>(o, "_given"))
    for (std::string name : *given) {
      std::replace(name.begin(), name.end(), '_', '-');
      a.given.push_back(name);
    }
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

// What the trainer counts: "words" (word2vec) or "records" (GloVe).
pyb::dict progressDict(const Progress& p, int threads, const std::string& unit) {
  pyb::dict d;
  d["fraction"] = p.fraction;
  d[pyb::str(unit + "_per_sec")] = p.rate * threads;
  d[pyb::str(unit + "_per_sec_per_thread")] = p.rate;
  d["lr"] = p.lr;
  d["loss"] = p.loss;
  d["eta_seconds"] = p.eta_seconds;
  if (p.epoch > 0) d["epoch"] = p.epoch;
  return d;
}

// The on_progress hook: signals and the user's callable with the GIL held;
// by default the CLI's progress line, as `format` writes it (none when quiet).
// The callable is held as a handle (copies touch no reference count without
// the GIL); the caller's argument keeps it alive for the run.
std::function<void(const Progress&)> progressHook(const pyb::object& progress, bool quiet, int threads,
                                                  std::string (*format)(const Progress&), const std::string& unit) {
  const bool line = progress.is_none() && !quiet;
  const pyb::handle callable = progress;
  return [callable, line, threads, format, unit](const Progress& p) {
    if (line) showProgressLine(format(p));
    pyb::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
    if (!callable.is_none()) callable(progressDict(p, threads, unit));
  };
}

// Runs train without the GIL, ends the progress line, and raises a Ctrl-C
// that came while the files were written.
template <class Train>
auto withoutGil(Train train) {
  decltype(train()) r;
  {
    pyb::gil_scoped_release nogil;
    try {
      r = train();
    } catch (...) {
      endProgressLine();
      throw;
    }
    endProgressLine();
  }
  if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
  return r;
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

// A matrix moved into a Python object of its own, as a float32 array.
pyb::array ownedArray(Matrix&& m) {
  auto* raw = new Matrix(std::move(m));
  pyb::capsule owner(raw, [](void* p) { delete static_cast<Matrix*>(p); });
  return matrixView(*raw, owner);
}

// (KeyedVectors, output layer as an array, stats, the effective settings)
// for wembed.Word2Vec.
pyb::tuple trainWord2Vec(const pyb::dict& options, const pyb::object& progress, bool quiet) {
  const TrainArgs args = trainArgs(options);
  Word2VecHooks hooks;
  if (progress.is_none() && !quiet) hooks.log = stderrReporter();
  hooks.on_progress = progressHook(progress, quiet, args.effectiveThreads(), formatProgress, "words");
  TrainArgs used = args;  // the effective settings (with init: partly the model's)
  hooks.on_setup = [&used](const Word2VecSetup& s) { used = s.args; };
  Word2VecResult r = withoutGil([&] { return trainWord2VecModel(args, hooks); });
  auto& m = *r.model;
  // The output layer: the subword model's stays inside the KeyedVectors'
  // Subwords; a word model's moves into an object of its own.
  pyb::object kv = pyb::cast(PyKeyedVectors(KeyedVectors(std::move(m.vectors))));
  const bool subwords = kv.cast<PyKeyedVectors&>().hasSubwords();
  pyb::array out = subwords ? matrixView(kv.cast<PyKeyedVectors&>().subwords().output, kv)
                            : ownedArray(std::move(m.context));
  pyb::dict kind;
  kind["model"] = toString(used.model);
  kind["loss"] = toString(used.loss);
  kind["dim"] = used.dim;
  kind["window"] = used.window;
  kind["negative"] = used.negative;
  kind["sample"] = used.sample;
  kind["update"] = toString(used.update);
  kind["minn"] = used.subwords.minn;
  kind["maxn"] = used.subwords.maxn;
  kind["bucket"] = used.subwords.bucket;
  return pyb::make_tuple(kv, out, statsDict(r), kind);
}

// The options, as `wembed train --model glove` turns its flags into
// GloveTrainArgs (window 10 and 15 epochs by default there too).
GloveTrainArgs gloveArgs(const pyb::dict& o) {
  GloveTrainArgs g;
  g.vocab.input = inputFiles(o.contains("input") ? pyb::object(o["input"]) : pyb::none());
  if (auto s = optionalArg<std::string>(o, "format")) g.format = parseFormat(*s);
  setArg(o, "output", g.output);
  setArg(o, "output_context", g.output_context);
  setArg(o, "read_vocab", g.read_vocab);
  setArg(o, "save_vocab", g.save_vocab);
  setArg(o, "cooccur", g.cooccur_file);
  setArg(o, "save_cooccur", g.save_cooccur);
  setArg(o, "tmp_dir", g.tmp_dir);
  setArg(o, "init_vectors", g.init_vectors);
  setArg(o, "glove_vectors", g.vectors);
  setArg(o, "min_count", g.vocab.min_count);
  setArg(o, "max_vocab", g.vocab.max_vocab);
  setArg(o, "dim", g.glove.dim);
  setArg(o, "epochs", g.glove.epochs);
  setArg(o, "x_max", g.glove.x_max);
  setArg(o, "alpha_weight", g.glove.alpha);
  setArg(o, "eta", g.glove.eta);
  setArg(o, "grad_clip", g.glove.grad_clip);
  setArg(o, "threads", g.glove.threads);
  setArg(o, "seed", g.glove.seed);
  setArg(o, "memory", g.counting.memory_gb);
  setArg(o, "window", g.counting.window);
  setArg(o, "max_open", g.counting.max_open);
  setArg(o, "cross_sentences", g.counting.cross_sentences);
  if (auto a = optionalArg<bool>(o, "asymmetric")) g.counting.symmetric = !*a;
  g.counting.threads = g.glove.threads;
  g.counting.seed = g.glove.seed;
  g.glove.memory_gb = g.counting.memory_gb;
  g.counting.tmp_dir = g.tmp_dir;
  return g;
}

pyb::dict gloveStatsDict(const GloveResult& r) {
  pyb::dict d;
  d["vocab_size"] = r.vocab_size;
  d["records"] = r.stats.records;
  d["seconds"] = r.stats.seconds;
  d["records_per_sec"] = r.stats.records * static_cast<double>(r.epochs) / std::max(1e-9, r.stats.seconds);
  pyb::list costs;
  for (const GloveEpoch& e : r.stats.epochs) costs.append(e.cost);
  d["epoch_costs"] = costs;
  d["output"] = r.output.empty() ? pyb::object(pyb::none()) : pyb::object(pyb::str(r.output));
  return d;
}

// (KeyedVectors, context vectors W~ as an array, stats) for wembed.Glove.
pyb::tuple trainGlove(const pyb::dict& options, const pyb::object& progress, bool quiet) {
  const GloveTrainArgs args = gloveArgs(options);
  GloveHooks hooks;
  if (progress.is_none() && !quiet) {
    hooks.log = stderrReporter();
    hooks.on_epoch = [epochs = args.glove.epochs](const GloveEpoch& e) {
      endProgressLine();
      std::fprintf(stderr, "%s\n", formatGloveEpoch(e, epochs).c_str());
    };
  }
  hooks.on_progress = progressHook(progress, quiet, args.glove.effectiveThreads(), formatGloveProgress, "records");
  GloveResult r = withoutGil([&] { return trainGloveModel(args, hooks); });
  GloveModel& m = *r.model;
  pyb::object kv = pyb::cast(PyKeyedVectors(KeyedVectors(std::move(m.vectors))));
  return pyb::make_tuple(kv, ownedArray(std::move(m.context)), gloveStatsDict(r));
}

}  // namespace

void bindTraining(pyb::module_& m) {
  m.def("_train_word2vec", &trainWord2Vec, pyb::arg("options"), pyb::arg("progress") = pyb::none(),
        pyb::arg("quiet") = false,
        "The engine behind wembed.train_word2vec: options as a dict of the CLI's flag names with underscores.");
  m.def("_train_glove", &trainGlove, pyb::arg("options"), pyb::arg("progress") = pyb::none(),
        pyb::arg("quiet") = false,
        "The engine behind wembed.train_glove: options as a dict of the CLI's flag names with underscores.");
}

}  // namespace wembed::py
