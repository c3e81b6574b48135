#pragma once
// Helpers shared by the test files: a self-removing temporary directory,
// whole-file read/write, tokenizing to a list of events, running the CLI
// (and checking how it fails), killing a run mid-way, and feeding a loader
// every truncation and flipped byte of a good file.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "checksums.h"
#include "wembed/core/error.h"
#include "wembed/core/matrix.h"
#include "wembed/corpus/tokenizer.h"
#include "wembed/vectors/vectors.h"

namespace testutil {

namespace fs = std::filesystem;

// Vectors from (word, values) rows, for hand-made known-answer tests.
inline wembed::Vectors makeVectors(const std::vector<std::pair<std::string, std::vector<float>>>& rows) {
  wembed::Vectors v;
  const int d = static_cast<int>(rows.front().second.size());
  v.matrix = wembed::Matrix(static_cast<int64_t>(rows.size()), d);
  for (size_t i = 0; i < rows.size(); ++i) {
    v.words.push_back(rows[i].first);
    for (int j = 0; j < d; ++j) v.matrix.row(static_cast<int64_t>(i))[j] = rows[i].second[j];
  }
  return v;
}

// What f writes into a FILE*.
inline std::string captured(const std::function<void(std::FILE*)>& f) {
  std::FILE* t = std::tmpfile();
  f(t);
  std::fflush(t);
  std::rewind(t);
  std::string s;
  for (int c; (c = std::fgetc(t)) != EOF;) s.push_back(static_cast<char>(c));
  std::fclose(t);
  return s;
}

// Same shape and the same bits in every element (the row padding aside).
inline bool sameMatrix(const wembed::Matrix& a, const wembed::Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (int64_t r = 0; r < a.rows(); ++r)
    if (std::memcmp(a.row(r), b.row(r), sizeof(float) * a.cols()) != 0) return false;
  return true;
}

// The message of the wembed::Error that f throws, "" if it throws none.
inline std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const wembed::Error& e) {
    return e.what();
  }
  return "";
}

// A fresh directory from mkdtemp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    const char* t = std::getenv("TMPDIR");
    std::string tmpl = std::string(t && *t ? t : "/tmp") + "/wembed-test.XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Creates (if needed) and returns a subdirectory.
  std::string subdir(const std::string& name) const {
    std::string p = file(name);
    fs::create_directories(p);
    return p;
  }

 private:
  std::string path_;
};

inline void writeFile(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw std::runtime_error("cannot write " + path);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
}

inline std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline void writeGzip(const std::string& path, const std::string& content) {
  gzFile g = gzopen(path.c_str(), "wb");
  if (!g) throw std::runtime_error("gzopen failed for " + path);
  size_t off = 0;
  while (off < content.size()) {
    const unsigned n = static_cast<unsigned>(std::min<size_t>(content.size() - off, 1 << 16));
    if (gzwrite(g, content.data() + off, n) != static_cast<int>(n)) {
      gzclose(g);
      throw std::runtime_error("gzwrite failed for " + path);
    }
    off += n;
  }
  gzclose(g);
}

// Names of the entries of a directory (not recursive), sorted.
inline std::vector<std::string> listDir(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

inline bool hasTmpFile(const std::string& dir) {
  for (const auto& n : listDir(dir))
    if (n.find(".tmp.") != std::string::npos) return true;
  return false;
}

constexpr const char* kEos = "<EOS>";

// All events of a tokenizer: words as they are, sentence ends as kEos.
inline std::vector<std::string> events(wembed::Tokenizer& t) {
  std::vector<std::string> out;
  for (;;) {
    auto k = t.next();
    if (k == wembed::Tokenizer::kEnd) break;
    if (k == wembed::Tokenizer::kWord) out.emplace_back(t.word());
    else out.emplace_back(kEos);
  }
  return out;
}

// Words only (sentence ends dropped).
inline std::vector<std::string> words(wembed::Tokenizer& t) {
  std::vector<std::string> out;
  for (;;) {
    auto k = t.next();
    if (k == wembed::Tokenizer::kEnd) break;
    if (k == wembed::Tokenizer::kWord) out.emplace_back(t.word());
  }
  return out;
}

// Splits on ASCII whitespace, the reference tokenization.
inline std::vector<std::string> splitWords(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (wembed::isSpace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// Lines of s (split on \n and \r) that hold something other than whitespace.
inline std::vector<std::string> nonEmptyLines(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  auto push = [&]() {
    if (cur.find_first_not_of(" \t\v\f") != std::string::npos) out.push_back(cur);
    cur.clear();
  };
  for (char c : s) {
    if (c == '\n' || c == '\r') push();
    else cur.push_back(c);
  }
  push();
  return out;
}

struct RunResult {
  int status = -1;  // exit code, or -1 if it did not exit normally
  std::string out, err;
};

// Runs a shell command line with stdout and stderr captured to files in dir.
inline RunResult run(const std::string& cmdline, const std::string& dir) {
  const std::string o = dir + "/.stdout", e = dir + "/.stderr";
  const std::string full = "( " + cmdline + " ) >'" + o + "' 2>'" + e + "' </dev/null";
  const int rc = std::system(full.c_str());
  RunResult r;
  r.status = (rc != -1 && WIFEXITED(rc)) ? WEXITSTATUS(rc) : -1;
  r.out = readFile(o);
  r.err = readFile(e);
  std::remove(o.c_str());
  std::remove(e.c_str());
  return r;
}

#ifdef WEMBED_BIN
// The wembed binary under test.
inline const std::string kBin = WEMBED_BIN;

// Single-quoted for the shell (for paths without quotes in them).
inline std::string q(const std::string& s) { return "'" + s + "'"; }

// Runs `wembed ARGS` (a shell command line) in directory d.
inline RunResult runWembed(const std::string& args, const TempDir& d) {
  return run(q(kBin) + " " + args, d.path());
}
#endif

// The contract of a failed command: exit status 1 and exactly one non-empty
// stderr line, first on stderr, "wembed CMD: error: ..." (with cmd given,
// that CMD), holding `mention` if given; nothing left in any of empty_dirs.
inline void checkFailure(const RunResult& r, const std::vector<std::string>& empty_dirs, const std::string& what,
                         const std::string& mention = "", const std::string& cmd = "") {
  INFO("case: " << what);
  INFO("stderr: " << r.err);
  CHECK(r.status == 1);
  const auto lines = nonEmptyLines(r.err);
  CHECK(lines.size() == 1);
  if (!lines.empty()) {
    const std::string& line = lines[0];
    CHECK(r.err.rfind(line, 0) == 0);
    CHECK(line.rfind("wembed", 0) == 0);
    CHECK(line.find(": error: ") != std::string::npos);
    if (!cmd.empty()) CHECK(line.rfind("wembed " + cmd + ": error: ", 0) == 0);
    if (!mention.empty()) CHECK(line.find(mention) != std::string::npos);
  }
  for (const auto& dir : empty_dirs) {
    const auto left = listDir(dir);
    INFO("left in " << dir << ": " << (left.empty() ? std::string() : left.front()));
    CHECK(left.empty());
    CHECK_FALSE(hasTmpFile(dir));
  }
}

inline void checkFailure(const RunResult& r, const std::string& outdir, const std::string& what,
                         const std::string& mention = "") {
  checkFailure(r, std::vector<std::string>{outdir}, what, mention);
}

// A failed `wembed CMD ...` that writes no file: exit 1, one line
// "wembed CMD: error: ..." holding `mention`.
inline void checkError(const RunResult& r, const std::string& cmd, const std::string& mention) {
  checkFailure(r, std::vector<std::string>{}, cmd, mention, cmd);
}

// Result of runProcess: how the child ended, its peak memory and its output.
struct ProcResult {
  int status = -1;       // exit code, or -1 if it was killed by a signal
  int signal = 0;        // the terminating signal, 0 if it exited
  long max_rss_kb = 0;   // peak resident memory of the child
  std::string out, err;
};

// Runs argv[0] with argv (no shell) in directory cwd, stdin from stdin_path,
// stdout to stdout_path (or captured), stderr captured. Unlike run(), a
// crash shows as a signal, never as a shell's exit code 128+N.
inline ProcResult runProcess(const std::vector<std::string>& argv, const std::string& cwd,
                             const std::string& stdout_path = "", const std::string& stdin_path = "/dev/null") {
  char otmpl[] = "/tmp/wembed-proc-out.XXXXXX";
  char etmpl[] = "/tmp/wembed-proc-err.XXXXXX";
  const int ofd = stdout_path.empty() ? ::mkstemp(otmpl) : ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int efd = ::mkstemp(etmpl);
  if (ofd < 0 || efd < 0) throw std::runtime_error("runProcess: cannot create capture files");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("runProcess: fork failed");
  if (pid == 0) {
    const int in = ::open(stdin_path.c_str(), O_RDONLY);
    if (in < 0 || ::dup2(in, 0) < 0 || ::dup2(ofd, 1) < 0 || ::dup2(efd, 2) < 0 || ::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int st = 0;
  struct rusage ru {};
  while (::wait4(pid, &st, 0, &ru) < 0 && errno == EINTR) {}
  ::close(ofd);
  ::close(efd);
  ProcResult r;
  if (WIFEXITED(st)) r.status = WEXITSTATUS(st);
  if (WIFSIGNALED(st)) r.signal = WTERMSIG(st);
  r.max_rss_kb = ru.ru_maxrss;
  if (stdout_path.empty()) {
    r.out = readFile(otmpl);
    std::remove(otmpl);
  }
  r.err = readFile(etmpl);
  std::remove(etmpl);
  return r;
}

// How a run stopped by runUntil ended.
struct StoppedRun {
  bool ready = false;  // ready() held before the time ran out
  int status = 0;      // the wait status of the child
};

// Runs argv (argv[0] the program, no shell; stdin from stdin_fd if it is not
// -1, stdout and stderr inherited or, with discard_output, /dev/null), polls
// ready() every 5 ms until it holds or `timeout` has passed, then sends the
// child `sig` and reaps it.
inline StoppedRun runUntil(const std::vector<std::string>& argv, const std::function<bool()>& ready,
                           std::chrono::milliseconds timeout, int sig = SIGKILL, int stdin_fd = -1,
                           bool discard_output = false) {
  std::vector<char*> args;  // made before the fork: the child only calls async-signal-safe functions
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // The signal may come before the child's exec: held back over the fork, it
  // then meets the default action, never this process's handlers (doctest's).
  sigset_t held, old_mask;
  sigfillset(&held);
  ::pthread_sigmask(SIG_BLOCK, &held, &old_mask);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("runUntil: fork failed");
  if (pid == 0) {
    for (int s = 1; s < NSIG; ++s) ::signal(s, SIG_DFL);
    ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    if (stdin_fd != -1 && ::dup2(stdin_fd, 0) < 0) ::_exit(127);
    if (discard_output) {
      const int devnull = ::open("/dev/null", O_WRONLY);
      if (devnull < 0 || ::dup2(devnull, 1) < 0 || ::dup2(devnull, 2) < 0) ::_exit(127);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  StoppedRun r;
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!(r.ready = ready()) && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, sig);
  while (::waitpid(pid, &r.status, 0) < 0 && errno == EINTR) {}
  return r;
}

// Runs `bin args...` until `file` exists (up to `timeout`: a loaded machine
// is slow), then kills it with SIGKILL.
inline StoppedRun runUntilFileThenKill(const std::string& bin, const std::vector<std::string>& args,
                                       const std::string& file,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  std::vector<std::string> argv{bin};
  argv.insert(argv.end(), args.begin(), args.end());
  return runUntil(argv, [&] { return ::access(file.c_str(), F_OK) == 0; }, timeout, SIGKILL);
}

// A tmpfs mounted on a fresh directory (e.g. "size=1m" or "ro,size=1m"),
// unmounted on destruction. ok() is false (and why() says why) where mounting
// is not allowed (not root, no CAP_SYS_ADMIN, a restricted container).
class TmpfsMount {
 public:
  TmpfsMount(const std::string& dir, const std::string& options) : dir_(dir) {
    fs::create_directories(dir);
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      ok_ = true;
    } else {
      why_ = std::string("mount -t tmpfs -o ") + options + " " + dir + ": " + std::strerror(errno);
    }
  }
  // Remounts read-only (for a directory that has files in it already).
  bool remountReadOnly() {
    return ok_ && ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }
  ~TmpfsMount() {
    if (ok_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool ok() const { return ok_; }
  const std::string& why() const { return why_; }
  const std::string& path() const { return dir_; }

 private:
  std::string dir_, why_;
  bool ok_ = false;
};

// Loads a file by its path (a checkpoint loader, a reader, ...).
using Loader = std::function<void(const std::string& path)>;

// The offsets a corruption sweep visits: every one below `dense`, then every `step`-th.
struct Sweep {
  size_t dense = SIZE_MAX;
  size_t step = 1;
  size_t next(size_t i) const { return i + (i < dense ? 1 : step); }
};

// Damaged copies of a file, written to `path` and given to `load`, which must
// refuse them with a wembed::Error naming the file.
struct DamagedFile {
  Loader load;
  std::string path;

  // Writes content and loads it: true if refused; the message must name the
  // file and, if given, hold `why`.
  bool refused(const std::string& content, const std::string& why = "") const {
    writeFile(path, content);
    try {
      load(path);
    } catch (const wembed::Error& e) {
      const std::string msg = e.what();
      CHECK_MESSAGE(msg.find(path) != std::string::npos, msg);
      if (!why.empty()) CHECK_MESSAGE(msg.find(why) != std::string::npos, msg);
      return true;
    }
    return false;
  }

  // Every cut of the good content (each shorter length `cuts` visits) and
  // every byte from first_flip on (those `flips` visits) XORed with mask are refused.
  void checkEveryCorruption(const std::string& good, unsigned char mask, size_t first_flip = 8, Sweep cuts = {},
                            Sweep flips = {}) const {
    for (size_t n = 0; n < good.size(); n = cuts.next(n)) {
      INFO("truncated to " << n << " bytes");
      CHECK(refused(good.substr(0, n)));
    }
    for (size_t i = first_flip; i < good.size(); i = flips.next(i)) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      INFO("byte " << i << " flipped");
      CHECK(refused(bad));
    }
  }
};

}  // namespace testutil
