#include <doctest/doctest.h>

#include <omp.h>

#include "wembed/core/threads.h"

using namespace wembed;

TEST_CASE("threads: resolveThreads keeps a count, resolves 0 to OpenMP's default") {
  CHECK(resolveThreads(1) == 1);
  CHECK(resolveThreads(3) == 3);
  CHECK(resolveThreads(64) == 64);
  CHECK(resolveThreads(0) == omp_get_max_threads());
  CHECK(resolveThreads(-1) == omp_get_max_threads());
  CHECK(resolveThreads(0) >= 1);
  // OMP_NUM_THREADS (here set through the API, as the variable would) decides 0.
  const int before = omp_get_max_threads();
  omp_set_num_threads(2);
  CHECK(resolveThreads(0) == 2);
  CHECK(resolveThreads(5) == 5);
  omp_set_num_threads(before);
}
