#pragma once

namespace wembed {

// The number of threads a run uses for a requested count: requested itself
// when > 0; otherwise (0, "as many as the machine has") OpenMP's default team
// size, omp_get_max_threads(): OMP_NUM_THREADS when it is set, else the
// processors this process may run on. Every trainer and counter resolves its
// `threads` setting with this one rule.
int resolveThreads(int requested);

}  // namespace wembed
