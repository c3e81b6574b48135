#pragma once
// Internal test hooks of the trainers: a private header (not installed, not
// part of the library's interface) that the trainers and the test suite include.
#include <atomic>

namespace wembed::testing {

// How many more checkpoints may be written before a trainer's train() ends,
// as a kill would (0: never). Process-wide; tests set it (StopAfterCheckpoints).
inline std::atomic<int>& stopAfterCheckpoints() {
  static std::atomic<int> n{0};
  return n;
}

// Called by a trainer after it wrote a checkpoint: counts it down, and is true
// when this is the checkpoint a test asked train() to end at (the hook is then
// off again, so a resumed trainer runs to its end).
inline bool checkpointEndsRun() {
  std::atomic<int>& n = stopAfterCheckpoints();
  int left = n.load();
  while (left > 0)
    if (n.compare_exchange_weak(left, left - 1)) return left == 1;
  return false;
}

// Tests: the next train() that writes checkpoints ends after the n-th; the
// hook is off again when this goes out of scope.
class StopAfterCheckpoints {
 public:
  explicit StopAfterCheckpoints(int n) { stopAfterCheckpoints() = n; }
  ~StopAfterCheckpoints() { stopAfterCheckpoints() = 0; }
  StopAfterCheckpoints(const StopAfterCheckpoints&) = delete;
  StopAfterCheckpoints& operator=(const StopAfterCheckpoints&) = delete;
};

}  // namespace wembed::testing
