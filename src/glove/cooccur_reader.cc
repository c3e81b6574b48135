// Reading co-occurrence files.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/glove/cooccur.h"

namespace wembed {

CooccurReader::CooccurReader(const std::string& path) : path_(path) {
  const uint64_t size = regularFileSize(path);
  fd_ = ::open(path.c_str(), O_RDONLY);
  if (fd_ < 0) throw sysError("cannot open", path);
  // The destructor does not run when the constructor throws: close here.
  auto bad = [&](const std::string& what) {
    ::close(fd_);
    fd_ = -1;
    return Error("bad co-occurrence file '" + path + "': " + what);
  };
  char buf[kCooccurHeaderBytes];
  ssize_t got = ::pread(fd_, buf, sizeof(buf), 0);
  if (got < 0) {
    const Error e(sysError("cannot read", path));
    ::close(fd_);
    throw e;
  }
  if (got >= 8 && std::memcmp(buf, kCooccurMagic, 8) != 0)
    throw bad("not a wembed co-occurrence file (wrong magic; make one with 'wembed cooccur')");
  if (got < static_cast<ssize_t>(sizeof(buf))) throw bad("the header is truncated");
  std::memcpy(&h_.version, buf + 8, 4);
  std::memcpy(&h_.flags, buf + 12, 4);
  std::memcpy(&h_.vocab_size, buf + 16, 4);
  std::memcpy(&h_.window, buf + 20, 4);
  std::memcpy(&h_.records, buf + 24, 8);
  if (h_.version != kCooccurVersion)
    throw bad("version " + std::to_string(h_.version) + " is not supported (expected " +
              std::to_string(kCooccurVersion) + ")");
  if (h_.vocab_size <= 0) throw bad("vocabulary size " + std::to_string(h_.vocab_size) + " in the header");
  const uint64_t body = size - kCooccurHeaderBytes;
  if (h_.records > body / sizeof(CooccurRecord) || body != h_.records * sizeof(CooccurRecord))
    throw bad("the header announces " + std::to_string(h_.records) + " records (" +
              std::to_string(h_.records * sizeof(CooccurRecord)) + " bytes) but " + std::to_string(body) +
              " bytes follow it" + (body < h_.records * sizeof(CooccurRecord) ? " (truncated)" : ""));
}

CooccurReader::~CooccurReader() {
  if (fd_ >= 0) ::close(fd_);
}

size_t CooccurReader::read(uint64_t first, CooccurRecord* out, size_t n) const {
  if (first >= h_.records) return 0;
  n = static_cast<size_t>(std::min<uint64_t>(n, h_.records - first));
  char* p = reinterpret_cast<char*>(out);
  const size_t want = n * sizeof(CooccurRecord);
  size_t got = 0;
  const off_t base = static_cast<off_t>(kCooccurHeaderBytes + first * sizeof(CooccurRecord));
  while (got < want) {
    const ssize_t r = ::pread(fd_, p + got, want - got, base + static_cast<off_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw sysError("cannot read", path_);
    if (r == 0) throw Error("bad co-occurrence file '" + path_ + "': it is truncated (was it changed while in use?)");
    got += static_cast<size_t>(r);
  }
  const int32_t V = h_.vocab_size;
  for (size_t i = 0; i < n; ++i) {
    const CooccurRecord& r = out[i];
    if (static_cast<uint32_t>(r.word) >= static_cast<uint32_t>(V) ||
        static_cast<uint32_t>(r.context) >= static_cast<uint32_t>(V) || !(r.count > 0.f) || !std::isfinite(r.count))
      throw Error("bad co-occurrence file '" + path_ + "': record " + std::to_string(first + i) + " (" +
                  std::to_string(r.word) + ", " + std::to_string(r.context) + ", " + std::to_string(r.count) +
                  ") has an id outside the vocabulary of " + std::to_string(V) + " words or a count <= 0");
  }
  return n;
}

}  // namespace wembed
