#include "wembed/plot/plot_vectors.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "wembed/core/error.h"
#include "wembed/core/progress.h"
#include "wembed/core/range_check.h"
#include "wembed/vectors/index.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

namespace {

std::string baseName(const std::string& p) {
  const size_t s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

std::string joined(const std::vector<std::string>& v, size_t max_shown = 20) {
  std::string s;
  for (size_t i = 0; i < v.size() && i < max_shown; ++i) s += (i ? ", " : "") + v[i];
  if (v.size() > max_shown) s += ", ... (" + std::to_string(v.size()) + " in all)";
  return s;
}

void checkArgs(const PlotArgs& a) {
  if (a.vectors.empty()) throw Error("no vector file given");
  if (a.output.empty()) throw Error("no picture to write: give -o map.svg (or .png)");
  if (!a.words.empty() && a.top != 0) throw Error("give either --words w1,w2,... or --top N");
  if (a.words.empty()) checkRange("--top", a.top, Range::closed(2, kMaxMapWords));
  a.tsne.validate();
  a.style.validate();
  checkRowLimit(a.limit);
}

// The words to show: their rows in the file (-1: composed from n-grams) and labels.
struct Chosen {
  std::vector<int64_t> rows;
  std::vector<std::string> labels;
  std::vector<std::string> composed;  // the words outside the vocabulary given a vector, in order
};

// The first `top` words, or the words asked for (with subwords, one outside
// the vocabulary is composed from its n-grams and labelled with a '*').
Chosen chooseWords(const PlotArgs& a, const WordIndex& index, const Subwords* subwords) {
  Chosen c;
  if (a.words.empty()) {
    for (int32_t i = 0; i < index.size() && static_cast<int64_t>(c.rows.size()) < a.top; ++i) {
      if (index.word(i) == "</s>") continue;
      c.rows.push_back(index.sourceRow(i));
      c.labels.push_back(index.word(i));
    }
    if (c.rows.size() < 2) throw Error("'" + a.vectors + "' has fewer than 2 words to show");
    return c;
  }
  std::vector<std::string> unknown;
  std::unordered_set<std::string> seen;
  std::vector<int32_t> ngrams;
  for (const auto& w : a.words) {
    if (!seen.insert(w).second) continue;
    const int32_t i = index.find(w);
    ngrams.clear();
    if (i < 0 && subwords) appendSubwords(w, subwords->args, ngrams);
    if (i < 0 && ngrams.empty()) {
      unknown.push_back(w);
      continue;
    }
    c.rows.push_back(i < 0 ? -1 : index.sourceRow(i));
    c.labels.push_back(i < 0 ? w + "*" : w);
    if (i < 0) c.composed.push_back(w);
  }
  if (c.rows.size() < 2)
    throw Error(unknown.empty() ? "a map needs at least 2 different words"
                                : "not in the vocabulary of '" + a.vectors + "': " + joined(unknown) +
                                      " (a map needs at least 2 known words)");
  if (!unknown.empty() && a.warning) a.warning("not in the vocabulary, left out: " + joined(unknown));
  if (!c.composed.empty() && a.warning)
    a.warning("not in the vocabulary, composed from n-grams (labelled '*'): " + joined(c.composed));
  return c;
}

// The chosen rows, projected; the subtitle gets the projection's numbers.
std::vector<Point2> project(const PlotArgs& a, const Matrix& x, std::string& title, std::string& subtitle) {
  const std::string file = baseName(a.vectors);
  if (!a.use_tsne) {
    const PcaResult r = pca(x, a.tsne.metric);
    subtitle += " · PC1 " + fixed(100 * r.explained[0], 1) + "%, PC2 " + fixed(100 * r.explained[1], 1) +
                "% of the variance";
    if (title.empty()) title = "PCA · " + file;
    return r.points;
  }
  TsneArgs opt = a.tsne;
  Stopwatch sw;
  if (a.progress)
    opt.progress = [&](int it, double kl) {
      showProgressLine("t-SNE: step " + std::to_string(it) + "/" + std::to_string(opt.iterations) + ", KL " +
                       fixed(kl, 4) + ", " + formatDuration(sw.seconds()));
    };
  const TsneResult r = tsne(x, opt);
  if (a.progress) endProgressLine();
  subtitle += " · perplexity " + fixed(r.perplexity, r.perplexity == static_cast<int>(r.perplexity) ? 0 : 1) +
              " · " + std::to_string(opt.iterations) + " steps · seed " + std::to_string(opt.seed) + " · KL " +
              fixed(r.kl.back().second, 3);
  if (title.empty()) title = "t-SNE · " + file;
  return r.points;
}

// Labels that overlap another: a sweep over the boxes sorted by left edge.
int64_t overlapping(const WordMap& map) {
  std::vector<size_t> byX(map.placed.size());
  for (size_t i = 0; i < byX.size(); ++i) byX[i] = i;
  std::sort(byX.begin(), byX.end(), [&](size_t a, size_t b) { return map.placed[a].box.x0 < map.placed[b].box.x0; });
  std::vector<bool> hit(byX.size(), false);
  for (size_t a = 0; a < byX.size(); ++a)
    for (size_t b = a + 1; b < byX.size() && map.placed[byX[b]].box.x0 < map.placed[byX[a]].box.x1; ++b)
      if (overlaps(map.placed[byX[a]].box, map.placed[byX[b]].box)) hit[byX[a]] = hit[byX[b]] = true;
  return std::count(hit.begin(), hit.end(), true);
}

}  // namespace

PlotSummary plotVectors(const PlotArgs& a, PendingFiles& picture) {
  checkArgs(a);
  mapFormatFromPath(a.output);
  FilePlan plan;
  planVectorInput(plan, "--vectors", a.vectors);
  plan.write("--output", a.output);
  plan.check();
  checkVectorFile(a.vectors);
  { AtomicFile probe(a.output); }  // fail now, not after the projection, if it cannot be written

  return plotVectors(a, loadVectors(a.vectors, a.format, a.limit), picture);
}

PlotSummary plotVectors(const PlotArgs& a, Vectors v, PendingFiles& picture) {
  checkArgs(a);
  if (v.subwords && v.subwords->buckets.cols() != v.matrix.cols())
    throw Error("bad vector file '" + a.vectors + "': its n-gram rows and word rows differ in length");
  const WordIndex index(std::move(v.words));
  const Chosen c = chooseWords(a, index, v.subwords.get());
  const int64_t n = static_cast<int64_t>(c.rows.size());
  if (n > kMaxMapWords)
    throw Error(std::to_string(n) + " words are too many for one map (at most " + std::to_string(kMaxMapWords) + ")");
  if (a.use_tsne && n > kTsneMaxPoints)
    throw Error("exact t-SNE takes at most " + std::to_string(kTsneMaxPoints) + " words (got " + std::to_string(n) +
                "); use fewer words or --method pca");
  Matrix x(n, v.matrix.cols());
  for (int64_t i = 0, composed = 0; i < n; ++i) {
    if (c.rows[i] < 0) {
      v.subwords->compose(c.composed[static_cast<size_t>(composed++)], x.row(i));
      continue;
    }
    const float* src = v.matrix.row(c.rows[i]);
    std::copy(src, src + v.matrix.cols(), x.row(i));
  }
  PlotSummary s;
  std::string title = a.title;
  s.subtitle = std::to_string(n) + " words";
  if (!c.composed.empty()) s.subtitle += " (" + std::to_string(c.composed.size()) + "* composed from n-grams)";
  s.subtitle += " · " + toString(a.tsne.metric);
  const std::vector<Point2> coords = project(a, x, title, s.subtitle);
  const WordMap map = layoutWordMap(coords, c.labels, title, s.subtitle, a.style);
  writeWordMap(map, picture, a.output);
  s.width = map.width;
  s.height = map.height;
  s.overlapping = overlapping(map);
  return s;
}

}  // namespace wembed
