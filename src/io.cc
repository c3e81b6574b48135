#include "wembed/io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "wembed/error.h"

namespace wembed {

static std::string sysError(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

bool isGzipPath(const std::string& p) { return p.size() > 3 && p.compare(p.size() - 3, 3, ".gz") == 0; }
bool isStdinPath(const std::string& p) { return p == "-"; }

uint64_t regularFileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw Error(sysError("cannot open", path));
  if (S_ISDIR(st.st_mode)) throw Error("cannot read '" + path + "': it is a directory");
  return static_cast<uint64_t>(st.st_size);
}

void checkReadable(const std::string& path) {
  if (isStdinPath(path)) return;
  regularFileSize(path);
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw Error(sysError("cannot open", path));
  ::close(fd);
}

ByteReader::ByteReader(const std::string& path) : path_(path) {
  if (isStdinPath(path)) {
    fd_ = 0;
    return;
  }
  regularFileSize(path);  // clear errors for missing files and directories
  fd_ = ::open(path.c_str(), O_RDONLY);
  if (fd_ < 0) throw Error(sysError("cannot open", path));
  if (isGzipPath(path)) {
    ::close(fd_);
    fd_ = -1;
    gz_ = gzopen(path.c_str(), "rb");
    if (!gz_) throw Error(sysError("cannot open gzip file", path));
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
      throw Error("cannot read gzip file '" + path_ + "': " + (err == Z_ERRNO ? std::strerror(errno) : "corrupt or truncated data"));
    }
    if (r == 0) {
      int err = Z_OK;
      gzerror(static_cast<gzFile>(gz_), &err);
      if (err == Z_BUF_ERROR) throw Error("cannot read gzip file '" + path_ + "': the file is truncated");
      if (err != Z_OK) throw Error("cannot read gzip file '" + path_ + "': corrupt data");
    }
    return static_cast<size_t>(r);
  }
  for (;;) {
    ssize_t r = ::read(fd_, buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (errno == EINTR) continue;
    throw Error(sysError("cannot read", path_));
  }
}

void ByteReader::seek(uint64_t offset) {
  if (gz_ || fd_ == 0) throw Error("cannot seek in '" + path_ + "'");
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) throw Error(sysError("cannot seek in", path_));
}

static std::string dirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
  if (path.empty()) throw Error("empty output path");
  std::string dir = dirOf(path);
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error("cannot write '" + path + "': directory '" + dir + "' does not exist");
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw Error("cannot write '" + path + "': it is a directory");
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) throw Error(sysError("cannot write", path));
  tmp_.assign(buf.data());
  ::fchmod(fd, 0644);
  f_ = ::fdopen(fd, "wb");
  if (!f_) {
    ::close(fd);
    ::unlink(tmp_.c_str());
    throw Error(sysError("cannot write", path));
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
}

void AtomicFile::write(const void* data, size_t n) {
  if (n && std::fwrite(data, 1, n, f_) != n) throw Error(sysError("cannot write", path_));
}

void AtomicFile::commit() {
  if (std::fflush(f_) != 0) throw Error(sysError("cannot write", path_));
  if (::fsync(::fileno(f_)) != 0) throw Error(sysError("cannot write", path_));
  int rc = std::fclose(f_);
  f_ = nullptr;
  if (rc != 0) throw Error(sysError("cannot write", path_));
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) throw Error(sysError("cannot write", path_));
  committed_ = true;
}

std::string defaultTmpDir() {
  const char* t = std::getenv("TMPDIR");
  return (t && *t) ? t : "/tmp";
}

TempFile::TempFile(const std::string& dir, const std::string& stem) {
  std::string tmpl = dir + "/" + stem + ".XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  fd_ = ::mkstemp(buf.data());
  if (fd_ < 0) throw Error(sysError("cannot create a temporary file in", dir));
  path_.assign(buf.data());
}

TempFile::~TempFile() {
  close();
  if (!path_.empty()) ::unlink(path_.c_str());
}

void TempFile::write(const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw Error(sysError("cannot write temporary file", path_));
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
  if (fd < 0) throw Error(sysError("cannot open", path));
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
    if (p == MAP_FAILED) {
      const std::string msg = sysError("cannot map", path);
      ::close(fd);
      throw Error(msg);
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
