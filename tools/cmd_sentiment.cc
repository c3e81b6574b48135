// wembed sentiment train|eval|predict|tokenize: the GRU/LSTM sentiment classifier.
#include <omp.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/progress.h"
#include "wembed/sentiment/checkpoint.h"
#include "wembed/sentiment/data.h"
#include "wembed/sentiment/model.h"
#include "wembed/sentiment/train.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

namespace {

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f%%", 100 * v);
  return buf;
}

void subUsage(FILE* out) {
  std::fprintf(out,
               "usage: wembed sentiment SUBCOMMAND [OPTIONS]\n\n"
               "subcommands:\n"
               "  train     train a GRU/LSTM classifier on labelled TSV files, starting from word vectors\n"
               "  eval      accuracy, precision/recall/F1 per class and confusion matrix on a labelled file\n"
               "  predict   one line of text in, 'label<TAB>probability' out\n"
               "  tokenize  the words the classifier sees, one text per line (tsv or fastText format)\n\n"
               "'wembed sentiment SUBCOMMAND --help' describes each.\n");
}

// Examples from labelled rows.
std::vector<Example> encodeAll(const std::vector<LabeledText>& rows, const Vocabulary& vocab, int max_len,
                               int64_t* unknown, int64_t* total) {
  std::vector<Example> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    out[i].ids = vocab.encode(rows[i].text, max_len, unknown, total);
    out[i].label = rows[i].label;
  }
  return out;
}

void dataOptions(po::options_description& o, std::string& text_col, std::string& label_col) {
  o.add_options()
    ("text-column", po::value(&text_col), "name of the text column (default: 'sentence' or 'text')")
    ("label-column", po::value(&label_col)->default_value("label"), "name of the label column (values 0/1)");
}

int train(int argc, char** argv) {
  return guarded("sentiment train", [&]() {
    std::string vectors, train_path, dev_path, model_path, text_col, label_col, cell = "gru", pooling = "max",
                parallel = "batch";
    NetConfig nc;
    SentimentTrainOptions o;
    int64_t seed = 1;
    int max_len = 400;
    int64_t max_vocab = 0;
    bool quiet = false;
    std::string checkpoint, resume;
    double checkpoint_every = 600;
    po::options_description io("input and output");
    io.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&vectors), "word vectors to start from (any format wembed reads: word2vec binary or text, GloVe, fastText .vec, native .wev)")
      ("train", po::value(&train_path), "training data: TSV with a header (.xz/.gz read directly)")
      ("dev", po::value(&dev_path), "dev data for model selection and early stopping (same format)")
      ("model", po::value(&model_path), "output: the model of the best dev epoch")
      ("quiet,q", po::bool_switch(&quiet), "no progress output")
      ("checkpoint", po::value(&checkpoint), "write the full training state here (atomically) between minibatches, "
       "every --checkpoint-every seconds")
      ("checkpoint-every", po::value(&checkpoint_every)->default_value(600), "seconds between checkpoints")
      ("resume", po::value(&resume), "continue the run saved in this checkpoint (settings and inputs come from it; "
       "--model, --checkpoint, --checkpoint-every, --quiet may be given)");
    dataOptions(io, text_col, label_col);
    po::options_description m("model");
    m.add_options()
      ("cell", po::value(&cell)->default_value("gru"), "gru or lstm")
      ("hidden", po::value(&nc.hidden)->default_value(128), "recurrent state size per direction")
      ("layers", po::value(&nc.layers)->default_value(1), "stacked recurrent layers")
      ("bidirectional", po::bool_switch(&nc.bidirectional), "also read right to left (features = 2 x hidden)")
      ("pooling", po::value(&pooling)->default_value("max"), "over time: last, mean, max or attention")
      ("dropout", po::value(&o.dropout)->default_value(0.5), "dropout on the pooled features")
      ("fine-tune", po::bool_switch(&o.fine_tune), "also train the word vectors (default: frozen; the unknown-word "
       "vector always trains)")
      ("max-len", po::value(&max_len)->default_value(400), "use the first N words of each text (0: all)")
      ("max-vocab", po::value(&max_vocab)->default_value(0), "keep the first N words of the vector file (0: all)");
    po::options_description t("training");
    t.add_options()
      ("epochs", po::value(&o.epochs)->default_value(10), "maximum passes over the training data")
      ("patience", po::value(&o.patience)->default_value(3), "stop after N epochs without a better dev accuracy (0: never)")
      ("batch", po::value(&o.batch)->default_value(32), "minibatch size")
      ("bucket", po::value(&o.bucket)->default_value(50), "batches per length bucket (shuffle, sort a bucket by length, cut)")
      ("lr", po::value(&o.lr)->default_value(1e-3, "0.001"), "Adam learning rate")
      ("clip", po::value(&o.clip)->default_value(5.0, "5"), "clip the global gradient norm to this (0: off)")
      ("seed", po::value(&seed)->default_value(1), "random seed (initialisation, batches, dropout)")
      ("threads", po::value(&o.threads)->default_value(0), "threads (0: all cores)")
      ("parallel", po::value(&parallel)->default_value("batch"), "batch: each thread takes part of every minibatch; "
       "gemm: one pass per minibatch with threaded matrix products");
    po::options_description all;
    all.add(io).add(m).add(t);
    po::variables_map vm;
    if (!parse("sentiment train", "--vectors V --train FILE --dev FILE --model OUT [options]", argc, argv, all,
               nullptr, vm))
      return 0;
    if (!(checkpoint_every > 0)) throw Error("--checkpoint-every must be a positive number of seconds");
    std::unique_ptr<SentimentCheckpoint> saved;
    if (!resume.empty()) {
      for (const auto& [name, value] : vm)
        if (!value.defaulted() && name != "resume" && name != "model" && name != "checkpoint" &&
            name != "checkpoint-every" && name != "quiet")
          throw Error("--" + name + " cannot be given with --resume (the checkpoint holds the settings)");
      saved = std::make_unique<SentimentCheckpoint>(loadSentimentCheckpoint(resume));
      const SentimentRun& r = saved->run;
      vectors = r.vectors;
      train_path = r.train;
      dev_path = r.dev;
      if (model_path.empty()) model_path = r.model;
      text_col = r.text_column;
      label_col = r.label_column;
      max_len = r.max_len;
      max_vocab = r.max_vocab;
      cell = toString(saved->config.cell);
      pooling = toString(saved->config.pooling);
      nc = saved->config;
      o = saved->options;
      parallel = o.split_batch ? "batch" : "gemm";
      if (checkpoint.empty()) checkpoint = resume;
      for (const auto& [p, bytes] : {std::pair{vectors, r.vectors_bytes}, std::pair{train_path, r.train_bytes},
                                     std::pair{dev_path, r.dev_bytes}}) {
        checkReadable(p);
        if (regularFileSize(p) != bytes)
          throw Error("'" + p + "' changed size since checkpoint '" + resume + "' was written");
      }
    }
    if (vectors.empty()) throw Error("no --vectors file given");
    if (train_path.empty()) throw Error("no --train file given");
    if (dev_path.empty()) throw Error("no --dev file given");
    if (model_path.empty()) throw Error("no --model output given");
    nc.cell = parseCell(cell);
    nc.pooling = parsePooling(pooling);
    if (parallel != "batch" && parallel != "gemm") throw Error("--parallel must be batch or gemm");
    o.split_batch = parallel == "batch";
    if (max_len < 0) throw Error("--max-len must be 0 (no limit) or more");
    if (max_vocab < 0) throw Error("--max-vocab must be 0 (all) or more");
    nc.embed_dim = 1;  // checked again once the vectors are read
    nc.validate();
    o.validate();
    if (!saved) {  // a resumed run keeps the checkpoint's seed
      if (seed < 0) throw Error("--seed must be 0 or more");
      o.seed = static_cast<uint64_t>(seed);
    }
    checkDistinctFiles({{"--model", model_path}}, {vectors, train_path, dev_path});
    if (saved)  // a killed run may have been writing these
      for (const auto& p : {model_path, checkpoint, resume}) removeAtomicLeftovers(p);
    { AtomicFile probe(model_path); }  // fail now, not after training, if it cannot be written
    if (!checkpoint.empty()) AtomicFile probe(checkpoint);
    for (const auto& p : {vectors, train_path, dev_path}) checkReadable(p);
    auto run = std::make_shared<SentimentRun>();
    if (!checkpoint.empty()) {
      run->vectors = vectors;
      run->train = train_path;
      run->dev = dev_path;
      run->model = model_path;
      for (auto [p, bytes] : {std::pair{&vectors, &run->vectors_bytes}, std::pair{&train_path, &run->train_bytes},
                              std::pair{&dev_path, &run->dev_bytes}}) {
        if (isStdinPath(*p)) throw Error("--checkpoint needs input files (stdin cannot be read again on --resume)");
        *bytes = regularFileSize(*p);
      }
      run->text_column = text_col;
      run->label_column = label_col;
      run->max_len = max_len;
      run->max_vocab = max_vocab;
    }

    Stopwatch sw;
    const auto train_rows = readLabeledTsv(train_path, text_col, label_col, true);
    const auto dev_rows = readLabeledTsv(dev_path, text_col, label_col, true);
    if (train_rows.empty()) throw Error(quotedName(train_path) + " has no rows");
    if (dev_rows.empty()) throw Error(quotedName(dev_path) + " has no rows");
    Vectors vec = loadWord2vec(vectors);
    // The vocabulary: vector words the text cleaner can produce (lower-case letters), first occurrence.
    std::vector<std::string> words;
    std::vector<int64_t> rows;
    {
      for (size_t i = 0; i < vec.words.size(); ++i) {
        const std::string& w = vec.words[i];
        if (w.empty() || !std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) continue;
        words.push_back(w);
        rows.push_back(static_cast<int64_t>(i));
      }
      // Drop repeats (keep the first).
      std::vector<size_t> order(words.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return words[a] < words[b]; });
      std::vector<char> keep(words.size(), 1);
      for (size_t i = 1; i < order.size(); ++i)
        if (words[order[i]] == words[order[i - 1]]) keep[order[i]] = 0;
      std::vector<std::string> w2;
      std::vector<int64_t> r2;
      for (size_t i = 0; i < words.size(); ++i)
        if (keep[i] && (max_vocab == 0 || static_cast<int64_t>(w2.size()) < max_vocab)) {
          w2.push_back(std::move(words[i]));
          r2.push_back(rows[i]);
        }
      words.swap(w2);
      rows.swap(r2);
    }
    if (words.empty()) throw Error("'" + vectors + "' has no word made of lower-case letters a-z");
    SentimentModel model;
    model.max_len = max_len;
    nc.embed_dim = vec.matrix.cols();
    model.net = NetParams<float>(nc, static_cast<int64_t>(words.size()) + 1);
    for (size_t i = 0; i < rows.size(); ++i)
      model.net.embeddings.row(static_cast<int64_t>(i) + 1) =
          ConstVecMap<float>(vec.matrix.row(rows[i]), nc.embed_dim);
    vec = Vectors();
    model.vocab = Vocabulary(std::move(words));
    model.net.initialize(o.seed);

    int64_t unk = 0, tot = 0, dunk = 0, dtot = 0;
    const auto train_set = encodeAll(train_rows, model.vocab, max_len, &unk, &tot);
    const auto dev_set = encodeAll(dev_rows, model.vocab, max_len, &dunk, &dtot);
    if (!quiet) {
      std::fprintf(stderr,
                   "sentiment: %zu train / %zu dev texts, %d words x %d dims from %s; unknown words: %.2f%% of "
                   "train tokens, %.2f%% of dev tokens (%.1f s)\n",
                   train_set.size(), dev_set.size(), model.vocab.size(), nc.embed_dim, vectors.c_str(),
                   tot ? 100.0 * unk / tot : 0.0, dtot ? 100.0 * dunk / dtot : 0.0, sw.seconds());
      std::fprintf(stderr,
                   "sentiment: %s%s, hidden %d, %d layer%s, %s pooling, dropout %g, %s embeddings, batch %d, "
                   "lr %g, clip %g, %d threads (%s)\n",
                   nc.bidirectional ? "bidirectional " : "", toString(nc.cell).c_str(), nc.hidden, nc.layers,
                   nc.layers > 1 ? "s" : "", toString(nc.pooling).c_str(), o.dropout,
                   o.fine_tune ? "fine-tuned" : "frozen", o.batch, o.lr, o.clip, o.effectiveThreads(),
                   parallel.c_str());
    }
    if (saved && (saved->embedding_rows != model.net.embeddings.rows() || saved->config.embed_dim != nc.embed_dim))
      throw Error("'" + vectors + "' does not give the vocabulary checkpoint '" + resume + "' was written with");
    SentimentTrainer trainer(o, model.net);
    double total_train_s = 0;
    if (saved) {
      total_train_s = saved->result.train_seconds;
      trainer.restore(std::move(*saved));
    }
    if (!checkpoint.empty()) {
      trainer.checkpointing.path = checkpoint;
      trainer.checkpointing.every_seconds = checkpoint_every;
      trainer.checkpoint_run = run;
    }
    if (!quiet) {
      trainer.on_progress = [&](const Progress& p) {
        char buf[160];
        std::snprintf(buf, sizeof(buf), "epoch %d/%d %5.1f%%  %.0f seq/s  loss %.4f  epoch ETA %s", p.epoch, o.epochs,
                      100 * p.fraction, p.rate, p.loss, formatDuration(p.eta_seconds).c_str());
        showProgressLine(buf);
      };
    }
    trainer.on_epoch = [&](const EpochStats& s) {
      total_train_s += s.seconds;
      if (quiet) return;
      endProgressLine();
      const double per_epoch = total_train_s / s.epoch;
      std::fprintf(stderr,
                   "epoch %d/%d: train loss %.4f, dev accuracy %s (loss %.4f)%s, %.0f seq/s, %s, ETA %s\n", s.epoch,
                   o.epochs, s.train_loss, pct(s.dev.accuracy()).c_str(), s.dev.meanLoss(), s.best ? " *best*" : "",
                   s.seqs_per_sec, formatDuration(s.seconds).c_str(),
                   formatDuration(per_epoch * (o.epochs - s.epoch)).c_str());
    };
    trainer.on_best = [&](const EpochStats&) { model.save(model_path); };
    const TrainResult r = trainer.train(train_set, dev_set);
    // A resumed run may not improve on the best epoch before the checkpoint:
    // write that one (the network now holds it) in case --model is new.
    if (!resume.empty()) model.save(model_path);
    if (!quiet)
      std::fprintf(stderr,
                   "sentiment: best dev accuracy %s at epoch %d of %d; %lld sequences in %s (%.0f seq/s); wrote %s\n",
                   pct(r.best_dev.accuracy()).c_str(), r.best_epoch, r.epochs_run,
                   static_cast<long long>(r.sequences), formatDuration(r.train_seconds).c_str(),
                   r.sequences / std::max(r.train_seconds, 1e-9), model_path.c_str());
    return 0;
  });
}

int eval(int argc, char** argv) {
  return guarded("sentiment eval", [&]() {
    std::string model_path, data, text_col, label_col;
    int threads = 0;
    bool json = false;
    po::options_description o("options");
    o.add_options()
      ("help,h", "show this help")
      ("model", po::value(&model_path), "model from 'wembed sentiment train'")
      ("data", po::value(&data), "labelled TSV with a header (.xz/.gz read directly)")
      ("threads", po::value(&threads)->default_value(0), "threads (0: all cores)")
      ("json", po::bool_switch(&json), "print one JSON object");
    dataOptions(o, text_col, label_col);
    po::variables_map vm;
    if (!parse("sentiment eval", "--model M --data FILE [options]", argc, argv, o, nullptr, vm)) return 0;
    if (model_path.empty()) throw Error("no --model given");
    if (data.empty()) throw Error("no --data file given");
    if (threads < 0) throw Error("--threads must be 0 (all cores) or more");
    checkReadable(data);
    const SentimentModel model = SentimentModel::load(model_path);
    const auto rows = readLabeledTsv(data, text_col, label_col, true);
    if (rows.empty()) throw Error(quotedName(data) + " has no rows");
    const auto set = encodeAll(rows, model.vocab, model.max_len, nullptr, nullptr);
    Stopwatch sw;
    const BinaryMetrics m = evaluate(model.net, set, threads);
    const double secs = sw.seconds();
    if (json) {
      std::printf(
          "{\"data\": \"%s\", \"examples\": %lld, \"accuracy\": %.6f, \"loss\": %.6f, "
          "\"positive\": {\"precision\": %.6f, \"recall\": %.6f, \"f1\": %.6f}, "
          "\"negative\": {\"precision\": %.6f, \"recall\": %.6f, \"f1\": %.6f}, "
          "\"confusion\": {\"tp\": %lld, \"fn\": %lld, \"fp\": %lld, \"tn\": %lld}, \"seconds\": %.3f}\n",
          data.c_str(), static_cast<long long>(m.total()), m.accuracy(), m.meanLoss(), m.precision(1), m.recall(1),
          m.f1(1), m.precision(0), m.recall(0), m.f1(0), static_cast<long long>(m.tp), static_cast<long long>(m.fn),
          static_cast<long long>(m.fp), static_cast<long long>(m.tn), secs);
      return 0;
    }
    std::printf("data: %s (%lld texts; %.2f s, %.0f texts/s)\n", data.c_str(), static_cast<long long>(m.total()), secs,
                m.total() / std::max(secs, 1e-9));
    std::printf("accuracy: %s  (mean loss %.4f)\n\n", pct(m.accuracy()).c_str(), m.meanLoss());
    std::printf("  %-10s %9s %9s %9s %9s\n", "class", "precision", "recall", "f1", "support");
    for (int c : {1, 0})
      std::printf("  %-10s %9s %9s %9s %9lld\n", c ? "positive" : "negative", pct(m.precision(c)).c_str(),
                  pct(m.recall(c)).c_str(), pct(m.f1(c)).c_str(),
                  static_cast<long long>(c ? m.tp + m.fn : m.tn + m.fp));
    std::printf("\nconfusion matrix (rows: true label, columns: predicted)\n");
    std::printf("  %-10s %9s %9s\n", "", "positive", "negative");
    std::printf("  %-10s %9lld %9lld\n", "positive", static_cast<long long>(m.tp), static_cast<long long>(m.fn));
    std::printf("  %-10s %9lld %9lld\n", "negative", static_cast<long long>(m.fp), static_cast<long long>(m.tn));
    return 0;
  });
}

int predict(int argc, char** argv) {
  return guarded("sentiment predict", [&]() {
    std::string model_path, input = "-";
    int threads = 0;
    po::options_description o("options");
    o.add_options()
      ("help,h", "show this help")
      ("model", po::value(&model_path), "model from 'wembed sentiment train'")
      ("input", po::value(&input)->default_value("-"), "text file, one text per line ('-': stdin; .gz/.xz read directly)")
      ("threads", po::value(&threads)->default_value(0), "threads (0: all cores)");
    po::positional_options_description pos;
    pos.add("input", 1);
    po::variables_map vm;
    if (!parse("sentiment predict",
               "--model M [FILE|-]\n\n"
               "Prints 'label<TAB>probability' per input line: label 1 (positive) or 0 (negative) and the\n"
               "model's probability of that label.",
               argc, argv, o, &pos, vm))
      return 0;
    if (model_path.empty()) throw Error("no --model given");
    if (threads < 0) throw Error("--threads must be 0 (all cores) or more");
    checkReadable(input);
    const SentimentModel model = SentimentModel::load(model_path);
    // Predicted in chunks of lines, written in input order.
    const std::string text = readWholeFile(input);
    std::string_view rest(text);
    std::vector<Example> chunk;
    std::string out;
    auto flush = [&]() {
      const std::vector<float> p = predictProbabilities(model.net, chunk, threads);
      out.clear();
      char buf[48];
      for (float q : p) {
        const int label = q >= 0.5f ? 1 : 0;
        std::snprintf(buf, sizeof(buf), "%d\t%.6f\n", label, label ? q : 1.0f - q);
        out += buf;
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      chunk.clear();
    };
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      chunk.push_back(model.encode(line));
      if (chunk.size() == 8192) flush();
    }
    if (!chunk.empty()) flush();
    if (std::fflush(stdout) != 0) throw sysError("cannot write to standard output");
    return 0;
  });
}

int tokenize(int argc, char** argv) {
  return guarded("sentiment tokenize", [&]() {
    std::string data, output, text_col, label_col, format = "tsv";
    int max_len = 0;
    po::options_description o("options");
    o.add_options()
      ("help,h", "show this help")
      ("data", po::value(&data), "TSV with a header (.xz/.gz read directly)")
      ("output", po::value(&output), "output file (default: stdout)")
      ("format", po::value(&format)->default_value("tsv"), "tsv: 'label<TAB>words'; fasttext: '__label__L words'")
      ("max-len", po::value(&max_len)->default_value(0), "keep the first N words (0: all)");
    dataOptions(o, text_col, label_col);
    po::variables_map vm;
    if (!parse("sentiment tokenize", "--data FILE [--format tsv|fasttext] [--output FILE]", argc, argv, o, nullptr,
               vm))
      return 0;
    if (data.empty()) throw Error("no --data file given");
    if (format != "tsv" && format != "fasttext") throw Error("--format must be tsv or fasttext");
    if (max_len < 0) throw Error("--max-len must be 0 (all) or more");
    checkDistinctFiles({{"--output", output}}, {data});
    if (!output.empty()) AtomicFile probe(output);  // fail now, not after reading the data
    checkReadable(data);
    const auto rows = readLabeledTsv(data, text_col, label_col, false);
    std::string out;
    for (const auto& r : rows) {
      const std::string label = r.label < 0 ? "" : std::to_string(r.label);
      out += format == "fasttext" ? (r.label < 0 ? "" : "__label__" + label + " ") : label + "\t";
      TextCleaner c(r.text);
      std::string_view w;
      int n = 0;
      while ((max_len == 0 || n < max_len) && c.next(w)) {
        if (n++) out.push_back(' ');
        out.append(w);
      }
      out.push_back('\n');
    }
    if (output.empty()) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      if (std::fflush(stdout) != 0) throw sysError("cannot write to standard output");
    } else {
      AtomicFile f(output);
      f.puts(out);
      f.commit();
    }
    return 0;
  });
}

}  // namespace

int cmdSentiment(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "wembed sentiment: error: no subcommand given: train, eval, predict or tokenize (see 'wembed sentiment --help')\n");
    return 1;
  }
  const std::string sub = argv[1];
  if (sub == "-h" || sub == "--help" || sub == "help") {
    subUsage(stdout);
    return 0;
  }
  if (sub == "train") return train(argc - 1, argv + 1);
  if (sub == "eval") return eval(argc - 1, argv + 1);
  if (sub == "predict") return predict(argc - 1, argv + 1);
  if (sub == "tokenize") return tokenize(argc - 1, argv + 1);
  std::fprintf(stderr, "wembed sentiment: error: unknown subcommand '%s' (see 'wembed sentiment --help')\n",
               sub.c_str());
  return 1;
}

}  // namespace wembed::cli
