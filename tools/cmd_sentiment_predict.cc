// wembed sentiment predict and tokenize: a classifier's labels for texts, and
// the words it sees.
#include <cstdio>
#include <string>
#include <vector>

#include "sentiment_cli.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"

namespace wembed::cli {

namespace {

void writeStdout(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
}

}  // namespace

int sentimentPredict(int argc, char** argv) {
  return guarded("sentiment predict", [&]() {
    SentimentPredictArgs a;
    ModelFileOption model;
    po::options_description o("options");
    o.add_options()("help,h", "show this help");
    model.addTo(o, false);
    o.add_options()
      ("input", po::value(&a.input)->default_value("-"), "text file, one text per line ('-': stdin; .gz/.xz read directly)")
      ("threads", po::value(&a.threads)->default_value(0), "threads (0: all cores)");
    po::positional_options_description pos;
    pos.add("input", 1);
    po::variables_map vm;
    const char* usage =
        "--model-file M [FILE|-]\n\n"
        "Prints 'label<TAB>probability' per input line: label 1 (positive) or 0 (negative) and the\n"
        "model's probability of that label.";
    if (!parse("sentiment predict", usage, argc, argv, o, &pos, vm)) return 0;
    a.model_file = model.get();
    predictSentiment(a, [](const std::vector<SentimentPrediction>& chunk) {
      std::string out;
      char buf[48];
      for (const SentimentPrediction& p : chunk) {
        std::snprintf(buf, sizeof(buf), "%d\t%.6f\n", p.label, p.probability);
        out += buf;
      }
      writeStdout(out);
    });
    return 0;  // guarded() flushes standard output and reports a failed write
  });
}

int sentimentTokenize(int argc, char** argv) {
  return guarded("sentiment tokenize", [&]() {
    SentimentTokenizeArgs a;
    std::string output, format = "tsv";
    po::options_description o("options");
    o.add_options()
      ("help,h", "show this help")
      ("data", po::value(&a.data), "TSV with a header (.xz/.gz read directly)")
      ("output,o", po::value(&output), "output file (default: stdout)")
      ("format", po::value(&format)->default_value("tsv"), "tsv: 'label<TAB>words'; fasttext: '__label__L words'")
      ("max-len", po::value(&a.max_len)->default_value(0), "keep the first N words (0: all)");
    addColumnOptions(o, a.columns);
    po::variables_map vm;
    if (!parse("sentiment tokenize", "--data FILE [--format tsv|fasttext] [-o FILE]", argc, argv, o, nullptr, vm))
      return 0;
    a.validate();
    a.format = parseTokenFormat(format);
    FilePlan plan;
    plan.read("--data", a.data);
    plan.write("--output", output);
    plan.check();
    if (!output.empty()) AtomicFile probe(output);  // fail now, not after reading the data
    const std::string out = tokenizeSentiment(a);
    if (output.empty()) {
      writeStdout(out);  // guarded() flushes it and reports a failed write
    } else {
      AtomicFile f(output);
      f.puts(out);
      f.commit();
    }
    return 0;
  });
}

}  // namespace wembed::cli
