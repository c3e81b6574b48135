#pragma once
// What the SVG and PNG drawings share. Internal to the plot library.
#include <algorithm>
#include <string>
#include <vector>

#include "wembed/core/io.h"
#include "wembed/plot/plot.h"

namespace wembed::plot_detail {

constexpr double kPad = 1;  // around the text in a label box, px

// The point of b nearest to p (the end of a leader line).
inline Point2 nearestOn(const Box& b, const Point2& p) {
  return {std::clamp(p.x, b.x0, b.x1), std::clamp(p.y, b.y0, b.y1)};
}

// The text baseline in a label box of the given font size.
inline double baseline(const Box& b, double fs) { return b.y0 + kPad + fs * 0.93; }

// A pixel coordinate in SVG: one decimal, no trailing ".0".
std::string fmt(double v);
// Text and attribute values for XML (control characters become U+FFFD).
std::string xmlEscape(const std::string& s);

// Draws the same picture as toSvg with cairo and writes it as PNG to f.
void writePng(const WordMap& m, AtomicFile& f);

// A chart as a list of marks, drawn alike as SVG (chartSvg) and with cairo
// (writeChartPng): the run history pictures are laid out once as a Chart.
struct Mark {
  enum Kind { kPolyline, kCircle, kRect, kText } kind = kPolyline;
  std::vector<Point2> points;  // polyline: its points; circle and text: the centre or anchor; rect: two corners
  unsigned color = 0;          // 0xRRGGBB: the stroke, or the fill of circles, filled rects and text
  double width = 1;            // the stroke width; a circle's radius
  bool dashed = false;
  bool filled = false;         // rect
  std::string text;
  double font_size = 12;
  bool bold = false;
  int anchor = -1;             // text: -1 starts, 0 centred on, 1 ends at the anchor
  bool vertical = false;       // text: turned to read upwards
  std::string series;          // SVG class of the mark (e.g. "loss"), for readers and tests
};

struct Chart {
  int width = 0, height = 0;
  std::string title;
  std::vector<Mark> marks;  // drawn in order, on white
};

std::string chartSvg(const Chart& c);
void writeChartPng(const Chart& c, AtomicFile& f);

}  // namespace wembed::plot_detail
