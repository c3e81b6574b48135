#pragma once
// A word map: 2-D points with labels placed so that they do not overlap
// where avoidable, drawn as SVG (or PNG through cairo).
#include <string>
#include <vector>

#include "wembed/core/io.h"
#include "wembed/core/utf8.h"  // validUtf8: labels and titles are made valid UTF-8
#include "wembed/plot/projection.h"

namespace wembed {

// Axis-aligned box in pixels (y grows downwards).
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};
// True if the boxes share interior area (touching edges do not count).
bool overlaps(const Box& a, const Box& b);
double overlapArea(const Box& a, const Box& b);

// Advance width of UTF-8 text in DejaVu Sans (the metrics of its ASCII
// glyphs; other characters 0.65 em, East Asian wide ones 1 em).
double textWidth(const std::string& utf8, double font_size);

struct PlacedLabel {
  Box box;
  bool leader = false;  // placed away from its point: draw a line to it
};

// Greedy label placement. Each point (pixel centre, drawn as a disc of
// point_radius) gets a label box of sizes[i] (width, height). Candidates are
// tried nearest first: 8 positions touching the point (right, left, above,
// below, the corners, and right/left slid up and down), then rings further
// out in 16 directions (with a leader line). The first candidate inside
// `bounds` that overlaps no placed label and no point wins; if none does,
// the one with the least overlap. Crowded points are placed first, and
// labels that still overlap are placed again once all the others are down.
std::vector<PlacedLabel> placeLabels(const std::vector<Point2>& points, const std::vector<Point2>& sizes,
                                     const Box& bounds, double point_radius);

struct MapStyle {
  int width = 0;            // pixels; 0: from the number of points (900 to 3000)
  int height = 0;           // pixels; 0: from the aspect ratio of the points
  double font_size = 12;    // labels, px
  double point_radius = 3;  // px
  void validate() const;    // throws Error naming the flag (--width, ...) and its range
};

// A laid-out map, in pixels, ready to draw.
struct WordMap {
  int width = 0, height = 0;
  std::string title, subtitle;
  double font_size = 12, point_radius = 3;
  Box frame;                        // the plotting area
  std::vector<std::string> labels;  // one per point
  std::vector<Point2> points;       // pixel centres
  std::vector<PlacedLabel> placed;  // label boxes
};

// Scales the coordinates into the frame (the same scale on both axes, y
// pointing up) and places the labels. Labels and titles are made valid UTF-8.
WordMap layoutWordMap(const std::vector<Point2>& coords, const std::vector<std::string>& labels,
                      const std::string& title, const std::string& subtitle, const MapStyle& style = {});

// The map as a standalone SVG document.
std::string toSvg(const WordMap& map);

enum class MapFormat { kSvg, kPng };
// From the extension of path (.svg or .png, any case); throws Error otherwise.
MapFormat mapFormatFromPath(const std::string& path);
// Writes the map atomically in the format of path's extension.
void writeWordMap(const WordMap& map, const std::string& path);
// The same into out, which the caller commits.
void writeWordMap(const WordMap& map, PendingFiles& out, const std::string& path);

}  // namespace wembed
