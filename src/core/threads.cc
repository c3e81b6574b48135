#include "wembed/core/threads.h"

#include <omp.h>

#include <algorithm>

#include "wembed/core/range_check.h"

namespace wembed {

int resolveThreads(int requested) {
  checkRange("--threads", requested, Range::closed(0, kMaxThreads).orZero("all cores"));
  return requested > 0 ? requested : std::clamp(omp_get_max_threads(), 1, kMaxThreads);
}

}  // namespace wembed
