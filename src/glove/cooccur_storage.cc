// Storage for counting co-occurrences: the scratch directory, zeroed memory
// for the dense arrays, and sorted runs.
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <new>

#include "glove/cooccur_internal.h"
#include "wembed/core/error.h"

namespace wembed::cooccur_internal {

ScratchDir::ScratchDir(const std::string& parent) {
  std::string tmpl = parent + "/wembed-cooccur.XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw sysError("cannot create a temporary directory in", parent);
  path_ = buf.data();
  registerTemporary(path_.c_str(), true);  // a signal removes it too, after its files
}

ScratchDir::~ScratchDir() {
  unregisterTemporary(path_.c_str());
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

ZeroPages::ZeroPages(size_t bytes) : bytes_(std::max<size_t>(bytes, 1)) {
  void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  ::madvise(p, bytes_, MADV_HUGEPAGE);  // advisory
  p_ = p;
}

void ZeroPages::reset() {
  if (p_) ::munmap(p_, bytes_);
  p_ = nullptr;
}

size_t sortAndCombine(Rec* r, size_t n) {
  if (n == 0) return 0;
  std::sort(r, r + n, [](const Rec& a, const Rec& b) { return keyOf(a) < keyOf(b); });
  size_t out = 0;
  size_t i = 0;
  while (i < n) {
    const uint64_t k = keyOf(r[i]);
    double s = r[i].count;
    size_t j = i + 1;
    while (j < n && keyOf(r[j]) == k) s += r[j++].count;
    r[out] = r[i];
    r[out].count = static_cast<float>(s);
    ++out;
    i = j;
  }
  return out;
}

Run writeRun(const std::string& dir, const Rec* r, size_t n) {
  Run run;
  run.file = std::make_unique<TempFile>(dir, "run");
  run.file->write(r, n * sizeof(Rec));
  run.file->close();
  run.records = n;
  return run;
}

}  // namespace wembed::cooccur_internal
