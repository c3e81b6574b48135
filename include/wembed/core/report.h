#pragma once
// Where a library pipeline's messages go. The pipelines (counting a
// vocabulary or co-occurrences, training) print nothing themselves: they
// pass their notes to a Reporter the caller gives (the command line gives
// stderrReporter(); an empty Reporter is silent).
#include <functional>
#include <string>

namespace wembed {

struct Reporter {
  // A message on a line of its own, without the newline ("vocab: 1000 tokens, ...").
  std::function<void(const std::string&)> message;
  // The status line, redrawn in place (or logged now and then); the next
  // message ends it.
  std::function<void(const std::string&)> status;

  void say(const std::string& line) const {
    if (message) message(line);
  }
  void show(const std::string& line) const {
    if (status) status(line);
  }
  bool showsStatus() const { return static_cast<bool>(status); }
};

// Messages and status lines on stderr (showProgressLine/endProgressLine),
// as the command line shows them.
Reporter stderrReporter();

// printf into a std::string.
std::string stringPrintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace wembed
