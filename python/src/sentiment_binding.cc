// wembed.SentimentClassifier and wembed._train_sentiment: the library's
// sentiment pipeline (`wembed sentiment train|eval|predict`) for Python.
// Training runs trainSentiment without the GIL (its progress hook takes the
// GIL to look for Ctrl-C and to call the user's callable); predictions run
// predictSentiment on the model held in memory. wembed/__init__.py's
// train_sentiment documents the options.
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.h"
#include "wembed/core/error.h"
#include "wembed/core/progress.h"
#include "wembed/sentiment/pipeline.h"

namespace wembed::py {

namespace {

struct PySentiment {
  std::shared_ptr<SentimentModel> model;
};

// The options, as `wembed sentiment train` turns its flags into SentimentRunArgs.
SentimentRunArgs sentimentArgs(const pyb::dict& o) {
  SentimentRunArgs a;
  setArg(o, "vectors", a.vectors);
  setArg(o, "train", a.train);
  setArg(o, "dev", a.dev);
  setArg(o, "model_file", a.model_file);
  setArg(o, "text_column", a.columns.text);
  setArg(o, "label_column", a.columns.label);
  setArg(o, "max_len", a.max_len);
  setArg(o, "max_vocab", a.max_vocab);
  if (auto c = optionalArg<std::string>(o, "cell")) a.net.cell = parseCell(*c);
  if (auto p = optionalArg<std::string>(o, "pooling")) a.net.pooling = parsePooling(*p);
  setArg(o, "hidden", a.net.hidden);
  setArg(o, "layers", a.net.layers);
  setArg(o, "bidirectional", a.net.bidirectional);
  SentimentTrainArgs& t = a.training;
  setArg(o, "dropout", t.dropout);
  setArg(o, "fine_tune", t.fine_tune);
  setArg(o, "epochs", t.epochs);
  setArg(o, "patience", t.patience);
  setArg(o, "batch", t.batch);
  setArg(o, "bucket", t.bucket);
  setArg(o, "lr", t.lr);
  setArg(o, "clip", t.clip);
  setArg(o, "seed", t.seed);
  setArg(o, "threads", t.threads);
  if (auto p = optionalArg<std::string>(o, "parallel")) {
    if (*p != "batch" && *p != "gemm") throw Error("--parallel must be batch or gemm");
    t.split_batch = *p == "batch";
  }
  return a;
}

pyb::dict metricsDict(const BinaryMetrics& m) {
  pyb::dict d;
  d["accuracy"] = m.accuracy();
  d["loss"] = m.meanLoss();
  d["total"] = m.total();
  for (int cls : {0, 1}) {
    const std::string s = std::to_string(cls);
    d[pyb::str("precision_" + s)] = m.precision(cls);
    d[pyb::str("recall_" + s)] = m.recall(cls);
    d[pyb::str("f1_" + s)] = m.f1(cls);
  }
  d["confusion"] = pyb::make_tuple(m.tp, m.fp, m.tn, m.fn);
  return d;
}

pyb::dict epochDict(const EpochStats& e) {
  pyb::dict d;
  d["epoch"] = e.epoch;
  d["train_loss"] = e.train_loss;
  d["seconds"] = e.seconds;
  d["seqs_per_sec"] = e.seqs_per_sec;
  d["dev_accuracy"] = e.dev.accuracy();
  d["best"] = e.best;
  return d;
}

// The hooks: signals and the user's callable (a dict per report, and one per
// epoch with "dev_accuracy") with the GIL held; by default the CLI's lines.
SentimentHooks sentimentHooks(const pyb::object& progress, bool quiet, int epochs) {
  SentimentHooks h;
  const bool lines = progress.is_none() && !quiet;
  const pyb::handle callable = progress;  // the caller's argument keeps it alive
  h.on_progress = [callable, lines, epochs](const Progress& p) {
    if (lines) showProgressLine(formatSentimentProgress(p, epochs));
    pyb::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
    if (callable.is_none()) return;
    pyb::dict d;
    d["fraction"] = p.fraction;
    d["epoch"] = p.epoch;
    d["seqs_per_sec"] = p.rate;
    d["lr"] = p.lr;
    d["loss"] = p.loss;
    d["eta_seconds"] = p.eta_seconds;
    callable(d);
  };
  auto train_s = std::make_shared<double>(0);
  h.on_epoch = [callable, lines, epochs, train_s](const EpochStats& e) {
    *train_s += e.seconds;
    if (lines) {
      endProgressLine();
      std::fprintf(stderr, "%s\n", formatSentimentEpoch(e, epochs, *train_s / e.epoch * (epochs - e.epoch)).c_str());
    }
    pyb::gil_scoped_acquire gil;
    if (!callable.is_none()) callable(epochDict(e));
  };
  return h;
}

// (SentimentClassifier loaded from the model file written, result dict).
pyb::tuple trainSentimentBinding(const pyb::dict& options, const pyb::object& progress, bool quiet) {
  const SentimentRunArgs args = sentimentArgs(options);
  const SentimentHooks hooks = sentimentHooks(progress, quiet, args.training.epochs);
  TrainResult r;
  {
    pyb::gil_scoped_release nogil;
    try {
      r = trainSentiment(args, hooks);
    } catch (...) {
      endProgressLine();
      throw;
    }
    endProgressLine();
  }
  if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
  PySentiment s{std::make_shared<SentimentModel>(SentimentModel::load(args.model_file))};
  pyb::dict d;
  d["best_epoch"] = r.best_epoch;
  d["best_dev"] = metricsDict(r.best_dev);
  d["epochs_run"] = r.epochs_run;
  d["train_seconds"] = r.train_seconds;
  d["sequences"] = r.sequences;
  return pyb::make_tuple(s, d);
}

std::vector<std::string> texts(const pyb::iterable& items) {
  std::vector<std::string> out;
  for (auto t : items) out.push_back(bytesOfText(t));
  return out;
}

// P(positive) for every text, in order.
pyb::array_t<float> predictProbabilities(const PySentiment& s, const pyb::iterable& items, int threads) {
  const std::vector<std::string> owned = texts(items);
  const std::vector<std::string_view> views(owned.begin(), owned.end());
  std::vector<SentimentPrediction> pred;
  {
    pyb::gil_scoped_release nogil;
    pred = predictSentiment(*s.model, views, threads);
  }
  pyb::array_t<float> out(static_cast<pyb::ssize_t>(pred.size()));
  float* p = out.mutable_data();
  for (size_t i = 0; i < pred.size(); ++i) p[i] = pred[i].label == 1 ? pred[i].probability : 1 - pred[i].probability;
  return out;
}

pyb::dict evaluateLabelled(const PySentiment& s, const pyb::iterable& items, const std::vector<int>& labels,
                           int threads) {
  const pyb::array_t<float> prob = predictProbabilities(s, items, threads);
  if (static_cast<size_t>(prob.size()) != labels.size())
    throw Error("evaluate: " + std::to_string(prob.size()) + " texts but " + std::to_string(labels.size()) + " labels");
  BinaryMetrics m;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1) throw Error("evaluate: labels must be 0 or 1, not " + std::to_string(labels[i]));
    m.add(labels[i], prob.at(static_cast<pyb::ssize_t>(i)));
  }
  return metricsDict(m);
}

pyb::dict evaluateFile(const PySentiment& s, const std::string& path, const std::string& text_column,
                       const std::string& label_column, int threads) {
  const std::vector<LabeledText> rows = readLabeledTsv(path, text_column, label_column, true);
  pyb::list items;
  std::vector<int> labels;
  for (const LabeledText& r : rows) {
    items.append(textFromBytes(r.text));
    labels.push_back(r.label);
  }
  return evaluateLabelled(s, items, labels, threads);
}

pyb::dict evaluateTexts(const PySentiment& s, const pyb::iterable& items, const pyb::iterable& labels, int threads) {
  std::vector<int> ls;
  for (auto l : labels) ls.push_back(l.cast<int>());
  return evaluateLabelled(s, items, ls, threads);
}

}  // namespace

void bindSentiment(pyb::module_& m) {
  pyb::class_<PySentiment>(m, "SentimentClassifier",
                           "A GRU/LSTM sentiment classifier over word vectors, as `wembed sentiment` trains it.\n"
                           "Made by wembed.train_sentiment or SentimentClassifier.load(path).")
      .def_static(
          "load", [](const std::string& path) { return PySentiment{std::make_shared<SentimentModel>(SentimentModel::load(path))}; },
          pyb::arg("path"), "Reads a model file written by `wembed sentiment train` or save().")
      .def(
          "save", [](const PySentiment& s, const std::string& path) { s.model->save(path); }, pyb::arg("path"),
          "Writes the model (atomically: a temporary file, then renamed).")
      .def("predict", &predictProbabilities, pyb::arg("texts"), pyb::arg("threads") = 0,
           "The probability that each text is positive (label 1): a float32 array, one per text.")
      .def("evaluate_texts", &evaluateTexts, pyb::arg("texts"), pyb::arg("labels"), pyb::arg("threads") = 0,
           "Accuracy, mean loss, precision/recall/F1 per class and the confusion (tp, fp, tn, fn) on texts\n"
           "with labels 0/1, as `wembed sentiment eval` reports them.")
      .def("evaluate_file", &evaluateFile, pyb::arg("path"), pyb::arg("text_column") = "",
           pyb::arg("label_column") = "label", pyb::arg("threads") = 0,
           "evaluate_texts on a labelled TSV file with a header (.gz/.xz read directly).")
      .def_property_readonly("max_len", [](const PySentiment& s) { return s.model->max_len; },
                             "Texts are cut to this many words (0: no limit).")
      .def("__repr__", [](const PySentiment& s) {
        return "<wembed.SentimentClassifier: max_len " + std::to_string(s.model->max_len) + ">";
      });
  m.def("_train_sentiment", &trainSentimentBinding, pyb::arg("options"), pyb::arg("progress") = pyb::none(),
        pyb::arg("quiet") = false,
        "The engine behind wembed.train_sentiment: options as a dict of the CLI's flag names with underscores.");
}

}  // namespace wembed::py
