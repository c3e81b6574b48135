#include "wembed/core/output_check.h"

#include <sys/stat.h>

#include <filesystem>

#include "wembed/core/error.h"
#include "wembed/core/io.h"  // resolveOutputPath, isAtomicLeftover

namespace wembed {

namespace {

// What a name refers to: the file's inode if it exists, else the normalised
// path it would be written to (a dangling symlink counts as its target).
struct FileKey {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  std::string path;
};

FileKey keyOf(const std::string& path) {
  FileKey k;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    k.exists = true;
    k.dev = st.st_dev;
    k.ino = st.st_ino;
  }
  try {
    std::error_code ec;
    const auto c = std::filesystem::weakly_canonical(resolveOutputPath(path), ec);
    k.path = ec ? path : c.string();
  } catch (const Error&) {  // a loop of links: AtomicFile or the reader says so
    k.path = path;
  }
  return k;
}

bool sameFile(const FileKey& a, const FileKey& b) {
  if (a.exists && b.exists) return a.dev == b.dev && a.ino == b.ino;
  return a.path == b.path;
}

}  // namespace

void FilePlan::add(const std::string& flag, const std::string& named, const std::string& path, bool written) {
  if (path.empty() || (!written && isStdinPath(path))) return;
  entries_.push_back({flag, named, path, written});
}

void FilePlan::read(const std::string& flag, const std::string& path) { add(flag, path, path, false); }

void FilePlan::read(const std::string& flag, const std::vector<std::string>& paths) {
  for (const auto& p : paths) read(flag, p);
}

void FilePlan::write(const std::string& flag, const std::string& path) { add(flag, path, path, true); }

void FilePlan::readBeside(const std::string& flag, const std::string& named, const std::string& path) {
  add(flag, named, path, false);
}

void FilePlan::writeBeside(const std::string& flag, const std::string& named, const std::string& path) {
  add(flag, named, path, true);
}

void FilePlan::allowRewrite(const std::string& write_flag, const std::string& read_flag) {
  rewrites_.emplace_back(write_flag, read_flag);
}

bool FilePlan::allowed(const Entry& w, const Entry& other) const {
  if (other.written) return false;
  if (w.flag == other.flag && w.path == other.path) return true;  // read, then replaced: one file of one flag
  for (const auto& [wf, rf] : rewrites_)
    if (wf == w.flag && rf == other.flag && other.path == other.named) return true;
  return false;
}

void FilePlan::check() const {
  // "--output 'v.txt'", or for a file beside the named one "'v.vocab.txt' of --output 'v.npy'".
  auto describe = [](const Entry& e) {
    if (e.path == e.named) return e.flag + " " + quote(e.path);
    return quote(e.path) + " of " + e.flag + " " + quote(e.named);
  };
  std::vector<FileKey> keys;
  keys.reserve(entries_.size());
  for (const Entry& e : entries_) keys.push_back(keyOf(e.path));
  // Each file written against every file read and every later file written
  // (a run may read thousands of files; it writes a few).
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& w = entries_[i];
    if (!w.written) continue;
    for (size_t j = 0; j < entries_.size(); ++j) {
      const Entry& o = entries_[j];
      if (j == i || (o.written && j < i) || allowed(w, o)) continue;
      if (!o.written && isAtomicLeftover(w.path, o.path))
        throw Error(describe(o) + " has the name of a temporary file of " + describe(w) +
                    ", which a resumed run removes: rename it");
      if (!sameFile(keys[i], keys[j])) continue;
      if (o.written) throw Error(describe(w) + " and " + describe(o) + " name the same file: one would overwrite the other");
      throw Error(describe(w) + " is also an input (" + describe(o) + "): it would be overwritten");
    }
  }
}

void checkTmpDir(const std::string& dir) {
  if (dir.empty()) return;
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error("--tmp-dir " + quote(dir) + " is not an existing directory");
}

}  // namespace wembed
