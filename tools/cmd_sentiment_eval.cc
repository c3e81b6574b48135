// wembed sentiment eval: a classifier's scores on a labelled file.
#include <algorithm>
#include <cstdio>
#include <string>

#include "sentiment_cli.h"
#include "wembed/core/error.h"

namespace wembed::cli {

namespace {

void printJson(const std::string& data, const BinaryMetrics& m, double secs) {
  std::printf(
      "{\"data\": \"%s\", \"examples\": %lld, \"accuracy\": %.6f, \"loss\": %.6f, "
      "\"positive\": {\"precision\": %.6f, \"recall\": %.6f, \"f1\": %.6f}, "
      "\"negative\": {\"precision\": %.6f, \"recall\": %.6f, \"f1\": %.6f}, "
      "\"confusion\": {\"tp\": %lld, \"fn\": %lld, \"fp\": %lld, \"tn\": %lld}, \"seconds\": %.3f}\n",
      data.c_str(), static_cast<long long>(m.total()), m.accuracy(), m.meanLoss(), m.precision(1), m.recall(1),
      m.f1(1), m.precision(0), m.recall(0), m.f1(0), static_cast<long long>(m.tp), static_cast<long long>(m.fn),
      static_cast<long long>(m.fp), static_cast<long long>(m.tn), secs);
}

void printTables(const std::string& data, const BinaryMetrics& m, double secs) {
  std::printf("data: %s (%lld texts; %.2f s, %.0f texts/s)\n", data.c_str(), static_cast<long long>(m.total()), secs,
              m.total() / std::max(secs, 1e-9));
  std::printf("accuracy: %s  (mean loss %.4f)\n\n", percent(m.accuracy()).c_str(), m.meanLoss());
  std::printf("  %-10s %9s %9s %9s %9s\n", "class", "precision", "recall", "f1", "support");
  for (int c : {1, 0})
    std::printf("  %-10s %9s %9s %9s %9lld\n", c ? "positive" : "negative", percent(m.precision(c)).c_str(),
                percent(m.recall(c)).c_str(), percent(m.f1(c)).c_str(),
                static_cast<long long>(c ? m.tp + m.fn : m.tn + m.fp));
  std::printf("\nconfusion matrix (rows: true label, columns: predicted)\n");
  std::printf("  %-10s %9s %9s\n", "", "positive", "negative");
  std::printf("  %-10s %9lld %9lld\n", "positive", static_cast<long long>(m.tp), static_cast<long long>(m.fn));
  std::printf("  %-10s %9lld %9lld\n", "negative", static_cast<long long>(m.fp), static_cast<long long>(m.tn));
}

}  // namespace

int sentimentEval(int argc, char** argv) {
  return guarded("sentiment eval", [&]() {
    SentimentEvalArgs a;
    ModelFileOption model;
    bool json = false;
    po::options_description o("options");
    o.add_options()("help,h", "show this help");
    model.addTo(o, false);
    o.add_options()
      ("data", po::value(&a.data), "labelled TSV with a header (.xz/.gz read directly)")
      ("threads", po::value(&a.threads)->default_value(0), "threads (0: all cores)")
      ("json", po::bool_switch(&json), "print one JSON object");
    addColumnOptions(o, a.columns);
    po::variables_map vm;
    if (!parse("sentiment eval", "--model-file M --data FILE [options]", argc, argv, o, nullptr, vm)) return 0;
    a.model_file = model.get();
    const SentimentEvalResult r = evalSentiment(a);
    if (json)
      printJson(a.data, r.metrics, r.seconds);
    else
      printTables(a.data, r.metrics, r.seconds);
    return 0;
  });
}

}  // namespace wembed::cli
