#include "wembed/distributed/comm.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <new>
#include <thread>

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

// Failure notices travel on a communicator of their own (a duplicate of
// MPI_COMM_WORLD), apart from the collectives.
MPI_Comm g_notices = MPI_COMM_NULL;
constexpr int kNoticeTag = 1;  // a rank's error message, sent to every other rank as it leaves
constexpr int kAckTag = 2;     // rank 0 to the others: the job's error line is printed
bool g_left = false;           // leaving on an error outside together(): no MPI_Finalize
std::string g_notice;          // a notice received (every later collective throws it again)
std::string g_sent;            // the notice this rank sent (alive until the process ends)
std::vector<MPI_Request> g_sends;

// Sends n bytes of data to every other rank (not waiting for them).
void sendToOthers(const char* data, int n, int tag) {
  for (int r = 0; r < g_size; ++r) {
    if (r == g_rank) continue;
    g_sends.emplace_back();
    if (MPI_Isend(data, n, MPI_CHAR, r, tag, g_notices, &g_sends.back()) != MPI_SUCCESS) g_sends.pop_back();
  }
}

// Sleeps a little once a wait has lasted (a rank waiting for another one
// counting a large corpus leaves the cores to the threads that work).
void pause(long spins) {
  if (spins < 20000) std::this_thread::yield();
  else std::this_thread::sleep_for(std::chrono::microseconds(50));
}

// Waits for a nonblocking collective. A failure notice from another rank
// meanwhile throws RankFailed (the collective stays pending: the process
// then leaves without MPI_Finalize).
void await(MPI_Request& req, const char* what) {
  for (long spins = 0;; ++spins) {
    int done = 0;
    check(MPI_Test(&req, &done, MPI_STATUS_IGNORE), what);
    if (done) return;
    int notice = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kNoticeTag, g_notices, &notice, &st);
    if (notice) {
      int n = 0;
      MPI_Get_count(&st, MPI_CHAR, &n);
      std::string msg(static_cast<size_t>(std::max(n, 0)), '\0');
      MPI_Recv(msg.data(), n, MPI_CHAR, st.MPI_SOURCE, kNoticeTag, g_notices, MPI_STATUS_IGNORE);
      g_notice = msg.empty() ? "rank " + std::to_string(st.MPI_SOURCE) + " failed" : msg;
      g_left = true;
      throw RankFailed(g_notice);
    }
    pause(spins);
  }
}

// Runs a nonblocking collective: start(&request) posts it (returning its MPI
// code), then await. A notice already received stops it before it starts.
template <class Start>
void collective(const char* what, Start&& start) {
  if (!g_notice.empty()) throw RankFailed(g_notice);
  MPI_Request req;
  check(start(&req), what);
  await(req, what);
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
  check(MPI_Comm_dup(MPI_COMM_WORLD, &g_notices), "MPI_Comm_dup");
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
  // After leaving on an error the other ranks may be stopped (or waiting in
  // a collective this rank left): MPI_Finalize would wait for them.
  if (g_initialised && !g_left) MPI_Finalize();
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
  collective("MPI_Iallreduce", [&](MPI_Request* r) {
    return MPI_Iallreduce(MPI_IN_PLACE, data, n, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD, r);
  });
#else
  (void)data, (void)n;
#endif
}

void allreduceSum(double* data, int n) {
#ifdef WEMBED_HAVE_MPI
  if (g_size == 1) return;
  collective("MPI_Iallreduce", [&](MPI_Request* r) {
    return MPI_Iallreduce(MPI_IN_PLACE, data, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD, r);
  });
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
    collective("MPI_Ialltoall", [&](MPI_Request* r) {
      return MPI_Ialltoall(send.data(), 1, MPI_INT, recv.data(), 1, MPI_INT, MPI_COMM_WORLD, r);
    });
    int64_t total = 0;
    for (int r = 0; r < g_size; ++r) {
      roff[r] = static_cast<int>(total);
      total += recv[r];
    }
    if (total > INT32_MAX) throw Error("MPI: the ranks' messages add up to more than 2 GB");
    std::string in(static_cast<size_t>(total), '\0');
    collective("MPI_Ialltoallv", [&](MPI_Request* r) {
      return MPI_Ialltoallv(out.data(), send.data(), soff.data(), MPI_CHAR, in.data(), recv.data(), roff.data(),
                            MPI_CHAR, MPI_COMM_WORLD, r);
    });
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
    collective("MPI_Iallgather", [&](MPI_Request* r) {
      return MPI_Iallgather(&me, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD, r);
    });
    int64_t total = 0;
    for (int r = 0; r < g_size; ++r) {
      offsets[r] = static_cast<int>(total);
      total += sizes[r];
    }
    if (total > INT32_MAX) throw Error("MPI: the ranks' messages add up to more than 2 GB");
    std::string all(static_cast<size_t>(total), '\0');
    collective("MPI_Iallgatherv", [&](MPI_Request* r) {
      return MPI_Iallgatherv(mine.data(), me, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR,
                             MPI_COMM_WORLD, r);
    });
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
      throw JobFailed(r == 0 ? all[r].substr(1) : "rank " + std::to_string(r) + ": " + all[r].substr(1));
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

ErrorKind errorKind(const std::exception& e) {
  if (dynamic_cast<const JobFailed*>(&e)) return ErrorKind::kJob;
  if (dynamic_cast<const RankFailed*>(&e)) return ErrorKind::kRank;
  return ErrorKind::kLocal;
}

bool leaveOnError(std::string& msg, ErrorKind kind) {
  if (g_size == 1 || kind == ErrorKind::kJob) return reporting();  // every rank is here
#ifdef WEMBED_HAVE_MPI
  g_left = true;
  if (kind == ErrorKind::kRank) return reporting();  // the rank that failed waits for rank 0's word
  // This rank failed alone, as far as it knows: it tells the others, which
  // stop in the collective they wait in (rank 0 then prints this message).
  g_sent = g_rank == 0 ? msg : "rank " + std::to_string(g_rank) + ": " + msg;
  sendToOthers(g_sent.data(), static_cast<int>(g_sent.size()), kNoticeTag);
  if (g_rank == 0) return true;
  // A few seconds for rank 0 to print it (or its own error, if every rank
  // failed alike); else this rank prints it (rank 0 may be busy for long
  // before its next collective; mpirun stops it when this rank leaves).
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (long spins = 0; std::chrono::steady_clock::now() < until; ++spins) {
    int ack = 0;
    MPI_Iprobe(0, kAckTag, g_notices, &ack, MPI_STATUS_IGNORE);
    if (ack) {
      MPI_Recv(nullptr, 0, MPI_CHAR, 0, kAckTag, g_notices, MPI_STATUS_IGNORE);
      return false;
    }
    int all_sent = 0;  // lets the sends progress
    MPI_Testall(static_cast<int>(g_sends.size()), g_sends.data(), &all_sent, MPI_STATUSES_IGNORE);
    pause(spins);
  }
  msg = g_sent;
  return true;
#else
  (void)msg;
  return reporting();
#endif
}

void reportedError() {
#ifdef WEMBED_HAVE_MPI
  if (g_size == 1 || !g_left || g_rank != 0) return;
  sendToOthers(nullptr, 0, kAckTag);
  // The acknowledgements (and this rank's notices) on their way before it exits.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (long spins = 0; std::chrono::steady_clock::now() < until; ++spins) {
    int all_sent = 0;
    MPI_Testall(static_cast<int>(g_sends.size()), g_sends.data(), &all_sent, MPI_STATUSES_IGNORE);
    if (all_sent) return;
    pause(spins);
  }
#endif
}

}  // namespace wembed::distributed
