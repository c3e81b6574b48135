#include "wembed/core/io.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "wembed/core/error.h"

namespace wembed {

// Paths of the temporary files and directories alive now, for the signal
// handler: fixed tables of atomic pointers (lock-free, so the handler may
// read them).
namespace {
constexpr int kMaxTemporaries = 4096;  // co-occurrence counting may hold many run files
constexpr int kMaxTemporaryDirs = 16;
std::atomic<const char*> g_temporaries[kMaxTemporaries];
std::atomic<const char*> g_temporary_dirs[kMaxTemporaryDirs];

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

extern "C" void removeTemporariesAndDie(int sig) {
  for (auto& slot : g_temporaries)
    if (const char* p = slot.load()) ::unlink(p);  // async-signal-safe
  for (auto& slot : g_temporary_dirs)
    if (const char* p = slot.load()) {
      emptyDirectory(p);
      ::rmdir(p);
    }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Creates a file from a mkstemp template with its name registered for the
// signal handler before the file exists: the template is registered first
// and filled in place, with the cleanup signals held back on this thread
// meanwhile, so there is no moment when the file exists unregistered.
// `path` must keep its buffer (not be modified) until it is unregistered.
int createRegistered(std::string& path) {
  sigset_t hold, old;
  sigemptyset(&hold);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&hold, sig);
  ::pthread_sigmask(SIG_BLOCK, &hold, &old);
  registerTemporary(path.c_str());
  const int fd = ::mkstemp(path.data());
  const int err = errno;
  if (fd < 0) unregisterTemporary(path.c_str());
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = err;
  return fd;
}
}  // namespace

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

void removeTemporariesOnSignals() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  struct sigaction sa {};
  sa.sa_handler = removeTemporariesAndDie;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    // Keep an ignored signal ignored (nohup, background jobs).
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
}

bool isGzipPath(const std::string& p) { return p.size() > 3 && p.compare(p.size() - 3, 3, ".gz") == 0; }
bool isStdinPath(const std::string& p) { return p == "-"; }

std::string quotedName(const std::string& path) { return isStdinPath(path) ? "standard input" : "'" + path + "'"; }

uint64_t regularFileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw sysError("cannot open", path);
  if (S_ISDIR(st.st_mode)) throw fileError("cannot read", path, "it is a directory");
  return static_cast<uint64_t>(st.st_size);
}

void checkReadable(const std::string& path) {
  if (isStdinPath(path)) return;
  regularFileSize(path);
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw sysError("cannot open", path);
  ::close(fd);
}

ByteReader::ByteReader(const std::string& path) : path_(path) {
  if (isStdinPath(path)) {
    fd_ = 0;
    return;
  }
  regularFileSize(path);  // clear errors for missing files and directories
  fd_ = ::open(path.c_str(), O_RDONLY);
  if (fd_ < 0) throw sysError("cannot open", path);
  if (isGzipPath(path)) {
    ::close(fd_);
    fd_ = -1;
    gz_ = gzopen(path.c_str(), "rb");
    if (!gz_) throw sysError("cannot open gzip file", path);
    gzbuffer(static_cast<gzFile>(gz_), 1 << 17);
  } else {
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
}

ByteReader::~ByteReader() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
  if (fd_ > 0) ::close(fd_);
}

size_t ByteReader::read(char* buf, size_t n) {
  if (gz_) {
    int r = gzread(static_cast<gzFile>(gz_), buf, static_cast<unsigned>(n > (1u << 30) ? (1u << 30) : n));
    if (r < 0) {
      int err = 0;
      gzerror(static_cast<gzFile>(gz_), &err);
      throw fileError("cannot read gzip file", path_, err == Z_ERRNO ? std::strerror(errno) : "corrupt or truncated data");
    }
    if (r == 0) {
      int err = Z_OK;
      gzerror(static_cast<gzFile>(gz_), &err);
      if (err == Z_BUF_ERROR) throw fileError("cannot read gzip file", path_, "the file is truncated");
      if (err != Z_OK) throw fileError("cannot read gzip file", path_, "corrupt data");
    }
    return static_cast<size_t>(r);
  }
  for (;;) {
    ssize_t r = ::read(fd_, buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (errno == EINTR) continue;
    throw sysError("cannot read", path_);
  }
}

void ByteReader::seek(uint64_t offset) {
  if (gz_ || fd_ == 0) throw Error("cannot seek in '" + path_ + "'");
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) throw sysError("cannot seek in", path_);
}

LineReader::LineReader(const std::string& path, size_t max_bytes, bool universal_newlines)
    : reader_(path), buf_(1 << 16), max_(max_bytes), universal_(universal_newlines) {}

bool LineReader::fill() {
  if (eof_) return false;
  pos_ = 0;
  len_ = reader_.read(buf_.data(), buf_.size());
  if (len_ == 0) eof_ = true;
  return len_ > 0;
}

bool LineReader::next(std::string& line) {
  line.clear();
  bool any = false;  // a line exists (even an empty one ended by a terminator)
  for (;;) {
    if (pos_ >= len_ && !fill()) {
      if (any) ++line_no_;
      return any;
    }
    if (skip_lf_) {
      skip_lf_ = false;
      if (buf_[pos_] == '\n') {
        ++pos_;
        continue;
      }
    }
    any = true;
    const char* b = buf_.data() + pos_;
    const size_t n = len_ - pos_;
    const char* e = static_cast<const char*>(std::memchr(b, '\n', n));
    if (universal_) {
      const char* cr = static_cast<const char*>(std::memchr(b, '\r', e ? static_cast<size_t>(e - b) : n));
      if (cr) e = cr;
    }
    const size_t take = e ? static_cast<size_t>(e - b) : n;
    if (line.size() + take > max_)
      throw Error("'" + reader_.path() + "' line " + std::to_string(line_no_ + 1) + " is longer than " +
                  std::to_string(max_) + " bytes (not a text file of the expected kind?)");
    line.append(b, take);
    pos_ += take;
    if (e) {
      if (*e == '\r') skip_lf_ = true;
      ++pos_;
      ++line_no_;
      return true;
    }
  }
}

static std::string dirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
  if (path.empty()) throw Error("empty output path");
  struct stat st;
  // Follow a symbolic link, so the link stays and its target is replaced.
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    if (char* real = ::realpath(path.c_str(), nullptr)) {
      path_ = real;
      std::free(real);
    }
  }
  const std::string dir = dirOf(path_);
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) throw fileError("cannot write", path, "directory '" + dir + "' does not exist");
    throw fileError("cannot write", path, sysError("directory", dir).what());
  }
  if (!S_ISDIR(st.st_mode)) throw fileError("cannot write", path, "'" + dir + "' is not a directory");
  mode_t mode = 0;
  bool exists = false;
  if (::stat(path_.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw fileError("cannot write", path, "it is a directory");
    if (!S_ISREG(st.st_mode))
      throw fileError("cannot write", path, "it exists and is not a regular file (a FIFO or device)");
    exists = true;
    mode = st.st_mode & 07777;
  }
  if (!exists) {  // as open(O_CREAT, 0666) would: the umask applies
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  tmp_ = path_ + ".tmp.XXXXXX";
  int fd = createRegistered(tmp_);
  if (fd < 0) {
    tmp_.clear();
    throw sysError("cannot write", path);
  }
  ::fchmod(fd, mode);  // keeps an existing file's permissions
  f_ = ::fdopen(fd, "wb");
  if (!f_) {
    ::close(fd);
    ::unlink(tmp_.c_str());
    unregisterTemporary(tmp_.c_str());
    throw sysError("cannot write", path);
  }
  std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
}

void removeAtomicLeftovers(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  const std::string prefix = p.filename().string() + ".tmp.";
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code ignored;
    if (name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0 &&
        it->is_regular_file(ignored))
      fs::remove(it->path(), ignored);
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    if (f_) std::fclose(f_);
    if (!tmp_.empty()) ::unlink(tmp_.c_str());
  }
  if (!tmp_.empty()) unregisterTemporary(tmp_.c_str());
}

void AtomicFile::write(const void* data, size_t n) {
  if (n && std::fwrite(data, 1, n, f_) != n) throw sysError("cannot write", path_);
}

void AtomicFile::finish() {
  if (!f_) return;
  if (std::fflush(f_) != 0) throw sysError("cannot write", path_);
  if (::fsync(::fileno(f_)) != 0) throw sysError("cannot write", path_);
  int rc = std::fclose(f_);
  f_ = nullptr;
  if (rc != 0) throw sysError("cannot write", path_);
}

void AtomicFile::commit() {
  if (committed_) return;
  finish();
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) throw sysError("cannot write", path_);
  committed_ = true;
  // Make the rename itself durable.
  const int dfd = ::open(dirOf(path_).c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

PendingFiles::~PendingFiles() {
  if (committed_) return;
  files_.clear();  // removes the temporary files
  for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) ::rmdir(it->c_str());
}

AtomicFile& PendingFiles::open(const std::string& path) {
  return *files_.emplace_back(std::make_unique<AtomicFile>(path));
}

void PendingFiles::commit() {
  for (auto& f : files_) f->finish();
  for (auto& f : files_) f->commit();
  committed_ = true;
}

std::string defaultTmpDir() {
  const char* t = std::getenv("TMPDIR");
  return (t && *t) ? t : "/tmp";
}

TempFile::TempFile(const std::string& dir, const std::string& stem) {
  path_ = dir + "/" + stem + ".XXXXXX";
  fd_ = createRegistered(path_);
  if (fd_ < 0) {
    path_.clear();
    throw sysError("cannot create a temporary file in", dir);
  }
}

TempFile::~TempFile() {
  close();
  if (!path_.empty()) {
    ::unlink(path_.c_str());
    unregisterTemporary(path_.c_str());
  }
}

void TempFile::write(const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw sysError("cannot write temporary file", path_);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void TempFile::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

MappedFile::MappedFile(const std::string& path, bool populate) : path_(path) {
  size_ = static_cast<size_t>(regularFileSize(path));
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw sysError("cannot open", path);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
    if (p == MAP_FAILED) {
      const Error e = sysError("cannot map", path);
      ::close(fd);
      throw e;
    }
    data_ = static_cast<const char*>(p);
    ::madvise(p, size_, MADV_SEQUENTIAL);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace wembed
