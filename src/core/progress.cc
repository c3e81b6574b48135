#include "wembed/core/progress.h"

#include <atomic>
#include <cmath>
#include <cstdio>

namespace wembed {

std::string formatDuration(double s) {
  if (!std::isfinite(s) || s < 0) s = 0;
  long t = static_cast<long>(s + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ldh%02ldm%02lds", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

std::string formatProgress(double fraction, double wps, double lr, double loss, double eta) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), "Progress: %5.1f%%  words/sec/thread: %8.0f  lr: %.6f  loss: %.4f  ETA: %s",
                100.0 * fraction, wps, lr, loss, formatDuration(eta).c_str());
  return buf;
}

static std::atomic<bool> g_line_open{false};

void showProgressLine(const std::string& line) {
  std::fprintf(stderr, "\r%s ", line.c_str());
  std::fflush(stderr);
  g_line_open = true;
}

void endProgressLine() {
  if (g_line_open.exchange(false)) std::fputc('\n', stderr);
}

}  // namespace wembed
