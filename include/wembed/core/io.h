#pragma once
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <list>
#include <memory>
#include <string>
#include <vector>

namespace wembed {

namespace detail {
class XzDecoder;
}

bool isGzipPath(const std::string& path);
// A name ByteReader decompresses: *.gz (zlib), *.xz (liblzma). (*.bz2 is
// refused by name: not supported.)
bool isCompressedPath(const std::string& path);
bool isStdinPath(const std::string& path);
// An input that can be read only once, in order, so it cannot be split into
// byte ranges or read again: standard input, a compressed file, or a named
// path that is not a regular file (a FIFO, /dev/stdin or <(...) as a pipe).
// Such inputs are spooled to a plain temporary file before training.
bool isStreamInput(const std::string& path);
// A file as messages name it: 'path' in quotes (through quote(), error.h),
// or standard input for "-".
std::string quotedName(const std::string& path);
// Size in bytes of a regular file; throws Error if it is missing, a
// directory, a pipe or a device (never opens it).
uint64_t regularFileSize(const std::string& path);
// Throws Error naming the file if it cannot be an input: missing, a
// directory, a device (/dev/zero never ends), a socket, unreadable, *.bz2.
// A FIFO is not opened here (opening it twice would lose its writer's data).
void checkReadable(const std::string& path);

// An input opened for reading, once: "-" is standard input, a regular file
// as it is, a FIFO or a pipe (a named pipe, /dev/stdin, <(...)) as a stream;
// refused with one line as checkReadable says. A FIFO's open waits for its
// writer; nothing else can block.
class InputFile {
 public:
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  int fd() const { return fd_; }
  bool regular() const { return regular_; }  // else a stream: read it in order, once
  uint64_t size() const { return size_; }    // of a regular file
  // The descriptor, from now on the caller's to close (never stdin's).
  int release();

 private:
  int fd_ = -1;
  bool owned_ = false;
  bool regular_ = false;
  uint64_t size_ = 0;
};

// Sequential reader over a plain file, stdin ("-"), a FIFO or pipe, a gzip
// file (zlib) or an xz file (liblzma), opened once (see InputFile).
class ByteReader {
 public:
  explicit ByteReader(const std::string& path);
  ~ByteReader();
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;
  // Reads up to n bytes; returns 0 at end of input. Throws Error on read failure.
  size_t read(char* buf, size_t n);
  // Only for plain regular files: position the next read at byte offset.
  void seek(uint64_t offset);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  InputFile in_;
  void* gz_ = nullptr;  // gzFile
  std::unique_ptr<detail::XzDecoder> xz_;
};

// Lines of an input ByteReader reads, in bounded memory:
// a line longer than max_bytes throws Error naming the file and line. Lines
// end at '\n' (and also at a lone '\r' with universal_newlines, as Python's
// text mode); the terminator is not part of the line, a final line needs none.
class LineReader {
 public:
  explicit LineReader(const std::string& path, size_t max_bytes = 1 << 20, bool universal_newlines = false);
  // Next line into `line`; false at the end of the input.
  bool next(std::string& line);
  int64_t lineNumber() const { return line_no_; }

 private:
  bool fill();
  ByteReader reader_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  size_t max_;
  bool universal_;
  bool eof_ = false;
  bool skip_lf_ = false;  // a '\r' ended the last line; a '\n' right after it belongs to it
  int64_t line_no_ = 0;
};

// Writes to a temporary file next to the destination; commit() flushes,
// fsyncs and renames it into place (and fsyncs the directory). If commit()
// is never reached (error, exception), the temporary file is removed and any
// existing destination is left untouched. The destination must be a regular
// file or not exist (a FIFO or device is refused: it cannot be replaced
// atomically). A symbolic link is followed (resolveOutputPath), so the link
// stays and its target is written, even a target that does not exist yet.
// The temporary file is NAME.tmp.XXXXXX; for a name too long for that, its
// first bytes and a hash of the whole name (see removeAtomicLeftovers).
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  FILE* stream() { return f_; }
  void write(const void* data, size_t n);
  void puts(const std::string& s) { write(s.data(), s.size()); }
  // Flushes, fsyncs and closes the temporary file (where a full disk shows),
  // without renaming it yet; commit() does this first if it was not done.
  void finish();
  void commit();
  const std::string& path() const { return path_; }
  // The temporary file, for a writer that opens it again by name and writes
  // it in place (commit() still syncs and renames it).
  const std::string& tempPath() const { return tmp_; }

 private:
  std::string path_, tmp_;
  FILE* f_ = nullptr;
  bool committed_ = false;
};

// Removes the temporary files that AtomicFiles for path left behind when
// their process was killed; used when a run is resumed.
void removeAtomicLeftovers(const std::string& path);
// Whether file has the name of such a temporary file of path, in its
// directory (removeAtomicLeftovers would remove it).
bool isAtomicLeftover(const std::string& path, const std::string& file);

// The file an output path names: path itself, or the end of its chain of
// symbolic links (relative links read from the link's directory), which may
// not exist yet. Throws Error on a loop of links.
std::string resolveOutputPath(const std::string& path);

// While alive, SIGINT, SIGTERM, SIGHUP and SIGPIPE are held back, on every thread
// (blocked on this one; the handler of removeTemporariesOnSignals defers on
// the others), and one that came meanwhile is acted on at the end: for
// steps that must not be cut in the middle, such as renaming a set of outputs.
class SignalHold {
 public:
  SignalHold();
  ~SignalHold();
  SignalHold(const SignalHold&) = delete;
  SignalHold& operator=(const SignalHold&) = delete;

 private:
  sigset_t old_;
};

// Several outputs committed together: commit() finishes every file first (a
// full disk fails there, before any is renamed), then renames them into place
// in order with signals held (SignalHold), so the set is all old or all new.
// Without commit() (an error, an exception, a signal) none of them appears,
// and the directories made with makeDirectory() are removed again.
class PendingFiles {
 public:
  PendingFiles() = default;
  ~PendingFiles();
  PendingFiles(const PendingFiles&) = delete;
  PendingFiles& operator=(const PendingFiles&) = delete;
  AtomicFile& open(const std::string& path);
  // Creates dir (its parent must exist) for outputs inside it; until
  // commit() it is removed on failure, and by the signal handler.
  void makeDirectory(const std::string& dir);
  void commit();

 private:
  std::vector<std::unique_ptr<AtomicFile>> files_;
  std::list<std::string> dirs_;  // registered for the signal handler: the strings must not move
  bool committed_ = false;
};

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

// On SIGINT, SIGTERM, SIGHUP or SIGPIPE, remove every temporary file still open
// (AtomicFile and TempFile register theirs), then die of the signal as
// usual. Idempotent; the CLI installs it for every subcommand.
void removeTemporariesOnSignals();
// A line (with its newline) that handler writes to stderr before the process
// dies of one of those signals; empty: none. Set it before the signals may
// come (a distributed run's rank 0 says why the job stopped).
void setSignalNote(const std::string& line);
// The table that handler reads: a temporary file (unlinked) or directory
// (removed after the files, if empty then). path must stay valid until
// unregistered; AtomicFile and TempFile do this themselves.
void registerTemporary(const char* path, bool directory = false);
void unregisterTemporary(const char* path);

// A whole regular file mapped read-only (for loaders that parse in place).
// Throws Error naming the file if it is missing, a directory, not a regular
// file or unreadable.
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
