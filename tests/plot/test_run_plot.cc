#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "plot/svg_checks.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/plot/run_plot.h"

using namespace wembed;
using plottest::count, plottest::pngSize, plottest::xmlProblem;
using testutil::TempDir;

namespace {

// The number of x,y pairs in the polyline of class `series` (-1: none).
int polylinePoints(const std::string& svg, const std::string& series) {
  const size_t at = svg.find("<polyline class=\"" + series + "\" points=\"");
  if (at == std::string::npos) return -1;
  const size_t start = svg.find("points=\"", at) + 8;
  const std::string pts = svg.substr(start, svg.find('"', start) - start);
  return pts.empty() ? 0 : static_cast<int>(count(pts, " ")) + 1;
}

// A word2vec-like run: loss and learning rate falling over 3 epochs.
RunHistory falling(int n) {
  RunHistory h;
  h.title = "train: skip-gram";
  for (int i = 1; i <= n; ++i) h.points.push_back({3.0 * i / n, 3.0 - 1.5 * i / n, 0.025 * (1 - double(i) / n)});
  return h;
}

}  // namespace

TEST_CASE("run plot: the SVG has one loss and one lr point per report, axes and labels") {
  const std::string svg = runHistorySvg(falling(40));
  CHECK(xmlProblem(svg) == "");
  CHECK(polylinePoints(svg, "loss") == 40);
  CHECK(polylinePoints(svg, "lr") == 40);
  CHECK(svg.find(">train: skip-gram</text>") != std::string::npos);
  for (const char* label : {">loss</text>", ">learning rate</text>", ">epoch</text>", ">learning rate (right axis)<"})
    CHECK_MESSAGE(svg.find(label) != std::string::npos, label);
  // x ticks every half epoch over 0..3, loss ticks every 0.25 from 1.5, lr ticks up to 0.025.
  for (const char* tick : {">0.0</text>", ">0.5</text>", ">3.0</text>", ">1.50</text>", ">1.75</text>", ">0.025</text>"})
    CHECK_MESSAGE(svg.find(tick) != std::string::npos, tick);
  CHECK(svg.find("dev-accuracy") == std::string::npos);  // no scores, no score panel
  CHECK(svg.find("height=\"480\"") != std::string::npos);
}

TEST_CASE("run plot: a constant learning rate is named in the legend, not drawn") {
  RunHistory h = falling(10);
  for (auto& p : h.points) p.lr = 0.05;
  const std::string svg = runHistorySvg(h);
  CHECK(polylinePoints(svg, "loss") == 10);
  CHECK(polylinePoints(svg, "lr") == -1);
  CHECK(svg.find("learning rate 0.05 (constant)") != std::string::npos);
}

TEST_CASE("run plot: dev accuracy per epoch in its own panel") {
  RunHistory h = falling(12);
  h.scores = {{1, 0.7}, {2, 0.8}, {3, 0.85}};
  const std::string svg = runHistorySvg(h);
  CHECK(xmlProblem(svg) == "");
  CHECK(count(svg, "<circle class=\"dev-accuracy\"") == 3);
  CHECK(polylinePoints(svg, "dev-accuracy-line") == 3);
  CHECK(svg.find(">dev accuracy</text>") != std::string::npos);
  CHECK(svg.find(">85.0%</text>") != std::string::npos);
  CHECK(svg.find("height=\"680\"") != std::string::npos);
}

TEST_CASE("run plot: values that are not finite are skipped and the title says so") {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  RunHistory h = falling(10);
  h.points[3].loss = nan;
  h.points[5].loss = inf;
  h.points[7].lr = -inf;
  h.points[8].x = nan;  // the whole report: its loss and lr
  h.scores = {{1, 0.5}, {2, nan}, {3, 0.75}};
  const std::string svg = runHistorySvg(h);
  CHECK(xmlProblem(svg) == "");
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  CHECK(polylinePoints(svg, "loss") == 7);
  CHECK(polylinePoints(svg, "lr") == 8);
  CHECK(count(svg, "<circle class=\"dev-accuracy\"") == 2);
  CHECK(svg.find("(6 non-finite values skipped)") != std::string::npos);

  // Nothing to draw at all is a picture that says so, not a crash.
  RunHistory none;
  none.points = {{nan, nan, nan}};
  const std::string empty = runHistorySvg(none);
  CHECK(xmlProblem(empty) == "");
  CHECK(empty.find("no loss recorded") != std::string::npos);
  CHECK(empty.find("(2 non-finite values skipped)") != std::string::npos);
  CHECK(xmlProblem(runHistorySvg(RunHistory{})) == "");
}

TEST_CASE("run plot: a single report and flat values still draw") {
  RunHistory h;
  h.points = {{1, 0.5, 0.001}};
  h.scores = {{1, 1.0}};
  const std::string svg = runHistorySvg(h);
  CHECK(xmlProblem(svg) == "");
  CHECK(polylinePoints(svg, "loss") == 1);
  CHECK(count(svg, "<circle class=\"loss-point\"") == 1);
  CHECK(svg.find(">100.0%</text>") != std::string::npos);
}

TEST_CASE("run plot: files by extension, atomically; PNG of the requested size; bad names refused") {
  TempDir d;
  RunHistory h = falling(30);
  h.scores = {{1, 0.6}, {2, 0.7}, {3, 0.65}};
  plotRunHistory(h, d.file("run.svg"));
  const std::string svg = testutil::readFile(d.file("run.svg"));
  CHECK(xmlProblem(svg) == "");
  CHECK(svg == runHistorySvg(h));
  plotRunHistory(h, d.file("run.PNG"), RunPlotStyle{640, 400});
  const std::string png = testutil::readFile(d.file("run.PNG"));
  REQUIRE(png.size() > 100);
  CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(pngSize(png) == std::pair<uint32_t, uint32_t>(640, 400));
  plotRunHistory(h, d.file("default.png"));
  CHECK(pngSize(testutil::readFile(d.file("default.png"))) == std::pair<uint32_t, uint32_t>(900, 680));

  CHECK_THROWS_WITH_AS(checkPlotPath(d.file("run.pdf")), doctest::Contains(".svg or .png"), Error);
  CHECK_THROWS_WITH_AS(checkPlotPath(d.file("run")), doctest::Contains(".svg or .png"), Error);
  CHECK_THROWS_WITH_AS(checkPlotPath(d.file("no/such/dir/run.svg")), doctest::Contains("does not exist"), Error);
  CHECK_NOTHROW(checkPlotPath(d.file("new.svg")));
  CHECK_THROWS_AS(plotRunHistory(h, d.file("run.jpg")), Error);
  CHECK_THROWS_WITH_AS(plotRunHistory(h, d.file("tiny.svg"), RunPlotStyle{100, 100}),
                       doctest::Contains("300x200"), Error);
  // Only the pictures asked for, no temporary files left behind.
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"default.png", "run.PNG", "run.svg"});
}
