#pragma once
// Helpers shared by the test files: a self-removing temporary directory,
// whole-file read/write, tokenizing to a list of events, and running the CLI.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "checksums.h"
#include "wembed/matrix.h"
#include "wembed/tokenizer.h"
#include "wembed/vectors.h"

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

}  // namespace testutil
