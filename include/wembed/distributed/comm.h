#pragma once
// Distributed runs (`mpirun -np N wembed ...`): the processes ("ranks") of one
// job and the few collective operations the trainers use. MPI stays behind
// this header (no other file includes mpi.h); in a build without MPI, or a
// process not started by mpirun, there is one rank and every collective is
// the identity.
//
// Collectives must be called by every rank, in the same order.
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "wembed/core/error.h"

namespace wembed::distributed {

// True if this build has MPI.
bool built();

// Joins the job when the process was started by an MPI launcher (mpirun sets
// OMPI_COMM_WORLD_SIZE, PMI_SIZE...), else does nothing. Throws Error in a
// build without MPI started as one of several processes. Call once, first
// thing in main; finalize() before exiting.
void init(int* argc, char*** argv);
void finalize();

int rank();  // this process's rank, 0 when not distributed
int size();  // the ranks in the job, 1 when not distributed
inline bool active() { return size() > 1; }

// In place: every rank's data[i] summed into data[i] on every rank.
void allreduceSum(float* data, int64_t n);
void allreduceSum(int64_t* data, int n);
void allreduceSum(double* data, int n);

// Personalised exchange: to[r] goes to rank r; returns from[r], what rank r
// sent to this one (each message < 2 GB). to must have size() entries.
std::vector<std::string> alltoall(const std::vector<std::string>& to);

// Every rank's string, in rank order.
std::vector<std::string> allgather(const std::string& mine);

// Runs local() on every rank and returns every rank's result, in rank order;
// if local() threw on any rank, every rank throws Error instead, with the
// message of the first rank that failed (named when it is not rank 0).
std::vector<std::string> gatherTogether(const std::function<std::string()>& local);
// The same without a result: f() on every rank, an error anywhere stops all.
void together(const std::function<void()>& f);

// True on the rank that prints messages and errors (rank 0).
inline bool reporting() { return rank() == 0; }

// Failures. together() and gatherTogether() throw JobFailed on every rank at
// once (rank 0 prints it; the job ends cleanly). An error a rank meets alone,
// between two collectives (a file only it cannot read), would leave the
// others waiting in their next collective for ever: leaving, that rank sends
// them its message, and the collectives they wait in (all but the float
// allreduce of the training synchronisations, whose failures the trainers
// agree on themselves) throw RankFailed with it ("rank R: message").
class JobFailed : public Error {
 public:
  using Error::Error;
};
class RankFailed : public Error {
 public:
  using Error::Error;
};

// How a command's error path leaves a job (tools' guarded()): call
// leaveOnError with the message and whether the exception was JobFailed or
// RankFailed; print the message if it returns true (it may have prefixed it
// with "rank R: "), then call reportedError(). Then the job ends with one
// line, from rank 0 whenever it heard of the failure within a few seconds.
// After a failure outside together(), finalize() does not wait for the other
// ranks (mpirun stops them).
enum class ErrorKind { kLocal, kJob, kRank };
ErrorKind errorKind(const std::exception& e);  // kJob for JobFailed, kRank for RankFailed
bool leaveOnError(std::string& msg, ErrorKind kind);
void reportedError();

}  // namespace wembed::distributed
