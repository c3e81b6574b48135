#include "wembed/distributed/comm.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <new>

#include "wembed/core/error.h"

#ifdef WEMBED_HAVE_MPI
#include <mpi.h>
#endif

namespace wembed::distributed {

namespace {
int g_rank = 0, g_size = 1;
bool g_initialised = false;

// The job's size as the launchers announce it (0: not started by one).
int launcherSize() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::atoi(v);
  }
  return 0;
}

#ifdef WEMBED_HAVE_MPI
void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw Error(std::string("MPI: ") + what + " failed");
}
#endif

// A rank's status and result as one string: 'o' + result, or 'e' + message.
std::string encode(const std::function<std::string()>& local) {
  try {
    return "o" + local();
  } catch (const std::bad_alloc&) {
    return "eout of memory";
  } catch (const std::exception& e) {
    return std::string("e") + e.what();
  }
}
}  // namespace

bool built() {
#ifdef WEMBED_HAVE_MPI
  return true;
#else
  return false;
#endif
}

void init(int* argc, char*** argv) {
  const int n = launcherSize();
  if (n <= 0) return;
#ifdef WEMBED_HAVE_MPI
  // A rank waiting in a collective yields its core to the training threads.
  setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0);
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  g_initialised = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  if (provided < MPI_THREAD_SERIALIZED && g_size > 1)
    throw Error("MPI: this MPI library does not support calls from a communication thread (MPI_THREAD_SERIALIZED)");
#else
  if (n > 1) {
    for (const char* var : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"})  // rank 0 alone says so
      if (const char* v = std::getenv(var)) {
        g_rank = std::atoi(v);
        break;
      }
    throw Error("this wembed was built without MPI and cannot run as " + std::to_string(n) +
                " processes; install libopenmpi-dev and rebuild (cmake -DWEMBED_MPI=ON)");
  }
#endif
}

void finalize() {
#ifdef WEMBED_HAVE_MPI
  if (g_initialised) MPI_Finalize();
#endif
  g_initialised = false;
}

int rank() { return g_rank; }
int size() { return g_size; }

void allreduceSum(float* data, int64_t n) {
#ifdef WEMBED_HAVE_MPI
  if (g_size == 1) return;
  constexpr int64_t kChunk = int64_t(1) << 28;  // MPI counts are ints
  for (int64_t i = 0; i < n; i += kChunk)
    check(MPI_Allreduce(MPI_IN_PLACE, data + i, static_cast<int>(std::min(kChunk, n - i)), MPI_FLOAT, MPI_SUM,
                        MPI_COMM_WORLD),
          "MPI_Allreduce");
#else
  (void)data, (void)n;
#endif
}

void allreduceSum(int64_t* data, int n) {
#ifdef WEMBED_HAVE_MPI
  if (g_size == 1) return;
  check(MPI_Allreduce(MPI_IN_PLACE, data, n, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
#else
  (void)data, (void)n;
#endif
}

void allreduceSum(double* data, int n) {
#ifdef WEMBED_HAVE_MPI
  if (g_size == 1) return;
  check(MPI_Allreduce(MPI_IN_PLACE, data, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
#else
  (void)data, (void)n;
#endif
}

std::vector<std::string> alltoall(const std::vector<std::string>& to) {
  if (static_cast<int>(to.size()) != g_size) throw Error("MPI: alltoall needs one message per rank");
#ifdef WEMBED_HAVE_MPI
  if (g_size > 1) {
    std::vector<int> send(g_size), recv(g_size), soff(g_size), roff(g_size);
    std::string out;
    for (int r = 0; r < g_size; ++r) {
      if (to[r].size() > static_cast<size_t>(INT32_MAX) || out.size() + to[r].size() > static_cast<size_t>(INT32_MAX))
        throw Error("MPI: a message of more than 2 GB");
      send[r] = static_cast<int>(to[r].size());
      soff[r] = static_cast<int>(out.size());
      out += to[r];
    }
    check(MPI_Alltoall(send.data(), 1, MPI_INT, recv.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Alltoall");
    int64_t total = 0;
    for (int r = 0; r < g_size; ++r) {
      roff[r] = static_cast<int>(total);
      total += recv[r];
    }
    if (total > INT32_MAX) throw Error("MPI: the ranks' messages add up to more than 2 GB");
    std::string in(static_cast<size_t>(total), '\0');
    check(MPI_Alltoallv(out.data(), send.data(), soff.data(), MPI_CHAR, in.data(), recv.data(), roff.data(), MPI_CHAR,
                        MPI_COMM_WORLD),
          "MPI_Alltoallv");
    std::vector<std::string> from(g_size);
    for (int r = 0; r < g_size; ++r) from[r] = in.substr(roff[r], recv[r]);
    return from;
  }
#endif
  return to;
}

std::vector<std::string> allgather(const std::string& mine) {
#ifdef WEMBED_HAVE_MPI
  if (g_size > 1) {
    if (mine.size() > static_cast<size_t>(INT32_MAX)) throw Error("MPI: a message of more than 2 GB");
    std::vector<int> sizes(g_size), offsets(g_size);
    int me = static_cast<int>(mine.size());
    check(MPI_Allgather(&me, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    int64_t total = 0;
    for (int r = 0; r < g_size; ++r) {
      offsets[r] = static_cast<int>(total);
      total += sizes[r];
    }
    if (total > INT32_MAX) throw Error("MPI: the ranks' messages add up to more than 2 GB");
    std::string all(static_cast<size_t>(total), '\0');
    check(MPI_Allgatherv(mine.data(), me, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR,
                         MPI_COMM_WORLD),
          "MPI_Allgatherv");
    std::vector<std::string> out(g_size);
    for (int r = 0; r < g_size; ++r) out[r] = all.substr(offsets[r], sizes[r]);
    return out;
  }
#endif
  return {mine};
}

std::vector<std::string> gatherTogether(const std::function<std::string()>& local) {
  std::vector<std::string> all = allgather(encode(local));
  for (size_t r = 0; r < all.size(); ++r)
    if (all[r][0] == 'e') {
      if (all.size() == 1) throw Error(all[r].substr(1));
      throw Error(r == 0 ? all[r].substr(1) : "rank " + std::to_string(r) + ": " + all[r].substr(1));
    }
  for (auto& s : all) s.erase(0, 1);
  return all;
}

void together(const std::function<void()>& f) {
  if (g_size == 1) return f();  // its own exception, whatever its type
  gatherTogether([&] {
    f();
    return std::string();
  });
}

}  // namespace wembed::distributed
