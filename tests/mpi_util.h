#pragma once
// Running a distributed job in the tests: `mpirun -np N` on this machine
// (loopback), when Open MPI's mpirun is installed and this build has MPI.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "test_util.h"
#include "wembed/distributed/comm.h"

namespace testutil {

// Empty when the MPI tests cannot run here, else the reason they can.
inline std::string mpiUnavailable() {
  if (!wembed::distributed::built()) return "this build has no MPI (WEMBED_MPI=OFF)";
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0) return "mpirun is not installed (openmpi-bin)";
  return "";
}

// The launcher's command line for n ranks on this machine (more ranks than
// cores allowed; root allowed, as in containers and CI; -q: no notes from
// mpirun itself, so a failed job shows only rank 0's error line).
inline std::string mpirun(int n) {
  return "OMPI_MCA_btl_vader_single_copy_mechanism=none mpirun -q --oversubscribe --allow-run-as-root --bind-to none "
         "-np " + std::to_string(n) + " ";
}

// A 2-rank job of `wembed<args>` run in dir, whose rank 1 is killed with
// SIGKILL (no handler runs) once the shell test `until` holds there (or
// after 2 minutes). Rank 1 is a shell that writes its pid and becomes
// wembed; the job's stderr is collected in job.err and returned in err.
inline RunResult killRank1When(const std::string& args, const std::string& until, const std::string& dir) {
  const std::string script = mpirun(1) + q(kBin) + args + " : -np 1 sh -c 'echo $$ > r1.pid; exec " + kBin + args +
                             "' 2> job.err & job=$!; n=0; while ! { " + until +
                             "; } || [ ! -s r1.pid ]; do sleep 0.05; n=$((n+1)); [ $n -gt 2400 ] && break; done; "
                             "kill -KILL $(cat r1.pid); wait $job; rc=$?; cat job.err >&2; exit $rc";
  return run("cd " + q(dir) + " && { " + script + "; }", dir);
}

// True if the MPI tests can run here; otherwise says why (a test then skips).
inline bool mpiReady() {
  const std::string why = mpiUnavailable();
  if (why.empty()) return true;
  MESSAGE("skipped: " << why);
  return false;
}

// How many times `what` occurs in s (error lines in a job's output).
inline int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace testutil
