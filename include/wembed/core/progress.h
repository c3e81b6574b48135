#pragma once
#include <chrono>
#include <string>

namespace wembed {

// One status line on stderr, redrawn in place ("\r").
std::string formatDuration(double seconds);
std::string formatProgress(double fraction, double words_per_sec_thread, double lr, double loss,
                           double eta_seconds);

// Draws a status line in place; endProgressLine() moves past it if one is
// showing (so a following message starts on its own line).
void showProgressLine(const std::string& line);
void endProgressLine();

class Stopwatch {
 public:
  Stopwatch() : t0_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }

 private:
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace wembed
