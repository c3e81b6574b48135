#pragma once

namespace wembed {

// The most threads a run may use. A larger --threads is refused; a larger
// default (OMP_NUM_THREADS) is capped to it.
constexpr int kMaxThreads = 1024;

// The number of threads a run uses for a requested count: requested itself
// when 1..kMaxThreads; for 0 ("as many as the machine has") OpenMP's default
// team size, omp_get_max_threads() (OMP_NUM_THREADS when it is set, else the
// processors this process may run on), capped at kMaxThreads. Throws Error
// for a count below 0 or above kMaxThreads. Every command resolves its
// `threads` setting with this one rule (the CLI checks every --threads with it).
int resolveThreads(int requested);

}  // namespace wembed
