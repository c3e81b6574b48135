// Label placement for word maps: candidate positions around each point,
// scored against the labels, points and leader lines already placed.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "drawing.h"
#include "wembed/core/error.h"
#include "wembed/plot/plot.h"

namespace wembed {

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


// Greedy placement (see plot.h): the state shared by its steps.
class LabelPlacer {
 public:
  LabelPlacer(const std::vector<Point2>& points, const std::vector<Point2>& sizes, const Box& bounds, double radius,
              const Box& area, double cell)
      : points_(points), sizes_(sizes), bounds_(bounds), r_(radius), n_(static_cast<int>(points.size())),
        pointGrid_(area, cell), labelGrid_(area, cell), leaderGrid_(area, cell),
        out_(points.size()), placed_(points.size(), false), leaderEnd_(points.size()) {
    for (int i = 0; i < n_; ++i) pointGrid_.insert(i, disc(points_[i], r_));
  }

  std::vector<PlacedLabel> run(double maxh) {
    const std::vector<int> order = crowdedFirst(maxh);
    for (int i : order) place(i);
    // Labels that still overlap another label get a second try, now that
    // every other label is down.
    for (int pass = 0; pass < 2; ++pass) {
      bool changed = false;
      for (int i : order) {
        bool hit = false;
        labelGrid_.query(out_[i].box, [&](int j) {
          if (j != i && overlaps(out_[i].box, out_[j].box)) hit = true;
        });
        if (!hit) continue;
        const Box before = out_[i].box;
        unplace(i);
        place(i);
        changed |= out_[i].box.x0 != before.x0 || out_[i].box.y0 != before.y0;
      }
      if (!changed) break;
    }
    return out_;
  }

 private:
  // Crowded points first: count the points within a few label heights; the
  // direction away from their centroid is where a far label goes best.
  std::vector<int> crowdedFirst(double maxh) {
    std::vector<int> crowd(static_cast<size_t>(n_), 0);
    away_.assign(static_cast<size_t>(n_), Point2{});
    const double rr = 3 * maxh;
    for (int i = 0; i < n_; ++i) {
      double sx = 0, sy = 0;
      const Point2& p = points_[i];
      pointGrid_.query({p.x - rr, p.y - rr, p.x + rr, p.y + rr}, [&](int j) {
        if (j != i && std::hypot(p.x - points_[j].x, p.y - points_[j].y) <= rr) {
          ++crowd[i];
          sx += points_[j].x;
          sy += points_[j].y;
        }
      });
      if (crowd[i] > 0) {
        const double ax = p.x - sx / crowd[i], ay = p.y - sy / crowd[i];
        const double len = std::hypot(ax, ay);
        if (len > 1e-9) away_[i] = {ax / len, ay / len};
      }
    }
    std::vector<int> order(static_cast<size_t>(n_));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return crowd[a] > crowd[b]; });
    return order;
  }

  Box leaderBox(int i) const {
    const Point2& a = points_[i];
    const Point2& b = leaderEnd_[i];
    return Box{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
  }

  // Leader lines crossed: of other labels through box c, and (ring > 0) of
  // this label's own leader over other labels, points or leader lines.
  int crossings(int i, const Candidate& c) {
    int crossings = 0;
    leaderGrid_.query(c.box, [&](int j) {
      if (j != i && placed_[j] && out_[j].leader && segmentHitsBox(points_[j], leaderEnd_[j], c.box)) ++crossings;
    });
    if (c.ring == 0) return crossings;
    const Point2& p = points_[i];
    const Point2 q = plot_detail::nearestOn(c.box, p);
    const Box lb{std::min(p.x, q.x), std::min(p.y, q.y), std::max(p.x, q.x), std::max(p.y, q.y)};
    labelGrid_.query(lb, [&](int j) {
      if (j != i && placed_[j] && segmentHitsBox(p, q, out_[j].box)) ++crossings;
    });
    pointGrid_.query(lb, [&](int j) {
      if (j != i && segmentHitsBox(p, q, disc(points_[j], r_))) ++crossings;
    });
    leaderGrid_.query(lb, [&](int j) {
      if (j != i && placed_[j] && out_[j].leader && segmentsCross(p, q, points_[j], leaderEnd_[j])) ++crossings;
    });
    return crossings;
  }

  // Cost of a candidate for label i; *free when it touches nothing.
  double cost(int i, const Candidate& c, bool* free) {
    double labelArea = 0, pointArea = 0;
    int labelHits = 0, pointHits = 0;
    labelGrid_.query(c.box, [&](int j) {
      if (j == i || !placed_[j]) return;
      const double a = overlapArea(c.box, out_[j].box);
      if (a > 0) {
        ++labelHits;
        labelArea += a;
      }
    });
    pointGrid_.query(c.box, [&](int j) {
      const double a = overlapArea(c.box, disc(points_[j], r_));
      if (a > 0) {
        ++pointHits;
        pointArea += a;
      }
    });
    // A box nearer to another point than to its own reads as that point's label.
    const double own = distanceTo(c.box, points_[i]);
    int ambiguous = 0;
    pointGrid_.query({c.box.x0 - own, c.box.y0 - own, c.box.x1 + own, c.box.y1 + own}, [&](int j) {
      if (j != i && distanceTo(c.box, points_[j]) < own - 0.5) ++ambiguous;
    });
    const int crossed = crossings(i, c);
    // A box outside the bounds costs as much as the part that sticks out.
    const double outside = c.box.width() * c.box.height() - overlapArea(c.box, bounds_);
    *free = labelHits == 0 && pointHits == 0 && crossed == 0 && ambiguous == 0 && outside <= 1e-9;
    return 1e6 * (outside > 1e-9) + 1e3 * labelHits + labelArea + 1e2 * pointHits + pointArea + 50.0 * crossed +
           20.0 * ambiguous + outside * 10 + 5.0 * c.ring;
  }

  void place(int i) {
    const auto cands = candidates(points_[i], sizes_[i].x, sizes_[i].y, r_);
    double best = 1e300, bestFree = 1e300;
    const Candidate* pick = &cands.front();
    const Candidate* pickFree = nullptr;
    for (const Candidate& c : cands) {
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
        const double cx = (c.box.x0 + c.box.x1) / 2 - points_[i].x, cy = (c.box.y0 + c.box.y1) / 2 - points_[i].y;
        const double len = std::max(std::hypot(cx, cy), 1e-9);
        const double score = -(cx * away_[i].x + cy * away_[i].y) / len;
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
    out_[i].box = pick->box;
    out_[i].leader = pick->ring > 0;
    placed_[i] = true;
    labelGrid_.insert(i, out_[i].box);
    if (out_[i].leader) {
      leaderEnd_[i] = plot_detail::nearestOn(out_[i].box, points_[i]);
      leaderGrid_.insert(i, leaderBox(i));
    }
  }

  void unplace(int i) {
    labelGrid_.erase(i, out_[i].box);
    if (out_[i].leader) leaderGrid_.erase(i, leaderBox(i));
    placed_[i] = false;
  }

  const std::vector<Point2>& points_;
  const std::vector<Point2>& sizes_;
  const Box bounds_;
  const double r_;
  const int n_;
  BoxGrid pointGrid_, labelGrid_, leaderGrid_;
  std::vector<PlacedLabel> out_;
  std::vector<bool> placed_;
  std::vector<Point2> leaderEnd_;  // valid where out_[i].leader
  std::vector<Point2> away_;       // unit direction away from the crowd around each point
};

}  // namespace

std::vector<PlacedLabel> placeLabels(const std::vector<Point2>& points, const std::vector<Point2>& sizes,
                                     const Box& bounds, double point_radius) {
  if (points.empty()) return {};
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
  return LabelPlacer(points, sizes, bounds, point_radius, area, cell).run(maxh);
}

}  // namespace wembed
