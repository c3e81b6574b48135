#include "wembed/plot/plot.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "wembed/core/error.h"
#include "wembed/core/io.h"

namespace wembed {

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

namespace {

// Uniform grid over the canvas for finding boxes near a box.
class BoxGrid {
 public:
  BoxGrid(const Box& area, double cell) : x0_(area.x0), y0_(area.y0), cell_(cell) {
    nx_ = std::max(1, static_cast<int>(std::ceil(area.width() / cell)) + 1);
    ny_ = std::max(1, static_cast<int>(std::ceil(area.height() / cell)) + 1);
    cells_.resize(static_cast<size_t>(nx_) * ny_);
  }
  void insert(int id, const Box& b) {
    forCells(b, [&](std::vector<int>& c) { c.push_back(id); });
  }
  void erase(int id, const Box& b) {
    forCells(b, [&](std::vector<int>& c) { c.erase(std::remove(c.begin(), c.end(), id), c.end()); });
  }
  // Calls f(id) once for each id in the cells that b touches.
  template <class F>
  void query(const Box& b, F f) {
    ++stamp_;
    forCells(b, [&](std::vector<int>& c) {
      for (int id : c) {
        if (static_cast<size_t>(id) >= seen_.size()) seen_.resize(static_cast<size_t>(id) + 1, 0);
        if (seen_[id] == stamp_) continue;
        seen_[id] = stamp_;
        f(id);
      }
    });
  }

 private:
  template <class F>
  void forCells(const Box& b, F f) {
    const int cx0 = clampX(b.x0), cx1 = clampX(b.x1), cy0 = clampY(b.y0), cy1 = clampY(b.y1);
    for (int y = cy0; y <= cy1; ++y)
      for (int x = cx0; x <= cx1; ++x) f(cells_[static_cast<size_t>(y) * nx_ + x]);
  }
  int clampX(double x) const {
    return std::clamp(static_cast<int>(std::floor((x - x0_) / cell_)), 0, nx_ - 1);
  }
  int clampY(double y) const {
    return std::clamp(static_cast<int>(std::floor((y - y0_) / cell_)), 0, ny_ - 1);
  }
  double x0_, y0_, cell_;
  int nx_ = 1, ny_ = 1;
  std::vector<std::vector<int>> cells_;
  std::vector<unsigned> seen_;
  unsigned stamp_ = 0;
};

struct Candidate {
  Box box;
  int ring = 0;  // 0: touching the point
};

// Candidate boxes for a label of size w x h at point p, nearest first.
std::vector<Candidate> candidates(const Point2& p, double w, double h, double r) {
  const double g = 2;  // gap between the disc and the text
  const double d = r + g;
  std::vector<Candidate> out;
  auto at = [&](double x0, double y0, int ring) { out.push_back({{x0, y0, x0 + w, y0 + h}, ring}); };
  at(p.x + d, p.y - h / 2, 0);                   // right
  at(p.x - d - w, p.y - h / 2, 0);               // left
  at(p.x - w / 2, p.y - d - h, 0);               // above
  at(p.x - w / 2, p.y + d, 0);                   // below
  const double c = d * 0.7071;
  at(p.x + c, p.y - c - h, 0);                   // above right
  at(p.x + c, p.y + c, 0);                       // below right
  at(p.x - c - w, p.y - c - h, 0);               // above left
  at(p.x - c - w, p.y + c, 0);                   // below left
  at(p.x + d, p.y - h * 0.9, 0);                 // right, slid up
  at(p.x + d, p.y - h * 0.1, 0);                 // right, slid down
  at(p.x - d - w, p.y - h * 0.9, 0);             // left, slid up
  at(p.x - d - w, p.y - h * 0.1, 0);             // left, slid down
  // Rings further out: the box's side facing the point at distance dist.
  const int kDirs = 16;
  for (int ring = 1; ring <= 8; ++ring) {
    const double dist = d + ring * h * 0.8;
    for (int k = 0; k < kDirs; ++k) {
      const double a = 2 * M_PI * k / kDirs;
      const double ca = std::cos(a), sa = std::sin(a);
      // Centre of the box so that its nearest edge is ~dist away along (ca, sa).
      const double tx = std::abs(ca) < 1e-9 ? 1e300 : (dist + w / 2) / std::abs(ca);
      const double ty = std::abs(sa) < 1e-9 ? 1e300 : (dist + h / 2) / std::abs(sa);
      const double t = std::min(tx, ty);
      const double cx = p.x + ca * t, cy = p.y - sa * t;
      at(cx - w / 2, cy - h / 2, ring);
    }
  }
  return out;
}

Box disc(const Point2& p, double r) { return {p.x - r, p.y - r, p.x + r, p.y + r}; }

// Shortest distance from p to the box (0 inside).
double distanceTo(const Box& b, const Point2& p) {
  const double dx = std::max({b.x0 - p.x, 0.0, p.x - b.x1});
  const double dy = std::max({b.y0 - p.y, 0.0, p.y - b.y1});
  return std::sqrt(dx * dx + dy * dy);
}

// The point of b nearest to p (the end of a leader line).
Point2 nearestOn(const Box& b, const Point2& p) { return {std::clamp(p.x, b.x0, b.x1), std::clamp(p.y, b.y0, b.y1)}; }

// Whether the segment a-b passes through the interior of the box (Liang-Barsky clipping).
bool segmentHitsBox(const Point2& a, const Point2& b, const Box& box) {
  const double eps = 1e-9;
  double t0 = 0, t1 = 1;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.x - box.x0, box.x1 - a.x, a.y - box.y0, box.y1 - a.y};
  for (int k = 0; k < 4; ++k) {
    if (std::abs(p[k]) < eps) {
      if (q[k] <= eps) return false;  // parallel to this side and outside (or on it)
      continue;
    }
    const double t = q[k] / p[k];
    if (p[k] < 0) t0 = std::max(t0, t);
    else t1 = std::min(t1, t);
    if (t0 >= t1 - eps) return false;
  }
  return true;
}

double cross(const Point2& o, const Point2& a, const Point2& b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

// Whether segments a-b and c-d cross properly (touching ends do not count).
bool segmentsCross(const Point2& a, const Point2& b, const Point2& c, const Point2& d) {
  const double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

}  // namespace

std::vector<PlacedLabel> placeLabels(const std::vector<Point2>& points, const std::vector<Point2>& sizes,
                                     const Box& bounds, double point_radius) {
  const int n = static_cast<int>(points.size());
  std::vector<PlacedLabel> out(static_cast<size_t>(n));
  if (n == 0) return out;
  if (sizes.size() != points.size()) throw Error("placeLabels: one size per point is needed");
  double maxh = 1;
  for (const auto& s : sizes) maxh = std::max(maxh, s.y);
  Box area = bounds;
  for (const auto& p : points) {
    area.x0 = std::min(area.x0, p.x - point_radius);
    area.y0 = std::min(area.y0, p.y - point_radius);
    area.x1 = std::max(area.x1, p.x + point_radius);
    area.y1 = std::max(area.y1, p.y + point_radius);
  }
  const double cell = std::max(2 * maxh, 8.0);
  BoxGrid pointGrid(area, cell), labelGrid(area, cell), leaderGrid(area, cell);
  for (int i = 0; i < n; ++i) pointGrid.insert(i, disc(points[i], point_radius));

  // Crowded points first: count the points within a few label heights; the
  // direction away from their centroid is where a far label goes best.
  std::vector<int> crowd(static_cast<size_t>(n), 0);
  std::vector<Point2> away(static_cast<size_t>(n));
  const double rr = 3 * maxh;
  for (int i = 0; i < n; ++i) {
    double sx = 0, sy = 0;
    pointGrid.query({points[i].x - rr, points[i].y - rr, points[i].x + rr, points[i].y + rr}, [&](int j) {
      if (j != i && std::hypot(points[i].x - points[j].x, points[i].y - points[j].y) <= rr) {
        ++crowd[i];
        sx += points[j].x;
        sy += points[j].y;
      }
    });
    if (crowd[i] > 0) {
      const double ax = points[i].x - sx / crowd[i], ay = points[i].y - sy / crowd[i];
      const double len = std::hypot(ax, ay);
      if (len > 1e-9) away[i] = {ax / len, ay / len};
    }
  }
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return crowd[a] > crowd[b]; });

  std::vector<bool> placed(static_cast<size_t>(n), false);
  std::vector<Point2> leaderEnd(static_cast<size_t>(n));  // valid where out[i].leader
  auto leaderBox = [&](int i) {
    const Point2& a = points[i];
    const Point2& b = leaderEnd[i];
    return Box{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
  };
  // Cost of a candidate for label i; *free when it touches nothing.
  auto cost = [&](int i, const Candidate& c, bool* free) {
    double labelArea = 0, pointArea = 0;
    int labelHits = 0, pointHits = 0, crossings = 0;
    labelGrid.query(c.box, [&](int j) {
      if (j == i || !placed[j]) return;
      const double a = overlapArea(c.box, out[j].box);
      if (a > 0) {
        ++labelHits;
        labelArea += a;
      }
    });
    pointGrid.query(c.box, [&](int j) {
      const double a = overlapArea(c.box, disc(points[j], point_radius));
      if (a > 0) {
        ++pointHits;
        pointArea += a;
      }
    });
    // A box nearer to another point than to its own reads as that point's label.
    const double own = distanceTo(c.box, points[i]);
    int ambiguous = 0;
    pointGrid.query({c.box.x0 - own, c.box.y0 - own, c.box.x1 + own, c.box.y1 + own}, [&](int j) {
      if (j != i && distanceTo(c.box, points[j]) < own - 0.5) ++ambiguous;
    });
    // The box over another label's leader line.
    leaderGrid.query(c.box, [&](int j) {
      if (j != i && placed[j] && out[j].leader && segmentHitsBox(points[j], leaderEnd[j], c.box)) ++crossings;
    });
    if (c.ring > 0) {
      // This label's leader line over other labels, points or leader lines.
      const Point2& p = points[i];
      const Point2 q = nearestOn(c.box, p);
      const Box lb{std::min(p.x, q.x), std::min(p.y, q.y), std::max(p.x, q.x), std::max(p.y, q.y)};
      labelGrid.query(lb, [&](int j) {
        if (j != i && placed[j] && segmentHitsBox(p, q, out[j].box)) ++crossings;
      });
      pointGrid.query(lb, [&](int j) {
        if (j != i && segmentHitsBox(p, q, disc(points[j], point_radius))) ++crossings;
      });
      leaderGrid.query(lb, [&](int j) {
        if (j != i && placed[j] && out[j].leader && segmentsCross(p, q, points[j], leaderEnd[j])) ++crossings;
      });
    }
    // A box outside the bounds costs as much as the part that sticks out.
    const double outside = c.box.width() * c.box.height() - overlapArea(c.box, bounds);
    *free = labelHits == 0 && pointHits == 0 && crossings == 0 && ambiguous == 0 && outside <= 1e-9;
    return 1e6 * (outside > 1e-9) + 1e3 * labelHits + labelArea + 1e2 * pointHits + pointArea + 50.0 * crossings +
           20.0 * ambiguous + outside * 10 + 5.0 * c.ring;
  };
  auto place = [&](int i) {
    const auto cands = candidates(points[i], sizes[i].x, sizes[i].y, point_radius);
    double best = 1e300, bestFree = 1e300;
    const Candidate* pick = &cands.front();
    const Candidate* pickFree = nullptr;
    for (size_t k = 0; k < cands.size(); ++k) {
      const Candidate& c = cands[k];
      // Next to the point: the first free position in order of preference.
      // Further out: the free position of the ring that points most away
      // from the crowd around the point.
      if (pickFree && c.ring != pickFree->ring) break;
      bool free = false;
      const double v = cost(i, c, &free);
      if (free) {
        if (c.ring == 0) {
          pickFree = &c;
          break;
        }
        const double cx = (c.box.x0 + c.box.x1) / 2 - points[i].x, cy = (c.box.y0 + c.box.y1) / 2 - points[i].y;
        const double len = std::max(std::hypot(cx, cy), 1e-9);
        const double score = -(cx * away[i].x + cy * away[i].y) / len;
        if (score < bestFree) {
          bestFree = score;
          pickFree = &c;
        }
      }
      if (v < best) {
        best = v;
        pick = &c;
      }
    }
    if (pickFree) pick = pickFree;
    out[i].box = pick->box;
    out[i].leader = pick->ring > 0;
    placed[i] = true;
    labelGrid.insert(i, out[i].box);
    if (out[i].leader) {
      leaderEnd[i] = nearestOn(out[i].box, points[i]);
      leaderGrid.insert(i, leaderBox(i));
    }
  };
  auto unplace = [&](int i) {
    labelGrid.erase(i, out[i].box);
    if (out[i].leader) leaderGrid.erase(i, leaderBox(i));
    placed[i] = false;
  };
  for (int i : order) place(i);

  // Labels that still overlap another label get a second try, now that
  // every other label is down.
  for (int pass = 0; pass < 2; ++pass) {
    bool changed = false;
    for (int i : order) {
      bool hit = false;
      labelGrid.query(out[i].box, [&](int j) {
        if (j != i && overlaps(out[i].box, out[j].box)) hit = true;
      });
      if (!hit) continue;
      const Box before = out[i].box;
      unplace(i);
      place(i);
      changed |= out[i].box.x0 != before.x0 || out[i].box.y0 != before.y0;
    }
    if (!changed) break;
  }
  return out;
}

namespace {

constexpr double kTitleHeight = 52;  // title and subtitle band, px
constexpr double kPad = 1;           // around the text in a label box

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

// The text box of a label of the given font size.
Point2 labelSize(const std::string& text, double fs) {
  return {textWidth(text, fs) + 2 * kPad, std::ceil(fs * 1.17) + 2 * kPad};
}
double baseline(const Box& b, double fs) { return b.y0 + kPad + fs * 0.93; }

}  // namespace

WordMap layoutWordMap(const std::vector<Point2>& coords, const std::vector<std::string>& labels,
                      const std::string& title, const std::string& subtitle, const MapStyle& style) {
  if (coords.size() != labels.size()) throw Error("word map: as many labels as points are needed");
  if (style.width < 0 || style.height < 0) throw Error("word map: width and height must not be negative");
  if (!(style.font_size > 0)) throw Error("word map: font size must be positive");
  if (!(style.point_radius >= 0)) throw Error("word map: point radius must not be negative");
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

namespace {

cairo_status_t writeToAtomic(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<AtomicFile*>(closure)->write(data, length);
  } catch (...) {
    return CAIRO_STATUS_WRITE_ERROR;
  }
  return CAIRO_STATUS_SUCCESS;
}

void rgb(cairo_t* cr, unsigned hex) {
  cairo_set_source_rgb(cr, ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0, (hex & 255) / 255.0);
}

// Draws the same picture as toSvg with cairo and writes it as PNG.
void writePng(const WordMap& m, AtomicFile& f) {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, m.width, m.height);
  cairo_t* cr = cairo_create(surface);
  auto cleanup = [&]() {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
  };
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS || cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    cleanup();
    throw Error("cannot draw a " + std::to_string(m.width) + "x" + std::to_string(m.height) + " PNG: " +
                cairo_status_to_string(cairo_status(cr)));
  }
  rgb(cr, 0xffffff);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 16);
  rgb(cr, 0x222222);
  cairo_move_to(cr, 12, 22);
  cairo_show_text(cr, m.title.c_str());
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 12);
  rgb(cr, 0x666666);
  cairo_move_to(cr, 12, 41);
  cairo_show_text(cr, m.subtitle.c_str());
  // Frame (on pixel centres, so 1 px lines stay sharp).
  rgb(cr, 0xe2e2e2);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, std::floor(m.frame.x0) + 0.5, std::floor(m.frame.y0) + 0.5, std::round(m.frame.width()),
                  std::round(m.frame.height()));
  cairo_stroke(cr);
  rgb(cr, 0xa0a0a0);
  cairo_set_line_width(cr, 0.8);
  for (size_t i = 0; i < m.points.size(); ++i) {
    if (!m.placed[i].leader) continue;
    const Point2 q = nearestOn(m.placed[i].box, m.points[i]);
    cairo_move_to(cr, m.points[i].x, m.points[i].y);
    cairo_line_to(cr, q.x, q.y);
    cairo_stroke(cr);
  }
  rgb(cr, 0x2f6db5);
  for (const auto& p : m.points) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, p.x, p.y, m.point_radius, 0, 2 * M_PI);
    cairo_fill(cr);
  }
  cairo_set_font_size(cr, m.font_size);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (size_t i = 0; i < m.points.size(); ++i) {
    const Box& b = m.placed[i].box;
    cairo_move_to(cr, b.x0 + kPad, baseline(b, m.font_size));
    cairo_text_path(cr, m.labels[i].c_str());
    rgb(cr, 0xffffff);
    cairo_set_line_width(cr, 3);
    cairo_stroke_preserve(cr);
    rgb(cr, 0x1a1a1a);
    cairo_fill(cr);
  }
  cairo_surface_flush(surface);
  const cairo_status_t st = cairo_surface_write_to_png_stream(surface, writeToAtomic, &f);
  cleanup();
  if (st != CAIRO_STATUS_SUCCESS) throw Error("cannot write '" + f.path() + "': " + cairo_status_to_string(st));
}

}  // namespace

void writeWordMap(const WordMap& map, PendingFiles& out, const std::string& path) {
  const MapFormat format = mapFormatFromPath(path);
  AtomicFile& f = out.open(path);
  if (format == MapFormat::kSvg) f.puts(toSvg(map));
  else writePng(map, f);
}

void writeWordMap(const WordMap& map, const std::string& path) {
  PendingFiles out;
  writeWordMap(map, out, path);
  out.commit();
}

}  // namespace wembed
