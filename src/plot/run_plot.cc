// The picture of a training run: laid out once as a Chart (drawing.h), then
// written as SVG (here) or PNG (png.cc).
#include "wembed/plot/run_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "drawing.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/utf8.h"
#include "wembed/plot/plot.h"

namespace wembed {

namespace plot_detail {

namespace {

std::string hexColor(unsigned c) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "#%06x", c & 0xffffff);
  return buf;
}

std::string svgMark(const Mark& k) {
  const std::string cls = k.series.empty() ? "" : " class=\"" + xmlEscape(k.series) + "\"";
  const std::string color = hexColor(k.color);
  switch (k.kind) {
    case Mark::kPolyline: {
      std::string pts;
      for (const Point2& p : k.points) pts += (pts.empty() ? "" : " ") + fmt(p.x) + "," + fmt(p.y);
      return "<polyline" + cls + " points=\"" + pts + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"" +
             fmt(k.width) + "\" stroke-linejoin=\"round\"" + (k.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n";
    }
    case Mark::kCircle:
      return "<circle" + cls + " cx=\"" + fmt(k.points[0].x) + "\" cy=\"" + fmt(k.points[0].y) + "\" r=\"" +
             fmt(k.width) + "\" fill=\"" + color + "\"/>\n";
    case Mark::kRect: {
      const Point2 a = k.points[0], b = k.points[1];
      return "<rect" + cls + " x=\"" + fmt(a.x) + "\" y=\"" + fmt(a.y) + "\" width=\"" + fmt(b.x - a.x) +
             "\" height=\"" + fmt(b.y - a.y) + "\"" +
             (k.filled ? " fill=\"" + color + "\"" : " fill=\"none\" stroke=\"" + color + "\"") + "/>\n";
    }
    case Mark::kText: {
      const std::string x = fmt(k.points[0].x), y = fmt(k.points[0].y);
      return "<text" + cls + " x=\"" + x + "\" y=\"" + y + "\" font-size=\"" + fmt(k.font_size) + "\" fill=\"" +
             color + "\"" + (k.bold ? " font-weight=\"bold\"" : "") +
             (k.anchor == 0 ? " text-anchor=\"middle\"" : k.anchor > 0 ? " text-anchor=\"end\"" : "") +
             (k.vertical ? " transform=\"rotate(-90 " + x + " " + y + ")\"" : "") + ">" + xmlEscape(k.text) +
             "</text>\n";
    }
  }
  return "";
}

}  // namespace

std::string chartSvg(const Chart& c) {
  const std::string w = std::to_string(c.width), h = std::to_string(c.height);
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w +
       " " + h + "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n";
  s += "<title>" + xmlEscape(c.title) + "</title>\n";
  s += "<rect x=\"0\" y=\"0\" width=\"" + w + "\" height=\"" + h + "\" fill=\"#ffffff\"/>\n";
  for (const Mark& k : c.marks) s += svgMark(k);
  s += "</svg>\n";
  return s;
}

}  // namespace plot_detail

using plot_detail::Chart;
using plot_detail::Mark;

namespace {

constexpr unsigned kLossColor = 0x2f6db5, kLrColor = 0xd9731f, kScoreColor = 0x2e8b47;
constexpr unsigned kInk = 0x444444, kGrid = 0xececec, kFrame = 0xb4b4b4;

// A value that can be placed on an axis (a huge one would overflow the scale).
bool plottable(double v) { return std::isfinite(v) && std::fabs(v) < 1e100; }

// An axis range with round ends and a round tick step.
struct Axis {
  double lo = 0, hi = 1, step = 0.2;
  double at(double v, double p0, double p1) const { return p0 + (v - lo) / (hi - lo) * (p1 - p0); }
  int ticks() const { return static_cast<int>(std::lround((hi - lo) / step)) + 1; }
};

Axis niceAxis(double lo, double hi, int target = 6) {
  if (!(hi > lo)) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
  return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, step};
}

// A tick value with as many decimals as the step needs.
std::string tickLabel(double v, double step) {
  int decimals = 0;
  while (decimals < 10 && std::fabs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) >
                              1e-6 * step * std::pow(10.0, decimals))
    ++decimals;
  char buf[40];
  if (std::fabs(v) >= 1e6 || decimals > 6) std::snprintf(buf, sizeof(buf), "%.3g", v);
  else std::snprintf(buf, sizeof(buf), "%.*f", decimals, std::fabs(v) < step * 1e-6 ? 0.0 : v);
  return buf;
}

Mark text(const std::string& s, Point2 at, double fs, unsigned color, int anchor = -1, bool vertical = false) {
  Mark m;
  m.kind = Mark::kText;
  m.text = s;
  m.points = {at};
  m.font_size = fs;
  m.color = color;
  m.anchor = anchor;
  m.vertical = vertical;
  return m;
}

Mark line(std::vector<Point2> pts, unsigned color, double width, const std::string& series = "", bool dashed = false) {
  Mark m;
  m.points = std::move(pts);
  m.color = color;
  m.width = width;
  m.series = series;
  m.dashed = dashed;
  return m;
}

Mark dot(Point2 at, unsigned color, double r, const std::string& series) {
  Mark m;
  m.kind = Mark::kCircle;
  m.points = {at};
  m.color = color;
  m.width = r;
  m.series = series;
  return m;
}

// What a panel plots against which axes, and what its axes are called.
struct PanelAxes {
  Axis x, left;
  const Axis* right = nullptr;  // none: no right axis
  std::string left_label, right_label, x_label;
  unsigned left_color = kInk, right_color = kInk;
  std::string left_suffix;      // after each left tick label ("%")
};

// A panel's grid, frame, ticks and axis labels around frame f.
void addPanel(Chart& c, const Box& f, const PanelAxes& a) {
  for (int i = 0; i < a.left.ticks(); ++i) {
    const double v = a.left.lo + i * a.left.step, y = a.left.at(v, f.y1, f.y0);
    c.marks.push_back(line({{f.x0, y}, {f.x1, y}}, kGrid, 1));
    c.marks.push_back(line({{f.x0 - 4, y}, {f.x0, y}}, kFrame, 1));
    c.marks.push_back(text(tickLabel(v, a.left.step) + a.left_suffix, {f.x0 - 7, y + 4}, 11, kInk, 1));
  }
  for (int i = 0; a.right && i < a.right->ticks(); ++i) {
    const double v = a.right->lo + i * a.right->step, y = a.right->at(v, f.y1, f.y0);
    c.marks.push_back(line({{f.x1, y}, {f.x1 + 4, y}}, kFrame, 1));
    c.marks.push_back(text(tickLabel(v, a.right->step), {f.x1 + 7, y + 4}, 11, kInk));
  }
  for (int i = 0; i < a.x.ticks(); ++i) {
    const double v = a.x.lo + i * a.x.step, x = a.x.at(v, f.x0, f.x1);
    c.marks.push_back(line({{x, f.y0}, {x, f.y1}}, kGrid, 1));
    c.marks.push_back(line({{x, f.y1}, {x, f.y1 + 4}}, kFrame, 1));
    c.marks.push_back(text(tickLabel(v, a.x.step), {x, f.y1 + 17}, 11, kInk, 0));
  }
  Mark frame;
  frame.kind = Mark::kRect;
  frame.points = {{f.x0, f.y0}, {f.x1, f.y1}};
  frame.color = kFrame;
  c.marks.push_back(frame);
  const double mid = (f.y0 + f.y1) / 2;
  c.marks.push_back(text(a.left_label, {18, mid}, 12, a.left_color, 0, true));
  if (a.right) c.marks.push_back(text(a.right_label, {c.width - 8.0, mid}, 12, a.right_color, 0, true));
  if (!a.x_label.empty()) c.marks.push_back(text(a.x_label, {(f.x0 + f.x1) / 2, f.y1 + 36}, 12, kInk, 0));
}

// The history's points that can be drawn, in data coordinates.
struct Cleaned {
  std::vector<Point2> loss, lr, scores;  // scores in percent
  int skipped = 0;                       // values left out
  bool lr_constant = false;
};

Cleaned clean(const RunHistory& h) {
  Cleaned c;
  for (const RunPoint& p : h.points) {
    if (!plottable(p.x)) {
      c.skipped += 2;  // its loss and lr
      continue;
    }
    if (plottable(p.loss)) c.loss.push_back({p.x, p.loss});
    else ++c.skipped;
    if (plottable(p.lr)) c.lr.push_back({p.x, p.lr});
    else ++c.skipped;
  }
  for (const EpochScore& s : h.scores) {
    if (plottable(s.x) && plottable(s.value)) c.scores.push_back({s.x, 100 * s.value});
    else ++c.skipped;
  }
  // Constant up to float rounding (a trainer may report its rate as a float).
  c.lr_constant = !c.lr.empty() && std::all_of(c.lr.begin(), c.lr.end(), [&](const Point2& p) {
    return std::fabs(p.y - c.lr.front().y) <= 1e-6 * std::fabs(c.lr.front().y);
  });
  return c;
}

// The range of the y (or x) values of some point lists; false if there are none.
bool range(std::initializer_list<const std::vector<Point2>*> lists, bool use_x, double& lo, double& hi) {
  bool any = false;
  for (const auto* l : lists)
    for (const Point2& p : *l) {
      const double v = use_x ? p.x : p.y;
      lo = any ? std::min(lo, v) : v;
      hi = any ? std::max(hi, v) : v;
      any = true;
    }
  return any;
}

std::vector<Point2> toPixels(const std::vector<Point2>& pts, const Axis& x, const Axis& y, const Box& f) {
  std::vector<Point2> out;
  out.reserve(pts.size());
  for (const Point2& p : pts) out.push_back({x.at(p.x, f.x0, f.x1), y.at(p.y, f.y1, f.y0)});
  return out;
}

// The legend row under the title: a sample of each line and its name.
void addLegend(Chart& c, const Cleaned& d, bool with_scores) {
  double x = 78;
  const double y = 50;
  auto entry = [&](const std::string& name, unsigned color, int sample) {  // 0 none, 1 line, 2 dashed, 3 dot
    if (sample == 3) c.marks.push_back(dot({x + 6, y - 4}, color, 3.5, ""));
    else if (sample) c.marks.push_back(line({{x, y - 4}, {x + 24, y - 4}}, color, 2, "", sample == 2));
    const double tx = x + (sample == 3 ? 16 : sample ? 30 : 0);
    c.marks.push_back(text(name, {tx, y}, 12, sample ? kInk : 0x777777));
    x = tx + textWidth(name, 12) + 22;
  };
  entry("loss", kLossColor, 1);
  if (d.lr_constant) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "learning rate %g (constant)", d.lr.front().y);
    entry(buf, kInk, 0);
  } else if (!d.lr.empty()) {
    entry("learning rate (right axis)", kLrColor, 2);
  }
  if (with_scores) entry("dev accuracy (end of each epoch)", kScoreColor, 3);
}

// The loss and learning rate panel.
void addLossPanel(Chart& c, const Box& f, const Cleaned& d, const Axis& x, const std::string& x_label) {
  double lo = 0, hi = 1, rlo = 0, rhi = 1;
  range({&d.loss}, false, lo, hi);
  const bool lr_axis = !d.lr_constant && range({&d.lr}, false, rlo, rhi);
  const Axis left = niceAxis(lo, hi), right = niceAxis(rlo, rhi);
  addPanel(c, f, {x, left, lr_axis ? &right : nullptr, "loss", "learning rate", x_label, kLossColor, kLrColor, ""});
  if (lr_axis) c.marks.push_back(line(toPixels(d.lr, x, right, f), kLrColor, 1.5, "lr", true));
  c.marks.push_back(line(toPixels(d.loss, x, left, f), kLossColor, 1.8, "loss"));
  if (d.loss.size() == 1) c.marks.push_back(dot(c.marks.back().points[0], kLossColor, 3, "loss-point"));
  if (d.loss.empty())
    c.marks.push_back(text("no loss recorded", {(f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2}, 13, 0x777777, 0));
}

// The per-epoch score panel, in percent.
void addScorePanel(Chart& c, const Box& f, const Cleaned& d, const Axis& x, const std::string& label,
                   const std::string& x_label) {
  double lo = 0, hi = 100;
  range({&d.scores}, false, lo, hi);
  Axis y = niceAxis(lo, hi, 4);
  y.lo = std::max(y.lo, std::min(0.0, lo));  // no ticks past 0% or 100% for a fraction
  y.hi = std::min(y.hi, std::max(100.0, hi));
  addPanel(c, f, {x, y, nullptr, label, "", x_label, kScoreColor, kInk, "%"});
  const std::vector<Point2> px = toPixels(d.scores, x, y, f);
  c.marks.push_back(line(px, kScoreColor, 1, "dev-accuracy-line"));
  for (size_t i = 0; i < px.size(); ++i) {
    c.marks.push_back(dot(px[i], kScoreColor, 4, "dev-accuracy"));
    if (px.size() <= 30) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.1f%%", d.scores[i].y);
      const double y = px[i].y - 8 < f.y0 + 10 ? px[i].y + 16 : px[i].y - 8;  // below a marker at the top
      c.marks.push_back(text(buf, {px[i].x, y}, 10, kInk, 0));
    }
  }
  if (d.scores.empty())
    c.marks.push_back(text("no " + label + " recorded", {(f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2}, 13, 0x777777, 0));
}

Chart layoutRunChart(const RunHistory& h, const RunPlotStyle& style) {
  const bool with_scores = !h.scores.empty();
  Chart c;
  c.width = style.width;
  c.height = style.height > 0 ? style.height : with_scores ? 680 : 480;
  if (c.width < 300 || c.height < 200) throw Error("a run plot needs at least 300x200 pixels");
  const Cleaned d = clean(h);
  c.title = validUtf8(h.title.empty() ? "training run" : h.title);
  if (d.skipped)
    c.title += " (" + std::to_string(d.skipped) + " non-finite value" + (d.skipped > 1 ? "s" : "") + " skipped)";
  c.marks.push_back(text(c.title, {12, 24}, 16, 0x222222));
  c.marks.back().bold = true;
  addLegend(c, d, with_scores);

  double xlo = 0, xhi = 1;
  range({&d.loss, &d.lr, &d.scores}, true, xlo, xhi);
  const Axis x = niceAxis(std::min(0.0, xlo), std::max(xhi, 0.0) > 0 ? xhi : 1);
  const double left = 78, right = c.width - (d.lr_constant || d.lr.empty() ? 24.0 : 78.0);
  const double top = 68, bottom = c.height - 48.0;
  const std::string x_label = validUtf8(h.x_label);
  if (!with_scores) {
    addLossPanel(c, {left, top, right, bottom}, d, x, x_label);
    return c;
  }
  const double split = top + (bottom - top - 40) * 0.6;
  addLossPanel(c, {left, top, right, split}, d, x, "");
  addScorePanel(c, {left, split + 40, right, bottom}, d, x, validUtf8(h.score_label), x_label);
  return c;
}

}  // namespace

void checkPlotPath(const std::string& path) {
  mapFormatFromPath(path);
  AtomicFile probe(path);  // the directory exists and takes a file; removed again
}

std::string runHistorySvg(const RunHistory& h, const RunPlotStyle& style) {
  return plot_detail::chartSvg(layoutRunChart(h, style));
}

void plotRunHistory(const RunHistory& h, const std::string& path, const RunPlotStyle& style) {
  const MapFormat format = mapFormatFromPath(path);
  const Chart chart = layoutRunChart(h, style);
  PendingFiles out;
  AtomicFile& f = out.open(path);
  if (format == MapFormat::kSvg) f.puts(plot_detail::chartSvg(chart));
  else plot_detail::writeChartPng(chart, f);
  out.commit();
}

}  // namespace wembed
