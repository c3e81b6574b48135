#include "wembed/core/run_history.h"

#include <utility>

namespace wembed {

RunRecorder::RunRecorder(ProgressSpan span, int epochs, std::string title) : span_(span), epochs_(epochs) {
  history_.title = std::move(title);
}

void RunRecorder::record(const Progress& p) {
  const double x = span_ == ProgressSpan::kWholeRun ? p.fraction * epochs_ : (p.epoch - 1) + p.fraction;
  history_.points.push_back({x, p.loss, p.lr});
}

void RunRecorder::recordScore(int epoch, double value) { history_.scores.push_back({double(epoch), value}); }

std::function<void(const Progress&)> RunRecorder::wrap(std::function<void(const Progress&)> next) {
  return [this, next = std::move(next)](const Progress& p) {
    record(p);
    if (next) next(p);
  };
}

}  // namespace wembed
