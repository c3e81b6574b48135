#include "word2vec/id_cache.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include "wembed/core/error.h"

namespace wembed {

namespace {
constexpr size_t kBufferWords = size_t(1) << 16;  // 256 KB
}

IdCache::IdCache(const std::string& dir) : file_(dir, "wembed-ids"), buf_(kBufferWords) {}

void IdCache::flush() {
  if (failed_ || n_ == 0) return;
  try {
    file_.write(buf_.data(), n_ * sizeof(int32_t));
    written_ += n_ * sizeof(int32_t);
  } catch (const Error&) {
    failed_ = true;
  }
  n_ = 0;
}

void IdCache::finish() {
  flush();
  ready_ = !failed_;
}

void IdCache::rewind() {
  read_ = 0;
  n_ = pos_ = 0;
}

bool IdCache::refill() {
  if (read_ >= written_) return false;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(written_ - read_, buf_.size() * sizeof(int32_t)));
  size_t got = 0;
  char* p = reinterpret_cast<char*>(buf_.data());
  while (got < want) {
    const ssize_t r = ::pread(file_.fd(), p + got, want - got, static_cast<off_t>(read_ + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) throw sysError("cannot read temporary file", file_.path());
    got += static_cast<size_t>(r);
  }
  read_ += want;
  n_ = want / sizeof(int32_t);
  pos_ = 0;
  return n_ > 0;
}

bool idCacheFits(const std::string& dir, int64_t words) {
  struct statvfs s;
  if (::statvfs(dir.c_str(), &s) != 0) return false;
  const double free_bytes = static_cast<double>(s.f_bavail) * static_cast<double>(s.f_frsize);
  // A sentence end per word at most, in the worst case.
  return 8.0 * static_cast<double>(words) < 0.9 * free_bytes;
}

}  // namespace wembed
