#include <omp.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/plot/plot_vectors.h"

namespace wembed::cli {

namespace {

// "a,b,,c" -> a b c (empty pieces dropped).
void splitCommas(const std::string& s, std::vector<std::string>& out) {
  size_t start = 0;
  for (;;) {
    const size_t comma = s.find(',', start);
    const std::string w = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!w.empty()) out.push_back(w);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

}  // namespace

int cmdPlot(int argc, char** argv) {
  return guarded("plot", [&]() {
    PlotArgs a;
    std::string method = "pca", metric = "cosine";
    std::vector<std::string> word_args;
    int threads = 0;
    bool quiet = false;
    int64_t seed = 1;
    std::string old_output;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&a.vectors), "vector file (any format wembed reads)")
      ("words", po::value(&word_args)->multitoken(), "words to show, comma-separated (repeatable)")
      ("top", po::value(&a.top), "show the N most frequent words (the first N rows; '</s>' is skipped)")
      ("output,o", po::value(&a.output), "picture to write: .svg, or .png (drawn with cairo)")
      ("out", po::value(&old_output), "the same as --output")
      ("method", po::value(&method)->default_value("pca"), "pca (first two principal components) or tsne "
       "(exact t-SNE)")
      ("metric", po::value(&metric)->default_value("cosine"), "cosine (vectors unit-normalised first) or "
       "euclidean (vectors as they are)")
      ("perplexity", po::value(&a.tsne.perplexity)->default_value(30), "t-SNE: effective number of neighbours "
       "(lowered to (n-1)/3 for few words)")
      ("iterations", po::value(&a.tsne.iterations)->default_value(1000), "t-SNE: gradient steps")
      ("seed", po::value(&seed)->default_value(1), "t-SNE: seed of the initial positions")
      ("learning-rate", po::value(&a.tsne.learning_rate)->default_value(0), "t-SNE: step size (0: max(n/48, 5))")
      ("width", po::value(&a.style.width)->default_value(0), "picture width in px (0: 900 to 3000 by word count)")
      ("height", po::value(&a.style.height)->default_value(0), "picture height in px (0: from the map's shape)")
      ("font-size", po::value(&a.style.font_size)->default_value(12), "label size in px")
      ("title", po::value(&a.title), "title (default: method and vector file)")
      ("threads", po::value(&threads)->default_value(0), "threads for t-SNE (0: all cores)")
      ("quiet,q", po::bool_switch(&quiet), "no progress on stderr");
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1);
    po::variables_map vm;
    if (!parse("plot",
               "VECTORS (--words w1,w2,... | --top N) --output map.svg|map.png [--method pca|tsne]\n"
               "       [--perplexity P --iterations I --seed S]\n\n"
               "Draws a 2-D map of the words: PCA of the (unit-normalised, centred) vectors, or\n"
               "exact t-SNE (van der Maaten & Hinton 2008; up to 5,000 words) on cosine distances\n"
               "(--metric euclidean: the vectors as they are, for both methods).",
               argc, argv, opts, &pos, vm))
      return 0;
    a.vectors = input.path(a.vectors);
    a.output = givenOnce("output", "the picture", old_output, "-o", a.output);
    for (const auto& w : word_args) splitCommas(w, a.words);
    if ((vm.count("words") > 0) == (vm.count("top") > 0)) throw Error("give either --words w1,w2,... or --top N");
    if (vm.count("words") && a.words.empty()) throw Error("--words lists no word");
    if (method != "pca" && method != "tsne") throw Error("unknown --method '" + method + "' (expected pca or tsne)");
    a.use_tsne = method == "tsne";
    a.tsne.metric = parseMapMetric(metric);
    a.tsne.seed = static_cast<uint64_t>(seed);
    if (threads > 0) omp_set_num_threads(threads);
    a.format = input.parsedFormat();
    a.limit = input.limit;
    a.progress = !quiet;
    a.warning = [](const std::string& w) { std::fprintf(stderr, "wembed plot: warning: %s\n", w.c_str()); };
    PendingFiles picture;
    const PlotSummary s = plotVectors(a, picture);
    std::printf("wrote %s (%dx%d px): %s", a.output.c_str(), s.width, s.height, s.subtitle.c_str());
    if (s.overlapping) std::printf(" (%lld labels overlap another: try a larger --width)", static_cast<long long>(s.overlapping));
    std::printf("\n");
    // The picture is renamed into place only once the summary is out: a
    // failure to print it (a full disk) leaves no picture either.
    if (std::fflush(stdout) != 0 || std::ferror(stdout))
      throw sysError("cannot write to standard output");
    picture.commit();
    return 0;
  });
}

}  // namespace wembed::cli
