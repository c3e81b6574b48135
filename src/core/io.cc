#include "wembed/core/io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "signals.h"
#include "wembed/core/error.h"
#include "wembed/core/utf8.h"
#include "xz.h"

namespace wembed {

namespace {
bool endsWith(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() > n && s.compare(s.size() - n, n, suffix) == 0;
}

// Refuses by its metadata (never opening it) what cannot be an input.
void refuseNonInput(const std::string& path, const struct stat& st) {
  if (S_ISDIR(st.st_mode)) throw fileError("cannot read", path, "it is a directory");
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
    throw fileError("cannot read", path, "it is a device, not a file (read it through standard input, '-')");
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) throw fileError("cannot read", path, "not a regular file or a pipe");
}

// stat()s a named input and refuses what cannot be one.
struct stat statInput(const std::string& path) {
  if (endsWith(path, ".bz2"))
    throw fileError("cannot read", path, "bzip2 is not supported (decompress it, or compress it with gzip or xz)");
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw sysError("cannot open", path);
  refuseNonInput(path, st);
  return st;
}
}  // namespace

bool isGzipPath(const std::string& p) { return endsWith(p, ".gz"); }
bool isCompressedPath(const std::string& p) { return endsWith(p, ".gz") || endsWith(p, ".xz"); }
bool isStdinPath(const std::string& p) { return p == "-"; }

bool isStreamInput(const std::string& p) {
  if (isStdinPath(p) || isCompressedPath(p)) return true;
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

std::string quotedName(const std::string& path) { return isStdinPath(path) ? "standard input" : quote(path, 160); }

uint64_t regularFileSize(const std::string& path) {
  const struct stat st = statInput(path);
  if (!S_ISREG(st.st_mode))
    throw fileError("cannot read", path, "it is a pipe, not a regular file (this needs a file it can read again)");
  return static_cast<uint64_t>(st.st_size);
}

void checkReadable(const std::string& path) {
  if (isStdinPath(path)) return;
  if (S_ISFIFO(statInput(path).st_mode)) return;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw sysError("cannot open", path);
  ::close(fd);
}

InputFile::InputFile(const std::string& path) {
  if (isStdinPath(path)) {
    fd_ = 0;
    return;
  }
  // A FIFO's open waits for its writer. Anything else opens at once:
  // O_NONBLOCK guards against a FIFO put in its place since the stat.
  const bool fifo = S_ISFIFO(statInput(path).st_mode);
  while ((fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (fifo ? 0 : O_NONBLOCK))) < 0 && errno == EINTR) {
  }
  if (fd_ < 0) throw sysError("cannot open", path);
  owned_ = true;
  struct stat st;
  try {
    if (::fstat(fd_, &st) != 0) throw sysError("cannot read", path);
    refuseNonInput(path, st);
    if (!fifo && !S_ISREG(st.st_mode)) throw fileError("cannot read", path, "it changed while being opened");
  } catch (...) {
    ::close(fd_);
    throw;
  }
  if (!fifo) ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
  regular_ = S_ISREG(st.st_mode);
  size_ = regular_ ? static_cast<uint64_t>(st.st_size) : 0;
}

InputFile::~InputFile() {
  if (owned_) ::close(fd_);
}

int InputFile::release() {
  owned_ = false;
  return fd_;
}

ByteReader::ByteReader(const std::string& path) : path_(path), in_(path) {
  if (isGzipPath(path)) {
    const int fd = in_.release();
    gz_ = gzdopen(fd, "rb");
    if (!gz_) {
      ::close(fd);
      throw sysError("cannot open gzip file", path);
    }
    gzbuffer(static_cast<gzFile>(gz_), 1 << 17);
  } else if (endsWith(path, ".xz")) {
    xz_ = std::make_unique<detail::XzDecoder>(in_.fd(), path);
  } else if (in_.regular()) {
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(in_.fd(), 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
}

ByteReader::~ByteReader() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
}

size_t ByteReader::read(char* buf, size_t n) {
  if (xz_) return n ? xz_->read(buf, n) : 0;
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
    ssize_t r = ::read(in_.fd(), buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (errno == EINTR) continue;
    throw sysError("cannot read", path_);
  }
}

void ByteReader::seek(uint64_t offset) {
  if (gz_ || xz_ || !in_.regular()) throw fileError("cannot seek in", path_, "it is compressed or a stream");
  if (::lseek(in_.fd(), static_cast<off_t>(offset), SEEK_SET) < 0) throw sysError("cannot seek in", path_);
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
      throw Error(quotedName(reader_.path()) + " line " + std::to_string(line_no_ + 1) + " is longer than " +
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

std::string resolveOutputPath(const std::string& path) {
  std::string p = path;
  for (int links = 0;; ++links) {
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    if (links == 40) throw fileError("cannot write", path, "too many levels of symbolic links");
    std::vector<char> buf(PATH_MAX + 1);
    const ssize_t n = ::readlink(p.c_str(), buf.data(), buf.size());
    if (n < 0 || static_cast<size_t>(n) >= buf.size()) throw sysError("cannot write", path);
    const std::string target(buf.data(), static_cast<size_t>(n));
    const size_t slash = p.rfind('/');
    p = target[0] == '/' || slash == std::string::npos ? target : p.substr(0, slash + 1) + target;
  }
}

namespace {
// The name of an output's temporary files, without the mkstemp XXXXXX:
// NAME.tmp. beside it; a name too long for that in its directory keeps its
// first bytes and a hash of the whole name, NAM~1234abcd.tmp., so the
// temporary name fits and still tells which output it is for.
std::string tempPrefix(const std::string& dir, const std::string& name) {
  constexpr size_t kSuffix = 11;  // ".tmp.XXXXXX"
  const long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  const size_t limit = name_max > 64 ? static_cast<size_t>(name_max) : 255;
  if (name.size() + kSuffix <= limit) return name + ".tmp.";
  uint32_t h = 2166136261u;  // FNV-1a
  for (unsigned char c : name) h = (h ^ c) * 16777619u;
  char hex[10];
  std::snprintf(hex, sizeof hex, "~%08x", h);
  const size_t keep = utf8SafeLength(name.data(), name.size(), limit - kSuffix - 9);
  return name.substr(0, keep) + hex + ".tmp.";
}

std::string nameOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A name mkstemp made from prefix + "XXXXXX".
bool isTempName(const std::string& name, const std::string& prefix) {
  return name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0;
}
}  // namespace

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
  if (path.empty()) throw Error("empty output path");
  // Follow symbolic links, so a link stays and its target is written.
  path_ = resolveOutputPath(path);
  const std::string dir = dirOf(path_);
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    const std::string via = path_ == path ? "" : "it is a symbolic link to " + quote(path_, 160) + ", and ";
    if (errno == ENOENT) throw fileError("cannot write", path, via + "directory " + quote(dir, 160) + " does not exist");
    throw fileError("cannot write", path, via + sysError("directory", dir).what());
  }
  if (!S_ISDIR(st.st_mode)) throw fileError("cannot write", path, quote(dir, 160) + " is not a directory");
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
  tmp_ = path_.substr(0, path_.size() - nameOf(path_).size()) + tempPrefix(dir, nameOf(path_)) + "XXXXXX";
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
  const std::string target = resolveOutputPath(path);
  const std::string dir = dirOf(target);
  const std::string prefix = tempPrefix(dir, nameOf(target));
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code ignored;
    if (isTempName(name, prefix) && it->is_regular_file(ignored)) fs::remove(it->path(), ignored);
  }
}

bool isAtomicLeftover(const std::string& path, const std::string& file) {
  const std::string name = nameOf(file);
  if (name.size() < 11 || name.compare(name.size() - 11, 5, ".tmp.") != 0) return false;  // the common case, quickly
  const std::string target = resolveOutputPath(path);
  std::error_code ec;
  return isTempName(name, tempPrefix(dirOf(target), nameOf(target))) &&
         std::filesystem::equivalent(dirOf(file), dirOf(target), ec);
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
  unregisterTemporary(tmp_.c_str());  // that name is gone: the handler must not unlink a newcomer
  tmp_.clear();
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
  for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
    ::rmdir(it->c_str());
    unregisterTemporary(it->c_str());
  }
}

AtomicFile& PendingFiles::open(const std::string& path) {
  return *files_.emplace_back(std::make_unique<AtomicFile>(path));
}

void PendingFiles::makeDirectory(const std::string& dir) {
  const SignalHold hold;  // no moment when it exists unregistered
  const std::string& d = dirs_.emplace_back(dir);
  registerTemporary(d.c_str(), true);
  if (::mkdir(d.c_str(), 0777) != 0) {
    const Error e = sysError("cannot create the directory", dir);
    unregisterTemporary(d.c_str());
    dirs_.pop_back();
    throw e;
  }
}

void PendingFiles::commit() {
  for (auto& f : files_) f->finish();
  const SignalHold hold;  // all renamed, or (a signal comes first) none
  for (auto& f : files_) f->commit();
  for (const auto& d : dirs_) unregisterTemporary(d.c_str());  // kept now, with the files in it
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
  regularFileSize(path);  // a pipe cannot be mapped: refused before it is opened
  const InputFile in(path);
  if (!in.regular()) throw fileError("cannot read", path, "not a regular file");
  size_ = static_cast<size_t>(in.size());
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), in.fd(), 0);
    if (p == MAP_FAILED) throw sysError("cannot map", path);
    data_ = static_cast<const char*>(p);
    ::madvise(p, size_, MADV_SEQUENTIAL);
  }
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace wembed
