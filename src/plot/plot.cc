// Word maps: text metrics, the layout of points and labels, SVG, and
// writing a map as SVG or PNG (png.cc).
#include "wembed/plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "drawing.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/range_check.h"

namespace wembed {

using plot_detail::baseline;
using plot_detail::kPad;
using plot_detail::nearestOn;

bool overlaps(const Box& a, const Box& b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

double overlapArea(const Box& a, const Box& b) {
  const double w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
  const double h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  return (w > 0 && h > 0) ? w * h : 0;
}

namespace {

// DejaVu Sans advance widths of ASCII 32..126, in 1/1000 em (measured with cairo).
constexpr short kAsciiWidth[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,  //
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,  //
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,  //
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,  //
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,  //
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838};

bool isWide(uint32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

}  // namespace

double textWidth(const std::string& s, double font_size) {
  double units = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      units += (c >= 32 && c < 127) ? kAsciiWidth[c - 32] : 0;
      ++i;
      continue;
    }
    uint32_t cp = c;
    int len = decodeUtf8(s, i, cp);
    if (len == 0) len = 1;  // an invalid byte is one character
    const bool combining = cp >= 0x300 && cp <= 0x36F;
    units += combining ? 0 : isWide(cp) ? 1000 : 650;
    i += static_cast<size_t>(len);
  }
  return units * font_size / 1000.0;
}

namespace plot_detail {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s == "-0" ? "0" : s;
}

std::string xmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') o += "\xEF\xBF\xBD";
        else o.push_back(c);
    }
  }
  return o;
}

}  // namespace plot_detail

using plot_detail::fmt;
using plot_detail::xmlEscape;

namespace {

constexpr double kTitleHeight = 52;  // title and subtitle band, px

// The guard before any coordinate becomes a pixel: a NaN, an infinity or a
// number so large that the scaling would overflow (a diverged projection) is
// refused, never drawn.
void checkFinite(const std::vector<Point2>& coords) {
  for (size_t i = 0; i < coords.size(); ++i)
    if (!(std::fabs(coords[i].x) < 1e100 && std::fabs(coords[i].y) < 1e100))
      throw Error("word map: point " + std::to_string(i + 1) + " lies at (" + shortNumber(coords[i].x) + ", " +
                  shortNumber(coords[i].y) + "), beyond what can be drawn: did the projection diverge?");
}

// The text box of a label of the given font size.
Point2 labelSize(const std::string& text, double fs) {
  return {textWidth(text, fs) + 2 * kPad, std::ceil(fs * 1.17) + 2 * kPad};
}

}  // namespace

void MapStyle::validate() const {
  const Range pixels = Range::closed(100, 20000).orZero("auto");
  checkRange("--width", width, pixels);
  checkRange("--height", height, pixels);
  checkRange("--font-size", font_size, Range::closed(4, 200));
  checkRange("point radius", point_radius, Range::closed(0, 100));
}

WordMap layoutWordMap(const std::vector<Point2>& coords, const std::vector<std::string>& labels,
                      const std::string& title, const std::string& subtitle, const MapStyle& style) {
  if (coords.size() != labels.size()) throw Error("word map: as many labels as points are needed");
  style.validate();
  checkFinite(coords);
  const size_t n = coords.size();
  WordMap m;
  m.title = validUtf8(title);
  m.subtitle = validUtf8(subtitle);
  m.font_size = style.font_size;
  m.point_radius = style.point_radius;
  m.labels.reserve(labels.size());
  for (const auto& l : labels) m.labels.push_back(validUtf8(l));
  m.width = style.width > 0 ? style.width
                            : static_cast<int>(std::clamp(900.0 * std::sqrt(static_cast<double>(n) / 150.0), 900.0,
                                                          3000.0));

  double minx = 0, maxx = 0, miny = 0, maxy = 0, maxw = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || coords[i].x < minx) minx = coords[i].x;
    if (i == 0 || coords[i].x > maxx) maxx = coords[i].x;
    if (i == 0 || coords[i].y < miny) miny = coords[i].y;
    if (i == 0 || coords[i].y > maxy) maxy = coords[i].y;
    maxw = std::max(maxw, labelSize(m.labels[i], style.font_size).x);
  }
  // Room for labels beside the outermost points: the inset grows with the
  // longest label, up to a tenth of the width.
  const double insetX = 12 + std::min(maxw * 0.6, 0.1 * m.width);
  const double insetY = 12 + 1.5 * style.font_size;
  const double areaW = std::max(m.width - 2 * insetX, 10.0);
  double rx = maxx - minx, ry = maxy - miny;
  if (!(rx > 0) && !(ry > 0)) rx = ry = 1;  // one point, or all in one place
  // Equal scale on both axes; an axis without spread takes the other's.
  if (!(rx > 0)) rx = ry;
  if (!(ry > 0)) ry = rx;
  if (style.height > 0) {
    m.height = style.height;
  } else {
    const double h = kTitleHeight + 2 * insetY + areaW * ry / rx;
    m.height = static_cast<int>(std::clamp(h, 0.55 * m.width, 1.25 * m.width));
  }
  const double areaH = std::max(m.height - kTitleHeight - 2 * insetY, 10.0);
  const double scale = std::min(areaW / rx, areaH / ry);
  const double cx = (minx + maxx) / 2, cy = (miny + maxy) / 2;
  const double ox = m.width / 2.0, oy = kTitleHeight + insetY + areaH / 2;
  m.frame = {6, kTitleHeight, m.width - 6.0, m.height - 6.0};
  m.points.resize(n);
  for (size_t i = 0; i < n; ++i) m.points[i] = {ox + (coords[i].x - cx) * scale, oy - (coords[i].y - cy) * scale};

  std::vector<Point2> sizes(n);
  for (size_t i = 0; i < n; ++i) sizes[i] = labelSize(m.labels[i], style.font_size);
  const Box bounds{m.frame.x0 + 2, m.frame.y0 + 2, m.frame.x1 - 2, m.frame.y1 - 2};
  m.placed = placeLabels(m.points, sizes, bounds, style.point_radius);
  return m;
}

std::string toSvg(const WordMap& m) {
  const double fs = m.font_size;
  std::string s;
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(m.width) + "\" height=\"" +
       std::to_string(m.height) + "\" viewBox=\"0 0 " + std::to_string(m.width) + " " + std::to_string(m.height) +
       "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n";
  s += "<title>" + xmlEscape(m.title) + "</title>\n";
  s += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(m.width) + "\" height=\"" + std::to_string(m.height) +
       "\" fill=\"#ffffff\"/>\n";
  s += "<text x=\"12\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">" + xmlEscape(m.title) +
       "</text>\n";
  if (!m.subtitle.empty())
    s += "<text x=\"12\" y=\"41\" font-size=\"12\" fill=\"#666666\">" + xmlEscape(m.subtitle) + "</text>\n";
  s += "<rect x=\"" + fmt(m.frame.x0) + "\" y=\"" + fmt(m.frame.y0) + "\" width=\"" + fmt(m.frame.width()) +
       "\" height=\"" + fmt(m.frame.height()) + "\" fill=\"none\" stroke=\"#e2e2e2\"/>\n";
  s += "<g stroke=\"#a0a0a0\" stroke-width=\"0.8\">\n";
  for (size_t i = 0; i < m.points.size(); ++i) {
    if (!m.placed[i].leader) continue;
    const Point2 q = nearestOn(m.placed[i].box, m.points[i]);
    s += "<line x1=\"" + fmt(m.points[i].x) + "\" y1=\"" + fmt(m.points[i].y) + "\" x2=\"" + fmt(q.x) +
         "\" y2=\"" + fmt(q.y) + "\"/>\n";
  }
  s += "</g>\n<g fill=\"#2f6db5\">\n";
  for (const auto& p : m.points)
    s += "<circle cx=\"" + fmt(p.x) + "\" cy=\"" + fmt(p.y) + "\" r=\"" + fmt(m.point_radius) + "\"/>\n";
  s += "</g>\n<g font-size=\"" + fmt(fs) +
       "\" fill=\"#1a1a1a\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" "
       "paint-order=\"stroke\">\n";
  for (size_t i = 0; i < m.points.size(); ++i) {
    const Box& b = m.placed[i].box;
    s += "<text x=\"" + fmt(b.x0 + kPad) + "\" y=\"" + fmt(baseline(b, fs)) + "\">" + xmlEscape(m.labels[i]) +
         "</text>\n";
  }
  s += "</g>\n</svg>\n";
  return s;
}

MapFormat mapFormatFromPath(const std::string& path) {
  const size_t dot = path.find_last_of('.');
  const size_t slash = path.find_last_of('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
    std::string ext = path.substr(dot + 1);
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == "svg") return MapFormat::kSvg;
    if (ext == "png") return MapFormat::kPng;
  }
  throw Error("cannot tell the picture format of '" + path + "': name it .svg or .png");
}

void writeWordMap(const WordMap& map, PendingFiles& out, const std::string& path) {
  const MapFormat format = mapFormatFromPath(path);
  AtomicFile& f = out.open(path);
  if (format == MapFormat::kSvg) f.puts(toSvg(map));
  else plot_detail::writePng(map, f);
}

void writeWordMap(const WordMap& map, const std::string& path) {
  PendingFiles out;
  writeWordMap(map, out, path);
  out.commit();
}

}  // namespace wembed
