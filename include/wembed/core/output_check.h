#pragma once
// Checks a run makes on its files before it starts (so that hours of work
// do not end in an error, or in a lost input).
#include <string>
#include <utility>
#include <vector>

namespace wembed {

// Every file a command reads and writes, collected before any work and
// checked once: a file written must be none of the files read, nor another
// file written, whatever the names say (the same file through a symbolic
// link, a hard link or "a/../x"); else the finished run would replace its
// own input, or one output another. The files a named file brings with it
// count too (a .npy matrix's word list, the counts kept beside a GloVe
// checkpoint): see readBeside / writeBeside and, for vector files,
// planVectorInput / planVectorOutput (vectors/vectors.h).
class FilePlan {
 public:
  // A file read under flag ("" and "-", standard input, are left out).
  void read(const std::string& flag, const std::string& path);
  void read(const std::string& flag, const std::vector<std::string>& paths);
  // A file written (replaced atomically, or made and removed again) under flag ("" left out).
  void write(const std::string& flag, const std::string& path);
  // A file read or written because of the one flag names (`named`), under a
  // name of its own (`path`); messages name both.
  void readBeside(const std::string& flag, const std::string& named, const std::string& path);
  void writeBeside(const std::string& flag, const std::string& named, const std::string& path);
  // The file written under write_flag may be the one read_flag names: a
  // resumed run writes its checkpoint again. (A file read and written under
  // one flag and one name is one file the run updates, never a clash.)
  void allowRewrite(const std::string& write_flag, const std::string& read_flag);
  // Throws Error (one line naming both flags and files) if a file written
  // is also read, or written under two flags, or a file read has the name
  // of a written file's temporary file (removeAtomicLeftovers, io.h: a
  // resumed run removes those).
  void check() const;

 private:
  struct Entry {
    std::string flag, named, path;
    bool written = false;
  };
  void add(const std::string& flag, const std::string& named, const std::string& path, bool written);
  bool allowed(const Entry& w, const Entry& other) const;
  std::vector<Entry> entries_;
  std::vector<std::pair<std::string, std::string>> rewrites_;
};

// Throws unless dir (if given) is an existing directory (--tmp-dir).
void checkTmpDir(const std::string& dir);

}  // namespace wembed
