#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "wembed/distributed/comm.h"

// The doctest main; started by mpirun (the tests of tests/distributed/ run
// this binary as a job of several ranks) it first joins the job.
int main(int argc, char** argv) {
  wembed::distributed::init(&argc, &argv);
  doctest::Context context;
  context.applyCommandLine(argc, argv);
  const int rc = context.run();
  wembed::distributed::finalize();
  return rc;
}
