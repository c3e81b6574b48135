// The temporary files and directories alive now, and the signal handler that
// removes them before the process dies of SIGINT, SIGTERM, SIGHUP or SIGPIPE; and
// SignalHold, which defers those signals over steps that must not be cut.
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "signals.h"
#include "wembed/core/io.h"

namespace wembed {

// Fixed tables of atomic pointers (lock-free, so the handler may read them).
namespace {
constexpr int kMaxTemporaries = 4096;  // co-occurrence counting may hold many run files
constexpr int kMaxTemporaryDirs = 16;
std::atomic<const char*> g_temporaries[kMaxTemporaries];
std::atomic<const char*> g_temporary_dirs[kMaxTemporaryDirs];
// The line written to stderr before dying of a signal (setSignalNote), and its length.
std::atomic<const char*> g_note{nullptr};
std::atomic<size_t> g_note_size{0};
// SignalHolds alive, and a signal that arrived meanwhile (0: none).
std::atomic<int> g_holds{0};
std::atomic<int> g_pending{0};
// A closed stdout pipe kills by SIGPIPE (the Unix convention): the
// temporaries go first there too.
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

// Unlinks every entry of a registered scratch directory, registered or not
// (another thread may have just created one), with raw system calls only:
// open, getdents64 and unlinkat are async-signal-safe, opendir is not.
void emptyDirectory(const char* dir) {
  const int fd = ::open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  alignas(8) char buf[4096];
  for (;;) {
    const long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      struct Entry {
        uint64_t ino;
        int64_t off;
        unsigned short reclen;
        unsigned char type;
        char name[1];
      };
      const Entry* e = reinterpret_cast<const Entry*>(buf + off);
      const char* name = buf + off + offsetof(Entry, name);
      if (!(name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))) ::unlinkat(fd, name, 0);
      off += e->reclen;
    }
  }
  ::close(fd);
}

void removeTemporariesAndDie(int sig) {
  if (const char* note = g_note.load()) {
    const ssize_t ignored = ::write(2, note, g_note_size.load());  // async-signal-safe
    (void)ignored;
  }
  for (auto& slot : g_temporaries)
    if (const char* p = slot.load()) ::unlink(p);  // async-signal-safe
  for (auto& slot : g_temporary_dirs)
    if (const char* p = slot.load()) {
      emptyDirectory(p);
      ::rmdir(p);
    }
  ::signal(sig, SIG_DFL);
  sigset_t one;  // blocked here after a SignalHold: let it through
  sigemptyset(&one);
  sigaddset(&one, sig);
  ::pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  ::raise(sig);
}

extern "C" void onCleanupSignal(int sig) {
  if (g_holds.load() > 0) {
    // A hold is on (on another thread: the holding one blocks these signals).
    // Leave the signal to the hold's end, unless it ended meanwhile: of this
    // handler and ~SignalHold, whichever takes g_pending back delivers it.
    g_pending.store(sig);
    if (g_holds.load() > 0 || g_pending.exchange(0) == 0) return;
  }
  removeTemporariesAndDie(sig);
}

sigset_t cleanupSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kCleanupSignals) sigaddset(&set, sig);
  return set;
}
}  // namespace

SignalHold::SignalHold() {
  const sigset_t hold = cleanupSignals();
  ::pthread_sigmask(SIG_BLOCK, &hold, &old_);
  g_holds.fetch_add(1);
}

SignalHold::~SignalHold() {
  // A signal sent to this thread arrives now, and finds the hold still on.
  ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  if (g_holds.fetch_sub(1) == 1)
    if (const int sig = g_pending.exchange(0)) removeTemporariesAndDie(sig);
}

int createRegistered(std::string& path) {
  const sigset_t hold = cleanupSignals();
  sigset_t old;
  ::pthread_sigmask(SIG_BLOCK, &hold, &old);
  registerTemporary(path.c_str());
  const int fd = ::mkstemp(path.data());
  const int err = errno;
  if (fd < 0) unregisterTemporary(path.c_str());
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = err;
  return fd;
}

void registerTemporary(const char* path, bool directory) {
  std::atomic<const char*>* table = directory ? g_temporary_dirs : g_temporaries;
  const int n = directory ? kMaxTemporaryDirs : kMaxTemporaries;
  for (int i = 0; i < n; ++i) {
    const char* empty = nullptr;
    if (table[i].compare_exchange_strong(empty, path)) return;
  }  // table full: that path is only removed by its owner
}

void unregisterTemporary(const char* path) {
  for (const bool directory : {false, true}) {
    std::atomic<const char*>* table = directory ? g_temporary_dirs : g_temporaries;
    const int n = directory ? kMaxTemporaryDirs : kMaxTemporaries;
    for (int i = 0; i < n; ++i) {
      const char* p = path;
      if (table[i].compare_exchange_strong(p, nullptr)) return;
    }
  }
}

void setSignalNote(const std::string& line) {
  g_note.store(nullptr);
  if (line.empty()) return;  // the text set before stays in memory: a handler may be reading it
  static std::string kept;   // a line is set once per process, before any signal is expected
  kept = line;
  g_note_size.store(kept.size());
  g_note.store(kept.c_str());
}

void removeTemporariesOnSignals() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  struct sigaction sa {};
  sa.sa_handler = onCleanupSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : kCleanupSignals) {
    struct sigaction old {};
    // Keep an ignored signal ignored (nohup, background jobs).
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
}

}  // namespace wembed
