#include <omp.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/plot/plot.h"
#include "wembed/core/progress.h"
#include "wembed/plot/projection.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

namespace {

// Beyond this a map is a blot of labels (and the label placement gets slow).
constexpr int64_t kMaxWords = 10000;

std::string baseName(const std::string& p) {
  const size_t s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

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

std::string joined(const std::vector<std::string>& v, size_t max_shown = 20) {
  std::string s;
  for (size_t i = 0; i < v.size() && i < max_shown; ++i) s += (i ? ", " : "") + v[i];
  if (v.size() > max_shown) s += ", ... (" + std::to_string(v.size()) + " in all)";
  return s;
}

}  // namespace

int cmdPlot(int argc, char** argv) {
  return guarded("plot", [&]() {
    std::string path, out, method = "pca", metric_name = "cosine", title;
    std::vector<std::string> word_args;
    int64_t top = 0;
    TsneOptions topt;
    MapStyle style;
    int threads = 0;
    bool quiet = false;
    int64_t seed = 1;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (any format wembed reads)")
      ("words", po::value(&word_args)->multitoken(), "words to show, comma-separated (repeatable)")
      ("top", po::value(&top), "show the N most frequent words (the first N rows; '</s>' is skipped)")
      ("out,o", po::value(&out), "picture to write: .svg, or .png (drawn with cairo)")
      ("method", po::value(&method)->default_value("pca"), "pca (first two principal components) or tsne "
       "(exact t-SNE)")
      ("metric", po::value(&metric_name)->default_value("cosine"), "cosine (vectors unit-normalised first) or "
       "euclidean (vectors as they are)")
      ("perplexity", po::value(&topt.perplexity)->default_value(30), "t-SNE: effective number of neighbours "
       "(lowered to (n-1)/3 for few words)")
      ("iterations", po::value(&topt.iterations)->default_value(1000), "t-SNE: gradient steps")
      ("seed", po::value(&seed)->default_value(1), "t-SNE: seed of the initial positions")
      ("learning-rate", po::value(&topt.learning_rate)->default_value(0), "t-SNE: step size (0: max(n/48, 5))")
      ("width", po::value(&style.width)->default_value(0), "picture width in px (0: 900 to 3000 by word count)")
      ("height", po::value(&style.height)->default_value(0), "picture height in px (0: from the map's shape)")
      ("font-size", po::value(&style.font_size)->default_value(12), "label size in px")
      ("title", po::value(&title), "title (default: method and vector file)")
      ("threads", po::value(&threads)->default_value(0), "threads for t-SNE (0: all cores)")
      ("quiet,q", po::bool_switch(&quiet), "no progress on stderr");
    VectorInput input;
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1);
    po::variables_map vm;
    if (!parse("plot",
               "VECTORS (--words w1,w2,... | --top N) --out map.svg|map.png [--method pca|tsne]\n"
               "       [--perplexity P --iterations I --seed S]\n\n"
               "Draws a 2-D map of the words: PCA of the (unit-normalised, centred) vectors, or\n"
               "exact t-SNE (van der Maaten & Hinton 2008; up to 5,000 words) on cosine distances\n"
               "(--metric euclidean: the vectors as they are, for both methods).",
               argc, argv, opts, &pos, vm))
      return 0;
    if (path.empty()) throw Error("no vector file given");
    if (out.empty()) throw Error("no picture to write: give --out map.svg (or .png)");
    std::vector<std::string> wanted;
    for (const auto& a : word_args) splitCommas(a, wanted);
    const bool has_words = vm.count("words") > 0, has_top = vm.count("top") > 0;
    if (has_words == has_top) throw Error("give either --words w1,w2,... or --top N");
    if (has_words && wanted.empty()) throw Error("--words lists no word");
    if (has_top && (top < 2 || top > kMaxWords))
      throw Error("--top must be between 2 and " + std::to_string(kMaxWords));
    if (method != "pca" && method != "tsne") throw Error("unknown --method '" + method + "' (expected pca or tsne)");
    const bool use_tsne = method == "tsne";
    topt.metric = parseMapMetric(metric_name);
    if (!(topt.perplexity > 0)) throw Error("--perplexity must be positive");
    if (topt.iterations < 1) throw Error("--iterations must be at least 1");
    if (!(topt.learning_rate >= 0)) throw Error("--learning-rate must be 0 (auto) or positive");
    if (style.width < 0 || style.height < 0) throw Error("--width and --height must be 0 (auto) or positive");
    if ((style.width > 0 && style.width < 100) || (style.height > 0 && style.height < 100))
      throw Error("--width and --height must be at least 100 px");
    if (style.width > 20000 || style.height > 20000) throw Error("--width and --height must be at most 20000 px");
    if (!(style.font_size >= 4 && style.font_size <= 200)) throw Error("--font-size must be between 4 and 200");
    if (threads < 0) throw Error("--threads must be 0 (all cores) or more");
    if (seed < 0) throw Error("--seed must be 0 or more");
    topt.seed = static_cast<uint64_t>(seed);
    if (threads > 0) omp_set_num_threads(threads);
    mapFormatFromPath(out);
    checkReadable(path);
    { AtomicFile probe(out); }  // fail now, not after the projection, if it cannot be written

    const Vectors v = input.load(path);
    std::unordered_map<std::string, int64_t> index;
    for (size_t i = 0; i < v.words.size(); ++i) index.emplace(v.words[i], static_cast<int64_t>(i));  // first wins
    std::vector<int64_t> rows;
    std::vector<std::string> labels;
    if (has_top) {
      for (size_t i = 0; i < v.words.size() && static_cast<int64_t>(rows.size()) < top; ++i) {
        if (v.words[i] == "</s>" || index[v.words[i]] != static_cast<int64_t>(i)) continue;
        rows.push_back(static_cast<int64_t>(i));
        labels.push_back(v.words[i]);
      }
      if (rows.size() < 2) throw Error("'" + path + "' has fewer than 2 words to show");
    } else {
      std::vector<std::string> unknown;
      std::unordered_map<std::string, bool> seen;
      for (const auto& w : wanted) {
        if (seen[w]) continue;
        seen[w] = true;
        auto it = index.find(w);
        if (it == index.end()) {
          unknown.push_back(w);
          continue;
        }
        rows.push_back(it->second);
        labels.push_back(w);
      }
      if (rows.size() < 2)
        throw Error(unknown.empty() ? "a map needs at least 2 different words"
                                    : "not in the vocabulary of '" + path + "': " + joined(unknown) +
                                          " (a map needs at least 2 known words)");
      if (!unknown.empty())
        std::fprintf(stderr, "wembed plot: warning: not in the vocabulary, left out: %s\n", joined(unknown).c_str());
    }
    const int64_t n = static_cast<int64_t>(rows.size());
    if (n > kMaxWords)
      throw Error(std::to_string(n) + " words are too many for one map (at most " + std::to_string(kMaxWords) + ")");
    if (use_tsne && n > kTsneMaxPoints)
      throw Error("exact t-SNE takes at most " + std::to_string(kTsneMaxPoints) + " words (got " +
                  std::to_string(n) + "); use fewer words or --method pca");
    Matrix x(n, v.matrix.cols());
    for (int64_t i = 0; i < n; ++i) {
      const float* src = v.matrix.row(rows[i]);
      std::copy(src, src + v.matrix.cols(), x.row(i));
    }

    const std::string file = baseName(path);
    std::string subtitle = std::to_string(n) + " words · " + toString(topt.metric);
    std::vector<Point2> coords;
    if (use_tsne) {
      Stopwatch sw;
      if (!quiet)
        topt.progress = [&](int it, double kl) {
          showProgressLine("t-SNE: step " + std::to_string(it) + "/" + std::to_string(topt.iterations) +
                           ", KL " + fixed(kl, 4) + ", " + formatDuration(sw.seconds()));
        };
      const TsneResult r = tsne(x, topt);
      if (!quiet) endProgressLine();
      coords = r.points;
      subtitle += " · perplexity " + fixed(r.perplexity, r.perplexity == static_cast<int>(r.perplexity) ? 0 : 1) +
                  " · " + std::to_string(topt.iterations) + " steps · seed " + std::to_string(topt.seed) +
                  " · KL " + fixed(r.kl.back().second, 3);
      if (title.empty()) title = "t-SNE · " + file;
    } else {
      const PcaResult r = pca(x, topt.metric);
      coords = r.points;
      subtitle += " · PC1 " + fixed(100 * r.explained[0], 1) + "%, PC2 " + fixed(100 * r.explained[1], 1) +
                  "% of the variance";
      if (title.empty()) title = "PCA · " + file;
    }
    const WordMap map = layoutWordMap(coords, labels, title, subtitle, style);
    // The picture is renamed into place only once the summary below is out:
    // a failure to print it (a full disk) leaves no picture either.
    PendingFiles picture;
    writeWordMap(map, picture, out);
    // Labels that overlap another: a sweep over the boxes sorted by left edge.
    std::vector<size_t> byX(map.placed.size());
    for (size_t i = 0; i < byX.size(); ++i) byX[i] = i;
    std::sort(byX.begin(), byX.end(), [&](size_t a, size_t b) { return map.placed[a].box.x0 < map.placed[b].box.x0; });
    std::vector<bool> hit(byX.size(), false);
    for (size_t a = 0; a < byX.size(); ++a)
      for (size_t b = a + 1; b < byX.size() && map.placed[byX[b]].box.x0 < map.placed[byX[a]].box.x1; ++b)
        if (overlaps(map.placed[byX[a]].box, map.placed[byX[b]].box)) hit[byX[a]] = hit[byX[b]] = true;
    const long overlapping = std::count(hit.begin(), hit.end(), true);
    std::printf("wrote %s (%dx%d px): %s", out.c_str(), map.width, map.height, subtitle.c_str());
    if (overlapping) std::printf(" (%ld labels overlap another: try a larger --width)", overlapping);
    std::printf("\n");
    if (std::fflush(stdout) != 0 || std::ferror(stdout))
      throw sysError("cannot write to standard output");
    picture.commit();
    return 0;
  });
}

}  // namespace wembed::cli
