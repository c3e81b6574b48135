#include <doctest/doctest.h>

#include <omp.h>

#include "wembed/core/error.h"
#include "wembed/core/threads.h"

using namespace wembed;

TEST_CASE("threads: resolveThreads keeps a count, resolves 0 to OpenMP's default, refuses or caps above kMaxThreads") {
  CHECK(resolveThreads(1) == 1);
  CHECK(resolveThreads(3) == 3);
  CHECK(resolveThreads(64) == 64);
  CHECK(resolveThreads(0) == omp_get_max_threads());
  CHECK(resolveThreads(kMaxThreads) == kMaxThreads);
  CHECK_THROWS_WITH_AS(resolveThreads(-1), "--threads must be in [0, 1024] (0: all cores), not -1", Error);
  CHECK_THROWS_AS(resolveThreads(kMaxThreads + 1), Error);
  CHECK_THROWS_AS(resolveThreads(1000000), Error);
  CHECK(resolveThreads(0) >= 1);
  // OMP_NUM_THREADS (here set through the API, as the variable would) decides 0.
  const int before = omp_get_max_threads();
  omp_set_num_threads(2);
  CHECK(resolveThreads(0) == 2);
  CHECK(resolveThreads(5) == 5);
  omp_set_num_threads(100000);  // OMP_NUM_THREADS=100000: capped, not refused
  CHECK(resolveThreads(0) == kMaxThreads);
  omp_set_num_threads(before);
}
