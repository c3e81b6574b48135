// PNG drawings with cairo (the only file that uses it): a word map, and a
// chart's marks (the run history pictures).
#include <cairo.h>

#include <cmath>
#include <string>

#include "drawing.h"
#include "wembed/core/error.h"

namespace wembed::plot_detail {

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

// A white RGB image of w x h pixels to draw on; write() encodes it as PNG.
class Canvas {
 public:
  Canvas(int w, int h) : surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h)), cr_(cairo_create(surface_)) {
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS || cairo_status(cr_) != CAIRO_STATUS_SUCCESS) {
      const std::string why = cairo_status_to_string(cairo_status(cr_));
      release();
      throw Error("cannot draw a " + std::to_string(w) + "x" + std::to_string(h) + " PNG: " + why);
    }
    rgb(cr_, 0xffffff);
    cairo_paint(cr_);
  }
  ~Canvas() { release(); }
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;
  cairo_t* cr() { return cr_; }
  void write(AtomicFile& f) {
    cairo_surface_flush(surface_);
    const cairo_status_t st = cairo_surface_write_to_png_stream(surface_, writeToAtomic, &f);
    if (st != CAIRO_STATUS_SUCCESS) throw Error("cannot write '" + f.path() + "': " + cairo_status_to_string(st));
  }

 private:
  void release() {
    if (cr_) cairo_destroy(cr_);
    if (surface_) cairo_surface_destroy(surface_);
    cr_ = nullptr;
    surface_ = nullptr;
  }
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

}  // namespace

void writePng(const WordMap& m, AtomicFile& f) {
  Canvas canvas(m.width, m.height);
  cairo_t* cr = canvas.cr();
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
  canvas.write(f);
}

void writeChartPng(const Chart& c, AtomicFile& f) {
  Canvas canvas(c.width, c.height);
  cairo_t* cr = canvas.cr();
  const double dash[] = {6, 4};
  for (const Mark& k : c.marks) {
    rgb(cr, k.color);
    cairo_set_line_width(cr, k.width);
    cairo_set_dash(cr, dash, k.dashed ? 2 : 0, 0);
    switch (k.kind) {
      case Mark::kPolyline:
        for (size_t i = 0; i < k.points.size(); ++i)
          (i ? cairo_line_to : cairo_move_to)(cr, k.points[i].x, k.points[i].y);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        break;
      case Mark::kCircle:
        cairo_new_sub_path(cr);
        cairo_arc(cr, k.points[0].x, k.points[0].y, k.width, 0, 2 * M_PI);
        cairo_fill(cr);
        break;
      case Mark::kRect: {
        const Point2 a = k.points[0], b = k.points[1];
        cairo_rectangle(cr, a.x, a.y, b.x - a.x, b.y - a.y);
        if (k.filled) cairo_fill(cr);
        else cairo_stroke(cr);
        break;
      }
      case Mark::kText: {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               k.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, k.font_size);
        cairo_text_extents_t ext;
        cairo_text_extents(cr, k.text.c_str(), &ext);
        cairo_save(cr);
        cairo_translate(cr, k.points[0].x, k.points[0].y);
        if (k.vertical) cairo_rotate(cr, -M_PI / 2);
        cairo_move_to(cr, -(k.anchor + 1) / 2.0 * ext.x_advance, 0);
        cairo_show_text(cr, k.text.c_str());
        cairo_restore(cr);
        break;
      }
    }
  }
  canvas.write(f);
}

}  // namespace wembed::plot_detail
