#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace wembed {

bool isGzipPath(const std::string& path);
bool isStdinPath(const std::string& path);
// Size in bytes of a regular file; throws Error if it is missing, a directory or unreadable.
uint64_t regularFileSize(const std::string& path);
// Throws Error naming the file if it cannot be opened for reading.
void checkReadable(const std::string& path);

// Sequential reader over a plain file, stdin ("-") or a gzip file (zlib).
class ByteReader {
 public:
  explicit ByteReader(const std::string& path);
  ~ByteReader();
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;
  // Reads up to n bytes; returns 0 at end of input. Throws Error on read failure.
  size_t read(char* buf, size_t n);
  // Only for plain files: position the next read at byte offset.
  void seek(uint64_t offset);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  void* gz_ = nullptr;  // gzFile
};

// Writes to a temporary file next to the destination; commit() flushes,
// fsyncs and renames it into place. If commit() is never reached (error,
// exception), the temporary file is removed and any existing destination is
// left untouched.
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  FILE* stream() { return f_; }
  void write(const void* data, size_t n);
  void puts(const std::string& s) { write(s.data(), s.size()); }
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  FILE* f_ = nullptr;
  bool committed_ = false;
};

// Removes the temporary files (path.tmp.XXXXXX) that AtomicFiles for path
// left behind when their process was killed; used when a run is resumed.
void removeAtomicLeftovers(const std::string& path);

// A uniquely named temporary file removed on destruction.
class TempFile {
 public:
  explicit TempFile(const std::string& dir, const std::string& stem = "wembed");
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }
  int fd() const { return fd_; }
  void write(const void* data, size_t n);
  void close();

 private:
  std::string path_;
  int fd_ = -1;
};

std::string defaultTmpDir();

// A whole regular file mapped read-only (for loaders that parse in place).
// Throws Error naming the file if it is missing, a directory or unreadable.
// An empty file maps to size() == 0, data() == nullptr.
class MappedFile {
 public:
  // populate: fault every page in now (the whole file will be read).
  explicit MappedFile(const std::string& path, bool populate = false);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace wembed
