#pragma once
// What the SVG and PNG drawings of a word map share. Internal to the plot library.
#include <algorithm>

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

// Draws the same picture as toSvg with cairo and writes it as PNG to f.
void writePng(const WordMap& m, AtomicFile& f);

}  // namespace wembed::plot_detail
