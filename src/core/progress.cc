#include "wembed/core/progress.h"

#include <unistd.h>

#include <cmath>

namespace wembed {

std::string formatDuration(double s) {
  if (!std::isfinite(s) || s < 0) s = 0;
  long t = static_cast<long>(s + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ldh%02ldm%02lds", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

std::string formatProgress(const Progress& p) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), "Progress: %5.1f%%  words/sec/thread: %8.0f  lr: %.6f  loss: %.4f  ETA: %s",
                100.0 * p.fraction, p.rate, p.lr, p.loss, formatDuration(p.eta_seconds).c_str());
  return buf;
}

void ProgressLine::show(const std::string& line, double now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (terminal_) {
    std::fprintf(out_, "\r%s ", line.c_str());
    std::fflush(out_);
    open_ = true;
    return;
  }
  if (log_throttle_.due(now, first_)) {
    std::fprintf(out_, "%s\n", line.c_str());
    std::fflush(out_);
    first_ = false;
    pending_.clear();
  } else {
    pending_ = line;
  }
}

void ProgressLine::end() {
  std::lock_guard<std::mutex> lock(mu_);
  if (terminal_) {
    if (open_) std::fputc('\n', out_);
    open_ = false;
    return;
  }
  if (!pending_.empty()) {
    std::fprintf(out_, "%s\n", pending_.c_str());
    std::fflush(out_);
    pending_.clear();
  }
  first_ = true;  // the next status line (another stage) is written at once
}

namespace {
ProgressLine& stderrLine() {
  static ProgressLine line(stderr, ::isatty(STDERR_FILENO) == 1);
  return line;
}
const Stopwatch& processClock() {
  static const Stopwatch clock;
  return clock;
}
}  // namespace

void showProgressLine(const std::string& line) { stderrLine().show(line, processClock().seconds()); }
void endProgressLine() { stderrLine().end(); }

}  // namespace wembed
