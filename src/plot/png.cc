// The PNG drawing of a word map, with cairo (the only file that uses it).
#include <cairo.h>

#include <cmath>

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

}  // namespace

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

}  // namespace wembed::plot_detail
