#pragma once
// Distributed runs (`mpirun -np N wembed ...`): the processes ("ranks") of one
// job and the few collective operations the trainers use. MPI stays behind
// this header (no other file includes mpi.h); in a build without MPI, or a
// process not started by mpirun, there is one rank and every collective is
// the identity.
//
// Collectives must be called by every rank, in the same order.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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

}  // namespace wembed::distributed
