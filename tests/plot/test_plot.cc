#include <doctest/doctest.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "plot/svg_checks.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/plot/plot.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::q;
using testutil::runWembed;
using testutil::TempDir;
using plottest::count, plottest::pngSize, plottest::xmlProblem;

namespace {

bool noOverlaps(const std::vector<PlacedLabel>& placed) {
  for (size_t i = 0; i < placed.size(); ++i)
    for (size_t j = i + 1; j < placed.size(); ++j)
      if (overlaps(placed[i].box, placed[j].box)) return false;
  return true;
}

}  // namespace

TEST_CASE("plot: boxes and text widths") {
  CHECK(overlaps({0, 0, 10, 10}, {5, 5, 15, 15}));
  CHECK_FALSE(overlaps({0, 0, 10, 10}, {10, 0, 20, 10}));  // touching edges
  CHECK_FALSE(overlaps({0, 0, 10, 10}, {0, 11, 10, 20}));
  CHECK(overlapArea({0, 0, 10, 10}, {5, 5, 15, 15}) == 25);
  CHECK(overlapArea({0, 0, 10, 10}, {20, 20, 30, 30}) == 0);
  CHECK(textWidth("", 12) == 0);
  CHECK(textWidth("a", 10) == doctest::Approx(6.13));
  CHECK(textWidth("mm", 10) == doctest::Approx(19.48));
  CHECK(textWidth("W", 20) > textWidth("i", 20) * 3);
  CHECK(textWidth("caf\xc3\xa9", 10) == doctest::Approx((550 + 613 + 352 + 650) / 100.0));
  CHECK(textWidth("\xe4\xb8\xad\xe6\x96\x87", 10) == doctest::Approx(20));  // two wide characters
  CHECK(textWidth("e\xcc\x81", 10) == doctest::Approx(6.15));               // combining accent adds nothing
  CHECK(textWidth("\xff", 10) == doctest::Approx(6.5));                     // an invalid byte is one character
  CHECK(validUtf8("ok \xc3\xa9 \xe4\xb8\xad") == "ok \xc3\xa9 \xe4\xb8\xad");
  CHECK(validUtf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  CHECK(validUtf8("\xc3") == "\xef\xbf\xbd");              // cut in the middle
  CHECK(validUtf8("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");  // overlong
  CHECK(validUtf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
}

TEST_CASE("plot: label placement avoids overlaps on a crowded input") {
  // A 6 x 5 grid (spacing 50 x 22) with 40 x 14 labels: right of each point
  // does not fit beside the next column's point, so labels must move; plus
  // a tight clump of 6 points in open space, and points at the edges with
  // long labels that only fit on their inner side.
  std::vector<Point2> pts, sizes;
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 6; ++c) {
      pts.push_back({100.0 + 50 * c, 100.0 + 22 * r});
      sizes.push_back({40, 14});
    }
  for (int k = 0; k < 6; ++k) {
    pts.push_back({600 + 4.0 * (k % 3), 300 + 4.0 * (k / 3)});
    sizes.push_back({30 + 5.0 * k, 14});
  }
  const Box bounds{0, 0, 800, 500};
  pts.push_back({798, 250});
  sizes.push_back({120, 14});
  pts.push_back({2, 495});
  sizes.push_back({120, 14});
  pts.push_back({400, 1});
  sizes.push_back({60, 14});
  const double radius = 3;
  const auto placed = placeLabels(pts, sizes, bounds, radius);
  REQUIRE(placed.size() == pts.size());
  CHECK(noOverlaps(placed));
  int leaders = 0;
  for (size_t i = 0; i < placed.size(); ++i) {
    INFO("label " << i);
    const Box& b = placed[i].box;
    CHECK(b.width() == doctest::Approx(sizes[i].x));
    CHECK(b.height() == doctest::Approx(sizes[i].y));
    CHECK(b.x0 >= bounds.x0);
    CHECK(b.y0 >= bounds.y0);
    CHECK(b.x1 <= bounds.x1);
    CHECK(b.y1 <= bounds.y1);
    for (const auto& p : pts) CHECK_FALSE(overlaps(b, {p.x - radius, p.y - radius, p.x + radius, p.y + radius}));
    // A label without a leader line touches its point's neighbourhood.
    const double dx = std::max({b.x0 - pts[i].x, 0.0, pts[i].x - b.x1});
    const double dy = std::max({b.y0 - pts[i].y, 0.0, pts[i].y - b.y1});
    if (!placed[i].leader) CHECK(std::hypot(dx, dy) <= radius + 2 + 1e-9);
    leaders += placed[i].leader;
  }
  CHECK(leaders > 0);  // the clump needs some
  CHECK(leaders < static_cast<int>(pts.size()) / 2);
  // Free space: every label sits right of its point.
  const auto easy = placeLabels({{100, 100}, {100, 200}, {300, 150}}, {{50, 14}, {50, 14}, {50, 14}}, bounds, 3);
  for (size_t i = 0; i < easy.size(); ++i) {
    CHECK_FALSE(easy[i].leader);
    CHECK(easy[i].box.x0 == doctest::Approx(100.0 + 5 + (i == 2 ? 200 : 0)));
  }
  // More labels than room: every point still gets a box, inside the bounds.
  std::vector<Point2> jam(40, {50, 50}), jamSizes(40, {80, 14});
  const auto j = placeLabels(jam, jamSizes, {0, 0, 100, 100}, 3);
  REQUIRE(j.size() == 40);
  for (const auto& l : j) CHECK(l.box.x1 <= 100 + 1e-9);
  CHECK(placeLabels({}, {}, bounds, 3).empty());
}

TEST_CASE("plot: the map keeps the shape of the points") {
  const std::vector<Point2> coords{{0, 0}, {2, 0}, {0, 1}, {-1, -1}};
  const std::vector<std::string> labels{"origin", "east", "north", "southwest"};
  MapStyle style;
  style.width = 600;
  const WordMap m = layoutWordMap(coords, labels, "Title", "sub", style);
  CHECK(m.width == 600);
  CHECK(m.height >= 300);
  REQUIRE(m.points.size() == 4);
  // One scale on both axes, y pointing up.
  const double sx = (m.points[1].x - m.points[0].x) / 2;
  CHECK(sx > 0);
  CHECK(m.points[0].y - m.points[2].y == doctest::Approx(sx));
  CHECK(m.points[3].x - m.points[0].x == doctest::Approx(-sx));
  CHECK(m.points[3].y - m.points[0].y == doctest::Approx(sx));
  for (size_t i = 0; i < 4; ++i) {
    CHECK(m.points[i].x > m.frame.x0);
    CHECK(m.points[i].x < m.frame.x1);
    CHECK(m.points[i].y > m.frame.y0);
    CHECK(m.points[i].y < m.frame.y1);
    CHECK(m.placed[i].box.x0 >= m.frame.x0);
    CHECK(m.placed[i].box.x1 <= m.frame.x1);
  }
  CHECK(noOverlaps(m.placed));
  // All points in one place, one point: no division by zero.
  const WordMap same = layoutWordMap({{1, 1}, {1, 1}}, {"a", "b"}, "t", "");
  for (const auto& p : same.points) CHECK(std::isfinite(p.x));
  CHECK(same.width == 900);
  CHECK_THROWS_AS(layoutWordMap({{0, 0}}, {"a", "b"}, "t", ""), Error);
  style.font_size = 0;
  CHECK_THROWS_AS(layoutWordMap(coords, labels, "t", "", style), Error);
}

TEST_CASE("plot: coordinates that are not finite (a diverged projection) are refused, never drawn") {
  const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  for (const Point2 bad : {Point2{nan, 0}, Point2{0, inf}, Point2{-inf, 1}, Point2{1e200, 0}}) {
    CAPTURE(bad.x);
    CHECK_THROWS_WITH_AS(layoutWordMap({{0, 0}, bad, {1, 1}}, {"a", "b", "c"}, "t", ""),
                         doctest::Contains("word map: point 2 lies at ("), Error);
  }
  // Far apart but drawable.
  const WordMap m = layoutWordMap({{-1e90, 0}, {1e90, 1e90}}, {"a", "b"}, "t", "");
  for (const auto& p : m.points) CHECK((std::isfinite(p.x) && std::isfinite(p.y)));
  CHECK(toSvg(m).find("nan") == std::string::npos);
  // The style's ranges, named as the flags are.
  MapStyle s;
  s.width = 50;
  CHECK_THROWS_WITH_AS(s.validate(), "--width must be 0 (auto) or in [100, 20000], not 50", Error);
  s = MapStyle{};
  s.font_size = std::nan("");
  CHECK_THROWS_WITH_AS(s.validate(), "--font-size must be in [4, 200], not nan", Error);
}

TEST_CASE("plot: SVG is well-formed and holds every label") {
  const std::vector<std::string> labels{"a&b", "<tag>", "\"quoted\"", "it's", "caf\xc3\xa9", "bad\xff" "byte",
                                        "plain"};
  std::vector<Point2> coords;
  for (size_t i = 0; i < labels.size(); ++i) coords.push_back({std::cos(i * 0.9) * i, std::sin(i * 0.9) * i});
  const WordMap m = layoutWordMap(coords, labels, "PCA \xc2\xb7 v&v.bin", "7 words < 8", {});
  const std::string svg = toSvg(m);
  CHECK(xmlProblem(svg) == "");
  CHECK(xmlProblem("<svg><g></svg>") != "");  // the checker does check
  CHECK(xmlProblem("<svg>a & b</svg>") != "");
  for (const char* want : {">a&amp;b<", ">&lt;tag&gt;<", ">&quot;quoted&quot;<", ">it&apos;s<", ">caf\xc3\xa9<",
                           ">bad\xef\xbf\xbd" "byte<", ">plain<", "PCA \xc2\xb7 v&amp;v.bin", "7 words &lt; 8"}) {
    INFO(want);
    CHECK(svg.find(want) != std::string::npos);
  }
  CHECK(count(svg, "<circle ") == labels.size());
  CHECK(count(svg, "<text ") == labels.size() + 2);  // labels, title, subtitle
  CHECK(svg.find("width=\"900\"") != std::string::npos);
}

TEST_CASE("plot: writing SVG and PNG files") {
  TempDir d;
  const WordMap m = layoutWordMap({{0, 0}, {1, 1}, {2, 0}}, {"one", "two", "three"}, "t", "s", {400, 300, 12, 3});
  writeWordMap(m, d.file("map.svg"));
  CHECK(xmlProblem(testutil::readFile(d.file("map.svg"))) == "");
  writeWordMap(m, d.file("map.PNG"));
  const std::string png = testutil::readFile(d.file("map.PNG"));
  REQUIRE(png.size() > 100);
  CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(pngSize(png) == std::pair<uint32_t, uint32_t>(400, 300));
  CHECK((mapFormatFromPath("a/b.svg") == MapFormat::kSvg));
  CHECK_THROWS_WITH_AS(writeWordMap(m, d.file("map.jpg")), doctest::Contains(".svg or .png"), Error);
  CHECK_THROWS_AS(mapFormatFromPath("dir.svg/map"), Error);
  CHECK_THROWS_AS(writeWordMap(m, d.file("missing/map.svg")), Error);
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"map.PNG", "map.svg"});
}

namespace {

// Vectors with four clear groups, for the CLI.
std::string writeGroups(const TempDir& d) {
  std::vector<std::pair<std::string, std::vector<float>>> rows;
  const char* groups[4][4] = {{"paris", "berlin", "rome", "madrid"},
                              {"monday", "tuesday", "friday", "sunday"},
                              {"one", "two", "three", "four"},
                              {"red", "green", "blue", "black"}};
  for (int g = 0; g < 4; ++g)
    for (int k = 0; k < 4; ++k) {
      std::vector<float> v(8, 0.05f * k);
      v[2 * g] = 1;
      v[2 * g + 1] = 0.2f * k;
      rows.push_back({groups[g][k], v});
    }
  rows.insert(rows.begin(), {"</s>", std::vector<float>(8, 0.3f)});
  const std::string path = d.file("v.txt");
  const Vectors v = testutil::makeVectors(rows);
  saveWord2vec(path, v.words, v.matrix, false);
  return path;
}

void checkPlotFailure(const testutil::RunResult& r, const std::string& outdir, const std::string& what,
                      const std::string& mention = "") {
  testutil::checkFailure(r, std::vector<std::string>{outdir}, what, mention, "plot");
}

}  // namespace

TEST_CASE("plot: the command line") {
  TempDir d;
  const std::string vec = writeGroups(d);
  const std::string out = d.subdir("out");
  auto r = runWembed("plot --help", d);
  CHECK(r.status == 0);
  for (const char* opt : {"--words", "--top", "--out", "--method", "--perplexity", "--iterations", "--seed"})
    CHECK(r.out.find(opt) != std::string::npos);
  r = runWembed("--help", d);
  CHECK(r.out.find("plot") != std::string::npos);

  // PCA with an unknown word: a warning names it, the map has the others.
  r = runWembed("plot " + q(vec) + " --words paris,berlin,rome,monday,sunday,nowhere,one,two --out " +
                    q(out + "/pca.svg"),
                d);
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.err.find("warning") != std::string::npos);
  CHECK(r.err.find("nowhere") != std::string::npos);
  CHECK(r.out.find("7 words") != std::string::npos);
  std::string svg = testutil::readFile(out + "/pca.svg");
  CHECK(xmlProblem(svg) == "");
  CHECK(count(svg, "<circle ") == 7);
  CHECK(svg.find(">PCA \xc2\xb7 v.txt<") != std::string::npos);
  CHECK(svg.find(">nowhere<") == std::string::npos);

  // t-SNE of the 12 most frequent words ('</s>' skipped), repeated words in
  // --words are shown once, PNG output, the same picture for the same seed.
  const std::string tsneArgs = "plot " + q(vec) + " --top 12 --method tsne --perplexity 3 --iterations 300 -q ";
  r = runWembed(tsneArgs + "--out " + q(out + "/t1.svg"), d);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  r = runWembed(tsneArgs + "--out " + q(out + "/t2.svg"), d);
  CHECK(r.status == 0);
  svg = testutil::readFile(out + "/t1.svg");
  CHECK(svg == testutil::readFile(out + "/t2.svg"));
  CHECK(count(svg, "<circle ") == 12);
  CHECK(svg.find("&lt;/s&gt;") == std::string::npos);
  CHECK(svg.find(">t-SNE \xc2\xb7 v.txt<") != std::string::npos);
  CHECK(svg.find("perplexity 3") != std::string::npos);
  r = runWembed("plot " + q(vec) + " --words red,red,blue --words green --out " + q(out + "/m.png") +
                    " --width 300 --height 200 --title 'Colours'",
                d);
  CHECK(r.status == 0);
  const std::string png = testutil::readFile(out + "/m.png");
  CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(pngSize(png) == std::pair<uint32_t, uint32_t>(300, 200));
  CHECK(r.out.find("3 words") != std::string::npos);

  // Errors: one line, exit 1, nothing written.
  const std::string bad = d.subdir("bad");
  const std::string o = " --out " + q(bad + "/m.svg");
  checkPlotFailure(runWembed("plot " + q(vec) + " --words paris,rome", d), bad, "no -o", "give -o");
  checkPlotFailure(runWembed("plot --words paris,rome" + o, d), bad, "no vectors", "vector file");
  checkPlotFailure(runWembed("plot " + q(vec) + o, d), bad, "neither --words nor --top", "--top");
  checkPlotFailure(runWembed("plot " + q(vec) + " --words paris,rome --top 3" + o, d), bad, "both", "either");
  checkPlotFailure(runWembed("plot " + q(vec) + " --words xx,yy" + o, d), bad, "all unknown", "xx, yy");
  checkPlotFailure(runWembed("plot " + q(vec) + " --words paris,yy" + o, d), bad, "one known", "yy");
  checkPlotFailure(runWembed("plot " + q(vec) + " --words , " + o, d), bad, "empty list", "no word");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 1" + o, d), bad, "top 1", "--top");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 5 --method umap" + o, d), bad, "method", "umap");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 5 --metric manhattan" + o, d), bad, "metric", "manhattan");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 5 --method tsne --perplexity 0" + o, d), bad, "perplexity");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 5 --method tsne --iterations 0" + o, d), bad, "iterations");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 5 --width 10" + o, d), bad, "width");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 5 --font-size 0" + o, d), bad, "font size");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 5 --out " + q(bad + "/m.jpg"), d), bad, "extension", ".png");
  checkPlotFailure(runWembed("plot " + q(vec) + " --top 5 --out " + q(bad + "/no/m.svg"), d), bad, "no directory",
               "does not exist");
  checkPlotFailure(runWembed("plot " + q(d.file("missing.bin")) + " --top 5" + o, d), bad, "missing vectors",
               "missing.bin");
  testutil::writeFile(d.file("broken.txt"), "3 2\na 1 2\nb 1\n");
  checkPlotFailure(runWembed("plot " + q(d.file("broken.txt")) + " --top 2" + o, d), bad, "malformed vectors",
               "broken.txt");
}
