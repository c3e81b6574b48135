#include "wembed/core/threads.h"

#include <omp.h>

#include <algorithm>
#include <string>

#include "wembed/core/error.h"

namespace wembed {

int resolveThreads(int requested) {
  if (requested < 0 || requested > kMaxThreads)
    throw Error("--threads must be between 0 (all cores) and " + std::to_string(kMaxThreads));
  return requested > 0 ? requested : std::clamp(omp_get_max_threads(), 1, kMaxThreads);
}

}  // namespace wembed
