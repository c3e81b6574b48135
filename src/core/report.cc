#include "wembed/core/report.h"

#include <cstdarg>
#include <cstdio>

#include "wembed/core/progress.h"

namespace wembed {

Reporter stderrReporter() {
  Reporter r;
  r.message = [](const std::string& line) {
    endProgressLine();
    std::fprintf(stderr, "%s\n", line.c_str());
  };
  r.status = [](const std::string& line) { showProgressLine(line); };
  return r;
}

std::string stringPrintf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list again;
  va_copy(again, ap);
  const int n = std::vsnprintf(nullptr, 0, fmt, ap);
  va_end(ap);
  std::string s(n > 0 ? static_cast<size_t>(n) + 1 : 1, '\0');
  std::vsnprintf(s.data(), s.size(), fmt, again);
  va_end(again);
  s.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return s;
}

}  // namespace wembed
