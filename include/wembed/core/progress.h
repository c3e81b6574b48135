#pragma once
// Progress reporting: what trainers report (Progress), how often (Throttle),
// and the status line on stderr (showProgressLine / endProgressLine).
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace wembed {

// What a trainer passes to its on_progress callback, about once a second
// from one thread (word2vec Trainer, GloveTrainer, SentimentTrainer).
struct Progress {
  double fraction = 0;     // done, 0..1: of the whole run (sentiment: of the current epoch)
  double rate = 0;         // per second: words per thread (word2vec), records per thread (GloVe), sequences (sentiment)
  double lr = 0;           // the learning rate now (GloVe: its fixed initial rate eta)
  double loss = 0;         // mean loss since the last report (GloVe: the epoch's mean cost so far; sentiment: the epoch's)
  double eta_seconds = 0;  // time left (sentiment: in the current epoch)
  int epoch = 0;           // the current epoch, from 1 (GloVe and sentiment; 0 from word2vec)
};

std::string formatDuration(double seconds);
// word2vec's status line: "Progress:  50.0%  words/sec/thread: ... lr: ... loss: ... ETA: 0h01m30s".
std::string formatProgress(const Progress& p);

// Lets something through at most once per interval on a clock the caller
// reads (in seconds; tests pass their own times): due(now) is true when the
// interval has passed since it was last true (at first: since `start`), or
// when forced, and then starts a new interval at now.
class Throttle {
 public:
  explicit Throttle(double interval_seconds = 1.0, double start = 0) : interval_(interval_seconds), last_(start) {}
  bool due(double now, bool force = false) {
    if (!force && now - last_ < interval_) return false;
    last_ = now;
    return true;
  }

 private:
  double interval_;
  double last_;
};

// A status line on a stream. On a terminal each line redraws the one before
// in place ("\r"). Into a file or pipe (a log) lines are written as plain
// lines: the first at once, then one when kLogInterval seconds have passed
// since the last one written; end() writes the latest line shown if it was
// not written yet, so a log also holds the final state. Thread-safe.
class ProgressLine {
 public:
  static constexpr double kLogInterval = 10;
  ProgressLine(std::FILE* out, bool terminal) : out_(out), terminal_(terminal) {}
  void show(const std::string& line, double now);
  // Ends the line being shown, if any (a following message starts on a line of its own).
  void end();

 private:
  std::mutex mu_;
  std::FILE* out_;
  bool terminal_;
  bool open_ = false;       // terminal: a line is showing, no newline after it yet
  bool first_ = true;       // log: the next line is written at once
  std::string pending_;     // log: the latest line shown and not written
  Throttle log_throttle_{kLogInterval};
};

// The status line on stderr (a ProgressLine; a terminal if isatty(2)).
// Callers skip it with --quiet.
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
